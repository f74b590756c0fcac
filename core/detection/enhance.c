#include "enhance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TAPS = 97 }; /* 3 sigma each side at sigma 16 */

static inline float bilinear(const float *px, int w, int h, float sx, float sy)
{
    sx = sx < 0 ? 0 : sx > (float)(w - 1) ? (float)(w - 1) : sx;
    sy = sy < 0 ? 0 : sy > (float)(h - 1) ? (float)(h - 1) : sy;
    int x0 = (int)sx, y0 = (int)sy;
    int x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
    float fx = sx - (float)x0, fy = sy - (float)y0;
    const float *r0 = px + (size_t)y0 * w, *r1 = px + (size_t)y1 * w;
    return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]);
}

/* Where pixels 0 .. n-1 fall between grid samples (off + i f, gn of them): the clamps,
 * division and split of bilinear() once per column or row. */
static void grid_taps(int n, int gn, int off, int f, int *i0, int *i1, float *frac)
{
    for (int x = 0; x < n; x++) {
        float s = (float)(x - off) / (float)f;
        s = s < 0 ? 0 : s > (float)(gn - 1) ? (float)(gn - 1) : s;
        int a = (int)s;
        i0[x] = a;
        i1[x] = a + 1 < gn ? a + 1 : a;
        frac[x] = s - (float)a;
    }
}

/* out (w x h) = grid (gw x gh) interpolated bilinearly, the same floats as bilinear()
 * per pixel (the reference below does that), with the taps computed once per column
 * and row. */
static int upsample(const float *grid, int gw, int gh, int off, int f, mnt_image *out)
{
    int w = out->width, h = out->height;
    int *xi = malloc(2 * (size_t)w * sizeof *xi), *yi = malloc(2 * (size_t)h * sizeof *yi);
    float *fxs = malloc((size_t)w * sizeof *fxs), *fys = malloc((size_t)h * sizeof *fys);
    if (!xi || !yi || !fxs || !fys) {
        free(xi); free(yi); free(fxs); free(fys);
        return MNT_ERR_NOMEM;
    }
    grid_taps(w, gw, off, f, xi, xi + w, fxs);
    grid_taps(h, gh, off, f, yi, yi + h, fys);
    for (int y = 0; y < h; y++) {
        const float *r0 = grid + (size_t)yi[y] * gw, *r1 = grid + (size_t)yi[h + y] * gw;
        float fy = fys[y], *dst = out->px + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            int x0 = xi[x], x1 = xi[w + x];
            float fx = fxs[x];
            dst[x] = (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]);
        }
    }
    free(xi); free(yi); free(fxs); free(fys);
    return MNT_OK;
}

