/* Separable smoothing filters on float planes. */
#ifndef MNT_FILTER_H
#define MNT_FILTER_H

#include "mnt_error.h"

/* Gaussian blur of a w x h plane in place (sigma in pixels, edges clamped). */
int mnt_gaussian_blur(float *plane, int w, int h, double sigma);
/* Box mean over a (2r+1)^2 window, edges clamped, in place. */
int mnt_box_blur(float *plane, int w, int h, int r);

#endif
