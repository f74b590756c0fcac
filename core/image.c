#include "image.h"

#include <math.h>

#include "filter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t mnt_checked_size(size_t a, size_t b, size_t c)
{
    if (a == 0 || b == 0 || c == 0) return 0;
    if (a > SIZE_MAX / b) return 0;
    size_t ab = a * b;
    if (ab > SIZE_MAX / c) return 0;
    return ab * c;
}

int mnt_image_check_size(int width, int height, size_t max_pixels, mnt_diag *d)
{
    if (width <= 0 || height <= 0)
        return mnt_fail(d, MNT_ERR_FORMAT, "image size %dx%d is empty", width, height);
    if (width > MNT_MAX_DIM || height > MNT_MAX_DIM)
        return mnt_fail(d, MNT_ERR_LIMIT, "image size %dx%d exceeds the limit of %d per side",
                        width, height, MNT_MAX_DIM);
    if (max_pixels && (size_t)width * (size_t)height > max_pixels)
        return mnt_fail(d, MNT_ERR_LIMIT, "image of %dx%d pixels exceeds the budget of %zu pixels",
                        width, height, max_pixels);
    return MNT_OK;
}

int mnt_image_alloc(mnt_image *im, int width, int height, size_t max_pixels, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    int rc = mnt_image_check_size(width, height, max_pixels, d);
    if (rc) return rc;
    size_t bytes = mnt_checked_size((size_t)width, (size_t)height, sizeof(float));
    if (!bytes) return mnt_fail(d, MNT_ERR_LIMIT, "image size overflows");
    im->px = calloc(1, bytes);
    if (!im->px) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for a %dx%d image", width, height);
    im->width = width;
    im->height = height;
    return MNT_OK;
}

void mnt_image_free(mnt_image *im)
{
    if (!im) return;
    free(im->px);
    memset(im, 0, sizeof *im);
}

int mnt_rgb_alloc(mnt_rgb_image *im, int width, int height, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    int rc = mnt_image_check_size(width, height, 0, d);
    if (rc) return rc;
    size_t bytes = mnt_checked_size((size_t)width, (size_t)height, 3);
    im->rgb = calloc(1, bytes);
    if (!im->rgb) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for a %dx%d image", width, height);
    im->width = width;
    im->height = height;
    return MNT_OK;
}

void mnt_rgb_free(mnt_rgb_image *im)
{
    if (!im) return;
    free(im->rgb);
    memset(im, 0, sizeof *im);
}

int mnt_image_resample(const mnt_image *src, double scale, mnt_image *dst, mnt_diag *d)
{
    int w = (int)lround(src->width * scale), h = (int)lround(src->height * scale);
    int rc = mnt_image_alloc(dst, w < 1 ? 1 : w, h < 1 ? 1 : h, 0, d);
    if (rc) return rc;
    dst->ppi = src->ppi * scale;
    const float *px = src->px;
    float *smooth = NULL;
    if (scale < 1) {
        size_t n = (size_t)src->width * src->height;
        smooth = malloc(n * sizeof *smooth);
        if (!smooth) {
            mnt_image_free(dst);
            return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        }
        memcpy(smooth, src->px, n * sizeof *smooth);
        if ((rc = mnt_gaussian_blur(smooth, src->width, src->height, 0.5 / scale))) {
            free(smooth);
            mnt_image_free(dst);
            return mnt_fail(d, rc, "out of memory");
        }
        px = smooth;
    }
    for (int y = 0; y < dst->height; y++)
        for (int x = 0; x < dst->width; x++) {
            double sx = (x + 0.5) / scale - 0.5, sy = (y + 0.5) / scale - 0.5;
            if (sx < 0) sx = 0;
            if (sy < 0) sy = 0;
            if (sx > src->width - 1) sx = src->width - 1;
            if (sy > src->height - 1) sy = src->height - 1;
            int x0 = (int)sx, y0 = (int)sy, x1 = x0 + 1 < src->width ? x0 + 1 : x0, y1 = y0 + 1 < src->height ? y0 + 1 : y0;
            double fx = sx - x0, fy = sy - y0;
            double a = px[(size_t)y0 * src->width + x0] * (1 - fx) + px[(size_t)y0 * src->width + x1] * fx;
            double b = px[(size_t)y1 * src->width + x0] * (1 - fx) + px[(size_t)y1 * src->width + x1] * fx;
            dst->px[(size_t)y * dst->width + x] = (float)(a * (1 - fy) + b * fy);
        }
    free(smooth);
    return MNT_OK;
}

void mnt_image_mirror_rows(float *px, int w, int h)
{
    for (int y = 0; y < h; y++) {
        float *row = px + (size_t)y * w;
        for (int x = 0; x < w / 2; x++) {
            float tmp = row[x];
            row[x] = row[w - 1 - x];
            row[w - 1 - x] = tmp;
        }
    }
}
