#include "draw.h"

#include <math.h>
#include <string.h>

/* 5x7 font, ASCII 32..126, five column bytes per glyph, bit 0 = top row. */
static const uint8_t FONT[95][5] = {
    {0x00,0x00,0x00,0x00,0x00},{0x00,0x00,0x5F,0x00,0x00},{0x00,0x07,0x00,0x07,0x00},{0x14,0x7F,0x14,0x7F,0x14},
    {0x24,0x2A,0x7F,0x2A,0x12},{0x23,0x13,0x08,0x64,0x62},{0x36,0x49,0x56,0x20,0x50},{0x00,0x08,0x07,0x03,0x00},
    {0x00,0x1C,0x22,0x41,0x00},{0x00,0x41,0x22,0x1C,0x00},{0x2A,0x1C,0x7F,0x1C,0x2A},{0x08,0x08,0x3E,0x08,0x08},
    {0x00,0x80,0x70,0x30,0x00},{0x08,0x08,0x08,0x08,0x08},{0x00,0x00,0x60,0x60,0x00},{0x20,0x10,0x08,0x04,0x02},
    {0x3E,0x51,0x49,0x45,0x3E},{0x00,0x42,0x7F,0x40,0x00},{0x72,0x49,0x49,0x49,0x46},{0x21,0x41,0x49,0x4D,0x33},
    {0x18,0x14,0x12,0x7F,0x10},{0x27,0x45,0x45,0x45,0x39},{0x3C,0x4A,0x49,0x49,0x31},{0x41,0x21,0x11,0x09,0x07},
    {0x36,0x49,0x49,0x49,0x36},{0x46,0x49,0x49,0x29,0x1E},{0x00,0x00,0x14,0x00,0x00},{0x00,0x40,0x34,0x00,0x00},
    {0x00,0x08,0x14,0x22,0x41},{0x14,0x14,0x14,0x14,0x14},{0x00,0x41,0x22,0x14,0x08},{0x02,0x01,0x59,0x09,0x06},
    {0x3E,0x41,0x5D,0x59,0x4E},{0x7C,0x12,0x11,0x12,0x7C},{0x7F,0x49,0x49,0x49,0x36},{0x3E,0x41,0x41,0x41,0x22},
    {0x7F,0x41,0x41,0x41,0x3E},{0x7F,0x49,0x49,0x49,0x41},{0x7F,0x09,0x09,0x09,0x01},{0x3E,0x41,0x41,0x51,0x73},
    {0x7F,0x08,0x08,0x08,0x7F},{0x00,0x41,0x7F,0x41,0x00},{0x20,0x40,0x41,0x3F,0x01},{0x7F,0x08,0x14,0x22,0x41},
    {0x7F,0x40,0x40,0x40,0x40},{0x7F,0x02,0x1C,0x02,0x7F},{0x7F,0x04,0x08,0x10,0x7F},{0x3E,0x41,0x41,0x41,0x3E},
    {0x7F,0x09,0x09,0x09,0x06},{0x3E,0x41,0x51,0x21,0x5E},{0x7F,0x09,0x19,0x29,0x46},{0x26,0x49,0x49,0x49,0x32},
    {0x03,0x01,0x7F,0x01,0x03},{0x3F,0x40,0x40,0x40,0x3F},{0x1F,0x20,0x40,0x20,0x1F},{0x3F,0x40,0x38,0x40,0x3F},
    {0x63,0x14,0x08,0x14,0x63},{0x03,0x04,0x78,0x04,0x03},{0x61,0x59,0x49,0x4D,0x43},{0x00,0x7F,0x41,0x41,0x41},
    {0x02,0x04,0x08,0x10,0x20},{0x00,0x41,0x41,0x41,0x7F},{0x04,0x02,0x01,0x02,0x04},{0x40,0x40,0x40,0x40,0x40},
    {0x00,0x03,0x07,0x08,0x00},{0x20,0x54,0x54,0x78,0x40},{0x7F,0x28,0x44,0x44,0x38},{0x38,0x44,0x44,0x44,0x28},
    {0x38,0x44,0x44,0x28,0x7F},{0x38,0x54,0x54,0x54,0x18},{0x00,0x08,0x7E,0x09,0x02},{0x18,0xA4,0xA4,0x9C,0x78},
    {0x7F,0x08,0x04,0x04,0x78},{0x00,0x44,0x7D,0x40,0x00},{0x20,0x40,0x40,0x3D,0x00},{0x7F,0x10,0x28,0x44,0x00},
    {0x00,0x41,0x7F,0x40,0x00},{0x7C,0x04,0x78,0x04,0x78},{0x7C,0x08,0x04,0x04,0x78},{0x38,0x44,0x44,0x44,0x38},
    {0xFC,0x18,0x24,0x24,0x18},{0x18,0x24,0x24,0x18,0xFC},{0x7C,0x08,0x04,0x04,0x08},{0x48,0x54,0x54,0x54,0x24},
    {0x04,0x04,0x3F,0x44,0x24},{0x3C,0x40,0x40,0x20,0x7C},{0x1C,0x20,0x40,0x20,0x1C},{0x3C,0x40,0x30,0x40,0x3C},
    {0x44,0x28,0x10,0x28,0x44},{0x4C,0x90,0x90,0x90,0x7C},{0x44,0x64,0x54,0x4C,0x44},{0x00,0x08,0x36,0x41,0x00},
    {0x00,0x00,0x77,0x00,0x00},{0x00,0x41,0x36,0x08,0x00},{0x02,0x01,0x02,0x04,0x02}};

