#include "latent_warp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnt_math.h"
#include "rng.h"

int mnt_warp_alloc(mnt_warp *wp, int w, int h, mnt_diag *d)
{
    memset(wp, 0, sizeof *wp);
    size_t n = mnt_checked_size((size_t)w, (size_t)h, sizeof(float));
    if (w <= 0 || h <= 0 || !n) return mnt_fail(d, MNT_ERR_ARG, "warp size %dx%d", w, h);
    wp->ux = calloc(1, n);
    wp->uy = calloc(1, n);
    if (!wp->ux || !wp->uy) {
        mnt_warp_free(wp);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for a %dx%d warp", w, h);
    }
    wp->width = w;
    wp->height = h;
    return MNT_OK;
}

void mnt_warp_free(mnt_warp *wp)
{
    if (!wp) return;
    free(wp->ux);
    free(wp->uy);
    memset(wp, 0, sizeof *wp);
}

int mnt_warp_random(mnt_warp *wp, int w, int h, double amplitude, uint64_t seed, mnt_diag *d)
{
    int rc = mnt_warp_alloc(wp, w, h, d);
    if (rc) return rc;
    if (!(amplitude > 0)) return MNT_OK;
    mnt_rng r;
    mnt_rng_seed(&r, seed, 0xD157);
    double side = w > h ? w : h;
    double kx[MNT_WARP_MODES], ky[MNT_WARP_MODES], ph[MNT_WARP_MODES], ax[MNT_WARP_MODES], ay[MNT_WARP_MODES];
    for (int k = 0; k < MNT_WARP_MODES; k++) {
        double lam = side * mnt_rng_range(&r, 0.8, 2.0), dir = mnt_rng_range(&r, 0, 2 * MNT_PI);
        kx[k] = 2 * MNT_PI / lam * cos(dir);
        ky[k] = 2 * MNT_PI / lam * sin(dir);
        ph[k] = mnt_rng_range(&r, 0, 2 * MNT_PI);
        ax[k] = mnt_rng_normal(&r);
        ay[k] = mnt_rng_normal(&r);
    }
    /* pressure: the contact spreads from a centre, displacement growing outwards */
    double pcx = mnt_rng_range(&r, 0.3, 0.7) * w, pcy = mnt_rng_range(&r, 0.3, 0.7) * h;
    double pressure = mnt_rng_range(&r, -1.0, 1.0);
    double umax = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double vx = pressure * (x - pcx) / side * 2, vy = pressure * (y - pcy) / side * 2;
            for (int k = 0; k < MNT_WARP_MODES; k++) {
                double c = cos(kx[k] * x + ky[k] * y + ph[k]);
                vx += ax[k] * c;
                vy += ay[k] * c;
            }
            size_t i = (size_t)y * w + x;
            wp->ux[i] = (float)vx;
            wp->uy[i] = (float)vy;
            double m = hypot(vx, vy);
            if (m > umax) umax = m;
        }
    if (!(umax > 0)) return MNT_OK;
    double gmax = 0;
    for (int y = 0; y + 1 < h; y++)
        for (int x = 0; x + 1 < w; x++) {
            size_t i = (size_t)y * w + x;
            double g[4] = {wp->ux[i + 1] - wp->ux[i], wp->ux[i + w] - wp->ux[i], wp->uy[i + 1] - wp->uy[i],
                           wp->uy[i + w] - wp->uy[i]};
            for (int k = 0; k < 4; k++)
                if (fabs(g[k]) > gmax) gmax = fabs(g[k]);
        }
    double s = amplitude / umax;
    if (gmax * s > MNT_WARP_MAX_GRADIENT) s = MNT_WARP_MAX_GRADIENT / gmax;
    for (size_t i = 0; i < (size_t)w * h; i++) {
        wp->ux[i] = (float)(wp->ux[i] * s);
        wp->uy[i] = (float)(wp->uy[i] * s);
    }
    return MNT_OK;
}

static double bilinear(const float *g, int w, int h, double x, double y)
{
    x = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
    y = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
    int x0 = (int)x, y0 = (int)y, x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
    double fx = x - x0, fy = y - y0;
    const float *r0 = g + (size_t)y0 * w, *r1 = g + (size_t)y1 * w;
    return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]);
}

