#include "orientation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "mnt_math.h"

int mnt_orientation_compute(const mnt_image *im, double pre_sigma, double sigma, mnt_orientation *out, mnt_diag *d)
{
    memset(out, 0, sizeof *out);
    int w = im->width, h = im->height;
    size_t n = (size_t)w * h;
    float *gxx = malloc(n * sizeof *gxx), *gyy = malloc(n * sizeof *gyy), *gxy = malloc(n * sizeof *gxy);
    if (!gxx || !gyy || !gxy) {
        free(gxx); free(gyy); free(gxy);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for the orientation field");
    }
    out->width = w;
    out->height = h;
    const float *src = im->px;
    float *smooth = NULL;
    if (pre_sigma > 0) {
        smooth = malloc(n * sizeof *smooth);
        if (!smooth || mnt_smooth(memcpy(smooth, im->px, n * sizeof *smooth), w, h, pre_sigma)) {
            free(smooth); free(gxx); free(gyy); free(gxy);
            return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for the orientation field");
        }
        src = smooth;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int xa = x > 0 ? x - 1 : x, xb = x < w - 1 ? x + 1 : x, ya = y > 0 ? y - 1 : y, yb = y < h - 1 ? y + 1 : y;
            float gx = (src[(size_t)y * w + xb] - src[(size_t)y * w + xa]) / (float)(xb - xa > 0 ? xb - xa : 1);
            float gy = (src[(size_t)yb * w + x] - src[(size_t)ya * w + x]) / (float)(yb - ya > 0 ? yb - ya : 1);
            size_t i = (size_t)y * w + x;
            gxx[i] = gx * gx;
            gyy[i] = gy * gy;
            gxy[i] = gx * gy;
        }
    free(smooth);
    int rc = 0;
    if ((rc = mnt_smooth(gxx, w, h, sigma)) || (rc = mnt_smooth(gyy, w, h, sigma)) || (rc = mnt_smooth(gxy, w, h, sigma))) {
        free(gxx); free(gyy); free(gxy);
        return mnt_fail(d, rc, "out of memory for the orientation field");
    }
    out->gxx = gxx;
    out->gyy = gyy;
    out->gxy = gxy;
    return MNT_OK;
}

void mnt_orientation_free(mnt_orientation *o)
{
    if (!o) return;
    free(o->gxx);
    free(o->gyy);
    free(o->gxy);
    memset(o, 0, sizeof *o);
}