void mnt_draw_pixel(mnt_rgb_image *c, int x, int y, mnt_color col)
{
    if (x < 0 || y < 0 || x >= c->width || y >= c->height) return;
    uint8_t *p = c->rgb + 3 * ((size_t)y * c->width + x);
    p[0] = col.r;
    p[1] = col.g;
    p[2] = col.b;
}

void mnt_draw_blend(mnt_rgb_image *c, int x, int y, mnt_color col, double a)
{
    if (x < 0 || y < 0 || x >= c->width || y >= c->height || a <= 0) return;
    if (a > 1) a = 1;
    uint8_t *p = c->rgb + 3 * ((size_t)y * c->width + x);
    p[0] = (uint8_t)lround(p[0] * (1 - a) + col.r * a);
    p[1] = (uint8_t)lround(p[1] * (1 - a) + col.g * a);
    p[2] = (uint8_t)lround(p[2] * (1 - a) + col.b * a);
}

/* Anti-aliased thick segment: coverage from the distance to the segment. */
void mnt_draw_line(mnt_rgb_image *c, double x0, double y0, double x1, double y1, double width, mnt_color col)
{
    mnt_draw_line_alpha(c, x0, y0, x1, y1, width, col, 1.0);
}

void mnt_draw_line_alpha(mnt_rgb_image *c, double x0, double y0, double x1, double y1, double width, mnt_color col,
                         double alpha)
{
    double hw = width / 2;
    int xa = (int)floor(fmin(x0, x1) - hw - 1), xb = (int)ceil(fmax(x0, x1) + hw + 1);
    int ya = (int)floor(fmin(y0, y1) - hw - 1), yb = (int)ceil(fmax(y0, y1) + hw + 1);
    if (xa < 0) xa = 0;
    if (ya < 0) ya = 0;
    if (xb >= c->width) xb = c->width - 1;
    if (yb >= c->height) yb = c->height - 1;
    double vx = x1 - x0, vy = y1 - y0, l2 = vx * vx + vy * vy;
    for (int y = ya; y <= yb; y++)
        for (int x = xa; x <= xb; x++) {
            double t = l2 > 0 ? ((x - x0) * vx + (y - y0) * vy) / l2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double dd = hypot(x - (x0 + t * vx), y - (y0 + t * vy));
            double cov = hw + 0.5 - dd;
            if (cov > 0) mnt_draw_blend(c, x, y, col, (cov > 1 ? 1 : cov) * alpha);
        }
}

void mnt_draw_circle(mnt_rgb_image *c, double cx, double cy, double r, double width, mnt_color col)
{
    mnt_draw_circle_alpha(c, cx, cy, r, width, col, 1.0);
}

void mnt_draw_circle_alpha(mnt_rgb_image *c, double cx, double cy, double r, double width, mnt_color col, double alpha)
{
    double hw = width / 2;
    int xa = (int)floor(cx - r - hw - 1), xb = (int)ceil(cx + r + hw + 1);
    int ya = (int)floor(cy - r - hw - 1), yb = (int)ceil(cy + r + hw + 1);
    for (int y = ya < 0 ? 0 : ya; y <= yb && y < c->height; y++)
        for (int x = xa < 0 ? 0 : xa; x <= xb && x < c->width; x++) {
            double dd = fabs(hypot(x - cx, y - cy) - r);
            double cov = hw + 0.5 - dd;
            if (cov > 0) mnt_draw_blend(c, x, y, col, (cov > 1 ? 1 : cov) * alpha);
        }
}

