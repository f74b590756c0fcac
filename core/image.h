/* Grey image with float samples in [0, 1] (0 = black) and its resolution. */
#ifndef MNT_IMAGE_H
#define MNT_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "mnt_error.h"

enum { MNT_MAX_DIM = 16384 };

typedef struct {
    int width, height;
    double ppi;      /* pixels per inch; 0 when the file did not say */
    float *px;       /* row-major, width * height */
} mnt_image;

/* 8-bit RGB canvas for overlays and plots. */
typedef struct {
    int width, height;
    double ppi;
    uint8_t *rgb;    /* row-major, 3 bytes per pixel */
} mnt_rgb_image;

/* The one size check of every decoder (and of mnt_image_alloc): empty, over MNT_MAX_DIM
 * per side, or over max_pixels (0 = no budget), each with one message. */
int mnt_image_check_size(int width, int height, size_t max_pixels, mnt_diag *d);
/* Allocates a zeroed image; refuses sizes over MNT_MAX_DIM or max_pixels (0 = no budget). */
int mnt_image_alloc(mnt_image *im, int width, int height, size_t max_pixels, mnt_diag *d);
void mnt_image_free(mnt_image *im);
/* Mirrors a w x h plane left-right in place (tape and gel lifts). */
void mnt_image_mirror_rows(float *px, int w, int h);
int mnt_rgb_alloc(mnt_rgb_image *im, int width, int height, mnt_diag *d);
void mnt_rgb_free(mnt_rgb_image *im);

/* Resamples by `scale` (output = round(input * scale)) with bilinear interpolation,
 * Gaussian pre-smoothing when shrinking; the output keeps ppi * scale. */
int mnt_image_resample(const mnt_image *src, double scale, mnt_image *dst, mnt_diag *d);

/* The 4-neighbours of pixel i in a w x h grid, written to nb; returns how many (flood
 * fills over pixels). */
static inline int mnt_neighbours4(size_t i, int w, int h, size_t nb[4])
{
    int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w), n = 0;
    if (x > 0) nb[n++] = i - 1;
    if (x + 1 < w) nb[n++] = i + 1;
    if (y > 0) nb[n++] = i - (size_t)w;
    if (y + 1 < h) nb[n++] = i + (size_t)w;
    return n;
}

/* Checked width * height * elem, 0 on overflow. */
size_t mnt_checked_size(size_t a, size_t b, size_t c);

#endif
