#include "enhance.h"

#include <math.h>
#include <string.h>

enum { MAX_TAPS = 49 };

int mnt_enhance_along_ridges(const mnt_image *im, const mnt_orientation *o, double sigma, mnt_image *out,
                             mnt_diag *d)
{
    if (!(sigma > 0 && sigma <= 8)) return mnt_fail(d, MNT_ERR_ARG, "ridge smoothing sigma %g outside (0, 8]", sigma);
    if (o->width != im->width || o->height != im->height)
        return mnt_fail(d, MNT_ERR_ARG, "orientation field %dx%d does not match the image %dx%d", o->width, o->height,
                        im->width, im->height);
    int rc = mnt_image_alloc(out, im->width, im->height, 0, d);
    if (rc) return rc;
    out->ppi = im->ppi;
    int w = im->width, h = im->height, r = (int)ceil(3 * sigma);
    if (2 * r + 1 > MAX_TAPS) r = (MAX_TAPS - 1) / 2;
    float wt[MAX_TAPS];
    double sum = 0;
    for (int k = -r; k <= r; k++) sum += wt[k + r] = (float)exp(-0.5 * k * k / (sigma * sigma));
    for (int k = 0; k < 2 * r + 1; k++) wt[k] = (float)(wt[k] / sum);
    const float *px = im->px;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            /* unit ridge direction in pixel coordinates (y down) */
            float tx = cosf(o->theta[i]), ty = -sinf(o->theta[i]);
            float acc = 0;
            for (int k = -r; k <= r; k++) {
                float sx = (float)x + (float)k * tx, sy = (float)y + (float)k * ty;
                sx = sx < 0 ? 0 : sx > (float)(w - 1) ? (float)(w - 1) : sx;
                sy = sy < 0 ? 0 : sy > (float)(h - 1) ? (float)(h - 1) : sy;
                int x0 = (int)sx, y0 = (int)sy;
                int x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
                float fx = sx - (float)x0, fy = sy - (float)y0;
                const float *r0 = px + (size_t)y0 * w, *r1 = px + (size_t)y1 * w;
                float v = (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]);
                acc += wt[k + r] * v;
            }
            out->px[i] = acc;
        }
    return MNT_OK;
}