void mnt_draw_polygon(mnt_rgb_image *c, const double *xy, int n, double width, mnt_color col, double alpha)
{
    if (n < 2 || n > 16) return;
    double hw = width / 2, x0 = xy[0], x1 = xy[0], y0 = xy[1], y1 = xy[1];
    for (int i = 1; i < n; i++) {
        x0 = fmin(x0, xy[2 * i]);
        x1 = fmax(x1, xy[2 * i]);
        y0 = fmin(y0, xy[2 * i + 1]);
        y1 = fmax(y1, xy[2 * i + 1]);
    }
    int xa = (int)floor(x0 - hw - 1), xb = (int)ceil(x1 + hw + 1), ya = (int)floor(y0 - hw - 1), yb = (int)ceil(y1 + hw + 1);
    if (xa < 0) xa = 0;
    if (ya < 0) ya = 0;
    if (xb >= c->width) xb = c->width - 1;
    if (yb >= c->height) yb = c->height - 1;
    for (int y = ya; y <= yb; y++)
        for (int x = xa; x <= xb; x++) {
            double best = 1e30;
            for (int i = 0; i < n; i++) {
                double ax = xy[2 * i], ay = xy[2 * i + 1], vx = xy[2 * ((i + 1) % n)] - ax, vy = xy[2 * ((i + 1) % n) + 1] - ay;
                double l2 = vx * vx + vy * vy, t = l2 > 0 ? ((x - ax) * vx + (y - ay) * vy) / l2 : 0;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                double ex = x - (ax + t * vx), ey = y - (ay + t * vy), dd = ex * ex + ey * ey;
                if (dd < best) best = dd;
            }
            double cov = hw + 0.5 - sqrt(best);
            if (cov > 0) mnt_draw_blend(c, x, y, col, (cov > 1 ? 1 : cov) * alpha);
        }
}

void mnt_draw_fill_rect(mnt_rgb_image *c, int x, int y, int w, int h, mnt_color col)
{
    for (int j = y; j < y + h; j++)
        for (int i = x; i < x + w; i++) mnt_draw_pixel(c, i, j, col);
}

void mnt_draw_rect(mnt_rgb_image *c, int x, int y, int w, int h, mnt_color col)
{
    for (int i = x; i < x + w; i++) {
        mnt_draw_pixel(c, i, y, col);
        mnt_draw_pixel(c, i, y + h - 1, col);
    }
    for (int j = y; j < y + h; j++) {
        mnt_draw_pixel(c, x, j, col);
        mnt_draw_pixel(c, x + w - 1, j, col);
    }
}

int mnt_text_width(const char *text, int scale)
{
    return (int)strlen(text) * 6 * scale;
}

int mnt_text_height(int scale)
{
    return 7 * scale;
}

static void blend_rect(mnt_rgb_image *c, int x, int y, int w, int h, mnt_color col, double alpha)
{
    int xa = x < 0 ? 0 : x, ya = y < 0 ? 0 : y, xb = x + w > c->width ? c->width : x + w, yb = y + h > c->height ? c->height : y + h;
    for (int j = ya; j < yb; j++)
        for (int i = xa; i < xb; i++) {
            if (alpha >= 1) mnt_draw_pixel(c, i, j, col);
            else mnt_draw_blend(c, i, j, col, alpha);
        }
}

void mnt_draw_text_halo(mnt_rgb_image *c, int x, int y, const char *text, int scale, mnt_color col, mnt_color halo,
                        double alpha)
{
    /* the halo is a mask first, so translucent text blends each pixel once */
    int n = (int)strlen(text);
    if (n == 0 || n > 256 || alpha <= 0) return;
    uint8_t mask[(256 * 6 + 2) * 10]; /* in font cells; a cell is scale x scale pixels */
    int cw = n * 6 + 2, ch = 10;
    memset(mask, 0, (size_t)cw * ch);
    for (int k = 0; k < n; k++) {
        unsigned char s = (unsigned char)text[k];
        if (s < 32 || s > 126) continue;
        const uint8_t *g = FONT[s - 32];
        for (int cx = 0; cx < 5; cx++)
            for (int cy = 0; cy < 8; cy++)
                if (g[cx] >> cy & 1) {
                    int mx = 1 + 6 * k + cx, my = 1 + cy;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                            if (!mask[(my + dy) * cw + mx + dx]) mask[(my + dy) * cw + mx + dx] = 1;
                    mask[my * cw + mx] = 2;
                }
    }
    for (int my = 0; my < ch; my++)
        for (int mx = 0; mx < cw; mx++)
            if (mask[my * cw + mx])
                blend_rect(c, x + (mx - 1) * scale, y + (my - 1) * scale, scale, scale, mask[my * cw + mx] == 2 ? col : halo,
                           alpha);
}

void mnt_draw_text(mnt_rgb_image *c, int x, int y, const char *text, int scale, mnt_color col)
{
    for (const unsigned char *s = (const unsigned char *)text; *s; s++, x += 6 * scale) {
        if (*s < 32 || *s > 126) continue;
        const uint8_t *g = FONT[*s - 32];
        for (int cx = 0; cx < 5; cx++)
            for (int cy = 0; cy < 8; cy++)
                if (g[cx] >> cy & 1) mnt_draw_fill_rect(c, x + cx * scale, y + cy * scale, scale, scale, col);
    }
}
