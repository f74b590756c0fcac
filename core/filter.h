/* Separable smoothing filters on float planes. */
#ifndef MNT_FILTER_H
#define MNT_FILTER_H

#include "mnt_error.h"

/* Gaussian blur of a w x h plane in place (sigma in pixels, edges clamped). */
int mnt_gaussian_blur(float *plane, int w, int h, double sigma);
/* Two box passes of the radius whose variance is closest to sigma^2: a Gaussian
 * approximation at a cost independent of sigma (exact Gaussian below sigma 0.8). */
int mnt_smooth(float *plane, int w, int h, double sigma);

/* Box mean over a (2r+1)^2 window, edges clamped, in place. */
int mnt_box_blur(float *plane, int w, int h, int r);
/* The plain version of the same (a full copy of the plane, clamps everywhere), the
 * reference mnt_box_blur is tested against: both give equal floats. */
int mnt_box_blur_reference(float *plane, int w, int h, int r);

#endif