int mnt_enhance_along_ridges(const mnt_image *im, const mnt_orientation *o, double sigma, int factor,
                             mnt_image *out, mnt_diag *d)
{
    if (!(sigma > 0 && sigma <= 16)) return mnt_fail(d, MNT_ERR_ARG, "ridge smoothing sigma %g outside (0, 16]", sigma);
    if (factor < 1 || factor > 8) return mnt_fail(d, MNT_ERR_ARG, "ridge smoothing factor %d outside 1..8", factor);
    if (o->width != im->width || o->height != im->height)
        return mnt_fail(d, MNT_ERR_ARG, "orientation field %dx%d does not match the image %dx%d", o->width, o->height,
                        im->width, im->height);
    int w = im->width, h = im->height, f = factor, off = f / 2;
    int gw = (w - off + f - 1) / f, gh = (h - off + f - 1) / f; /* grid pixels off + i f */
    if (gw < 1) gw = 1;
    if (gh < 1) gh = 1;
    float *grid = malloc((size_t)gw * gh * sizeof *grid);
    if (!grid) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for ridge smoothing");
    int rc = mnt_image_alloc(out, w, h, 0, d);
    if (rc) {
        free(grid);
        return rc;
    }
    out->ppi = im->ppi;
    int r = (int)ceil(3 * sigma / f);
    if (2 * r + 1 > MAX_TAPS) r = (MAX_TAPS - 1) / 2;
    float wt[MAX_TAPS];
    double sum = 0;
    for (int k = -r; k <= r; k++) sum += wt[k + r] = (float)exp(-0.5 * (k * f) * (k * f) / (sigma * sigma));
    for (int k = 0; k < 2 * r + 1; k++) wt[k] = (float)(wt[k] / sum);
    for (int j = 0; j < gh; j++) {
        int y = off + j * f < h ? off + j * f : h - 1;
        for (int i = 0; i < gw;) {
            /* four grid points at once when all their taps are inside: four independent
             * sums (each in the order of the one-point loop below, so the same floats)
             * instead of one chain of dependent adds */
            if (i + 4 <= gw && off + (i + 3) * f < w) {
                float xs[4], ths[4], txs[4], tys[4], acc[4] = {0, 0, 0, 0};
                int inside = 1;
                for (int l = 0; l < 4; l++) {
                    int x = off + (i + l) * f;
                    ths[l] = mnt_orientation_theta(o, (size_t)y * w + x);
                    txs[l] = (float)f * cosf(ths[l]);
                    tys[l] = -(float)f * sinf(ths[l]);
                    xs[l] = (float)x;
                    float ex = (float)r * fabsf(txs[l]), ey = (float)r * fabsf(tys[l]);
                    inside &= (float)x - ex >= 0 && (float)x + ex < (float)(w - 1) && (float)y - ey >= 0 &&
                              (float)y + ey < (float)(h - 1);
                }
                if (inside) {
                    for (int k = -r; k <= r; k++)
                        for (int l = 0; l < 4; l++) {
                            float sx = xs[l] + (float)k * txs[l], sy = (float)y + (float)k * tys[l];
                            int x0 = (int)sx, y0 = (int)sy;
                            float fx = sx - (float)x0, fy = sy - (float)y0;
                            const float *r0 = im->px + (size_t)y0 * w + x0, *r1 = r0 + w;
                            acc[l] += wt[k + r] * ((1 - fy) * ((1 - fx) * r0[0] + fx * r0[1]) + fy * ((1 - fx) * r1[0] + fx * r1[1]));
                        }
                    for (int l = 0; l < 4; l++) grid[(size_t)j * gw + i + l] = acc[l];
                    i += 4;
                    continue;
                }
            }
            int x = off + i * f < w ? off + i * f : w - 1;
            float th = mnt_orientation_theta(o, (size_t)y * w + x);
            /* unit ridge direction in pixel coordinates (y down), f pixels per tap */
            float tx = (float)f * cosf(th), ty = -(float)f * sinf(th), acc = 0;
            float ex = (float)r * fabsf(tx), ey = (float)r * fabsf(ty);
            if ((float)x - ex >= 0 && (float)x + ex < (float)(w - 1) && (float)y - ey >= 0 && (float)y + ey < (float)(h - 1)) {
                /* every tap inside: the same sums without the clamps */
                for (int k = -r; k <= r; k++) {
                    float sx = (float)x + (float)k * tx, sy = (float)y + (float)k * ty;
                    int x0 = (int)sx, y0 = (int)sy;
                    float fx = sx - (float)x0, fy = sy - (float)y0;
                    const float *r0 = im->px + (size_t)y0 * w + x0, *r1 = r0 + w;
                    acc += wt[k + r] * ((1 - fy) * ((1 - fx) * r0[0] + fx * r0[1]) + fy * ((1 - fx) * r1[0] + fx * r1[1]));
                }
            } else {
                for (int k = -r; k <= r; k++)
                    acc += wt[k + r] * bilinear(im->px, w, h, (float)x + (float)k * tx, (float)y + (float)k * ty);
            }
            grid[(size_t)j * gw + i] = acc;
            i++;
        }
    }
    if (f == 1) {
        memcpy(out->px, grid, (size_t)w * h * sizeof *grid);
    } else if ((rc = upsample(grid, gw, gh, off, f, out))) {
        free(grid);
        mnt_image_free(out);
        return mnt_fail(d, rc, "out of memory for ridge smoothing");
    }
    free(grid);
    return MNT_OK;
}