void mnt_warp_forward(const mnt_warp *wp, double x, double y, double angle, double *ox, double *oy, double *oangle)
{
    int w = wp->width, h = wp->height;
    double px = x, py = y;
    for (int it = 0; it < 40; it++) {
        double nx = x - bilinear(wp->ux, w, h, px, py), ny = y - bilinear(wp->uy, w, h, px, py);
        double step = fabs(nx - px) + fabs(ny - py);
        px = nx;
        py = ny;
        if (step < 1e-6) break;
    }
    /* J = I + grad u by central differences of one pixel */
    const double e = 1.0;
    double j11 = 1 + (bilinear(wp->ux, w, h, px + e, py) - bilinear(wp->ux, w, h, px - e, py)) / (2 * e);
    double j12 = (bilinear(wp->ux, w, h, px, py + e) - bilinear(wp->ux, w, h, px, py - e)) / (2 * e);
    double j21 = (bilinear(wp->uy, w, h, px + e, py) - bilinear(wp->uy, w, h, px - e, py)) / (2 * e);
    double j22 = 1 + (bilinear(wp->uy, w, h, px, py + e) - bilinear(wp->uy, w, h, px, py - e)) / (2 * e);
    double t = MNT_RAD(angle), dx = cos(t), dy = -sin(t);
    double det = j11 * j22 - j12 * j21;
    double ex = (j22 * dx - j12 * dy) / det, ey = (-j21 * dx + j11 * dy) / det;
    *ox = px;
    *oy = py;
    *oangle = mnt_angle_norm(MNT_DEG(atan2(-ey, ex)));
}

int mnt_warp_print(const mnt_warp *wp, mnt_synth_print *s, mnt_diag *d)
{
    int w = s->image.width, h = s->image.height;
    if (wp->width != w || wp->height != h)
        return mnt_fail(d, MNT_ERR_ARG, "warp %dx%d for a %dx%d print", wp->width, wp->height, w, h);
    size_t n = (size_t)w * h;
    float *img = malloc(n * sizeof *img), *ridge = malloc(n * sizeof *ridge), *fg = malloc(n * sizeof *fg);
    float *str = s->strength ? malloc(n * sizeof *str) : NULL;
    if (!img || !ridge || !fg || (s->strength && !str)) {
        free(img);
        free(ridge);
        free(fg);
        free(str);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for a %dx%d warp", w, h);
    }
    for (size_t i = 0; i < n; i++) fg[i] = s->foreground[i] ? 1.0f : 0.0f;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            double sx = (double)x + wp->ux[i], sy = (double)y + wp->uy[i];
            img[i] = (float)bilinear(s->image.px, w, h, sx, sy);
            ridge[i] = (float)bilinear(s->ridge, w, h, sx, sy);
            if (str) str[i] = (float)bilinear(s->strength, w, h, sx, sy);
            s->foreground[i] = bilinear(fg, w, h, sx, sy) > 0.5;
        }
    memcpy(s->image.px, img, n * sizeof *img);
    memcpy(s->ridge, ridge, n * sizeof *ridge);
    if (str) memcpy(s->strength, str, n * sizeof *str);
    free(str);
    free(img);
    free(ridge);
    free(fg);
    for (size_t v = 0; v < s->truth.nviews; v++)
        for (size_t i = 0; i < s->truth.views[v].n; i++) {
            mnt_minutia *m = &s->truth.views[v].m[i];
            double ox, oy, oa;
            mnt_warp_forward(wp, m->x, m->y, m->angle, &ox, &oy, &oa);
            if (ox < 0 || oy < 0 || ox > w - 1 || oy > h - 1) {
                m->hidden = 1;
                ox = ox < 0 ? 0 : ox > w - 1 ? w - 1 : ox;
                oy = oy < 0 ? 0 : oy > h - 1 ? h - 1 : oy;
            }
            m->x = ox;
            m->y = oy;
            m->angle = oa;
        }
    return MNT_OK;
}
