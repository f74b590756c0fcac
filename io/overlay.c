#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "mnt_math.h"

static const mnt_color C_END = {230, 30, 30}, C_BIF = {20, 100, 245}, C_OTHER = {245, 150, 20}, C_ROI = {0, 190, 190};

int mnt_overlay_render(const mnt_image *im, const uint8_t *roi, const mnt_view *m, double threshold, mnt_rgb_image *out,
                       mnt_diag *d)
{
    int rc = mnt_rgb_alloc(out, im->width, im->height, d);
    if (rc) return rc;
    out->ppi = im->ppi;
    int w = im->width, h = im->height;
    for (size_t i = 0; i < (size_t)w * h; i++) {
        float v = im->px[i];
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        /* lighten the print a little so the marks stand out */
        uint8_t g = (uint8_t)lrintf(60.0f + 195.0f * v);
        out->rgb[3 * i] = out->rgb[3 * i + 1] = out->rgb[3 * i + 2] = g;
    }
    double s = im->ppi > 0 ? im->ppi / 500.0 : 1.0;
    if (roi)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                if (!roi[(size_t)y * w + x]) continue;
                int edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || !roi[(size_t)y * w + x - 1] ||
                           !roi[(size_t)y * w + x + 1] || !roi[(size_t)(y - 1) * w + x] || !roi[(size_t)(y + 1) * w + x];
                if (edge) mnt_draw_blend(out, x, y, C_ROI, 0.9);
            }
    int ne = 0, nb = 0;
    for (size_t i = 0; i < m->n; i++) {
        const mnt_minutia *q = &m->m[i];
        mnt_color c = q->type == MNT_TYPE_ENDING ? C_END : q->type == MNT_TYPE_BIFURCATION ? C_BIF : C_OTHER;
        ne += q->type == MNT_TYPE_ENDING;
        nb += q->type == MNT_TYPE_BIFURCATION;
        double r = 6 * s, tail = 16 * s, a = MNT_RAD(q->angle);
        mnt_draw_circle(out, q->x, q->y, r, 2.0 * (s < 1 ? 1 : s), c);
        mnt_draw_line(out, q->x + r * cos(a), q->y - r * sin(a), q->x + tail * cos(a), q->y - tail * sin(a),
                      2.0 * (s < 1 ? 1 : s), c);
    }
    /* legend */
    char l1[64], l2[64], l3[64], l4[64];
    snprintf(l1, sizeof l1, "%zu minutiae", m->n);
    snprintf(l2, sizeof l2, "%d endings", ne);
    snprintf(l3, sizeof l3, "%d bifurcations", nb);
    snprintf(l4, sizeof l4, "threshold %.2f", threshold);
    int sc = w >= 500 ? 2 : 1, lh = 10 * sc, bw = 16 * 6 * sc + 40;
    mnt_draw_fill_rect(out, 4, 4, bw, 4 * lh + 16, (mnt_color){255, 255, 255});
    mnt_draw_rect(out, 4, 4, bw, 4 * lh + 16, (mnt_color){40, 40, 40});
    mnt_draw_text(out, 12, 10, l1, sc, (mnt_color){0, 0, 0});
    mnt_draw_circle(out, 18, 10 + lh + 3 * sc, 3 * sc, 1.5 * sc, C_END);
    mnt_draw_text(out, 28, 10 + lh, l2, sc, C_END);
    mnt_draw_circle(out, 18, 10 + 2 * lh + 3 * sc, 3 * sc, 1.5 * sc, C_BIF);
    mnt_draw_text(out, 28, 10 + 2 * lh, l3, sc, C_BIF);
    mnt_draw_text(out, 12, 10 + 3 * lh, l4, sc, (mnt_color){80, 80, 80});
    return MNT_OK;
}