/* The one-point-at-a-time version, the reference the function above is tested against
 * (equal floats). */
int mnt_enhance_along_ridges_reference(const mnt_image *im, const mnt_orientation *o, double sigma, int factor,
                             mnt_image *out, mnt_diag *d)
{
    if (!(sigma > 0 && sigma <= 16)) return mnt_fail(d, MNT_ERR_ARG, "ridge smoothing sigma %g outside (0, 16]", sigma);
    if (factor < 1 || factor > 8) return mnt_fail(d, MNT_ERR_ARG, "ridge smoothing factor %d outside 1..8", factor);
    if (o->width != im->width || o->height != im->height)
        return mnt_fail(d, MNT_ERR_ARG, "orientation field %dx%d does not match the image %dx%d", o->width, o->height,
                        im->width, im->height);
    int w = im->width, h = im->height, f = factor, off = f / 2;
    int gw = (w - off + f - 1) / f, gh = (h - off + f - 1) / f; /* grid pixels off + i f */
    if (gw < 1) gw = 1;
    if (gh < 1) gh = 1;
    float *grid = malloc((size_t)gw * gh * sizeof *grid);
    if (!grid) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for ridge smoothing");
    int rc = mnt_image_alloc(out, w, h, 0, d);
    if (rc) {
        free(grid);
        return rc;
    }
    out->ppi = im->ppi;
    int r = (int)ceil(3 * sigma / f);
    if (2 * r + 1 > MAX_TAPS) r = (MAX_TAPS - 1) / 2;
    float wt[MAX_TAPS];
    double sum = 0;
    for (int k = -r; k <= r; k++) sum += wt[k + r] = (float)exp(-0.5 * (k * f) * (k * f) / (sigma * sigma));
    for (int k = 0; k < 2 * r + 1; k++) wt[k] = (float)(wt[k] / sum);
    for (int j = 0; j < gh; j++)
        for (int i = 0; i < gw; i++) {
            int x = off + i * f < w ? off + i * f : w - 1, y = off + j * f < h ? off + j * f : h - 1;
            float th = mnt_orientation_theta(o, (size_t)y * w + x);
            /* unit ridge direction in pixel coordinates (y down), f pixels per tap */
            float tx = (float)f * cosf(th), ty = -(float)f * sinf(th), acc = 0;
            float ex = (float)r * fabsf(tx), ey = (float)r * fabsf(ty);
            if ((float)x - ex >= 0 && (float)x + ex < (float)(w - 1) && (float)y - ey >= 0 && (float)y + ey < (float)(h - 1)) {
                /* every tap inside: the same sums without the clamps */
                for (int k = -r; k <= r; k++) {
                    float sx = (float)x + (float)k * tx, sy = (float)y + (float)k * ty;
                    int x0 = (int)sx, y0 = (int)sy;
                    float fx = sx - (float)x0, fy = sy - (float)y0;
                    const float *r0 = im->px + (size_t)y0 * w + x0, *r1 = r0 + w;
                    acc += wt[k + r] * ((1 - fy) * ((1 - fx) * r0[0] + fx * r0[1]) + fy * ((1 - fx) * r1[0] + fx * r1[1]));
                }
            } else {
                for (int k = -r; k <= r; k++)
                    acc += wt[k + r] * bilinear(im->px, w, h, (float)x + (float)k * tx, (float)y + (float)k * ty);
            }
            grid[(size_t)j * gw + i] = acc;
        }
    if (f == 1) {
        memcpy(out->px, grid, (size_t)w * h * sizeof *grid);
    } else {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                out->px[(size_t)y * w + x] =
                    bilinear(grid, gw, gh, (float)(x - off) / (float)f, (float)(y - off) / (float)f);
    }
    free(grid);
    return MNT_OK;
}
