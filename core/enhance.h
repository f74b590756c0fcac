/* Contextual enhancement: smoothing along the local ridge direction. Averaging along
 * ridges removes noise, specks and short breaks without blurring ridges into valleys
 * (which smoothing across them would); a ridge ending moves by about sigma. */
#ifndef MNT_ENHANCE_H
#define MNT_ENHANCE_H

#include "image.h"
#include "orientation.h"

/* out (allocated here, free with mnt_image_free) = im smoothed by a 1-D Gaussian of
 * sigma pixels along the ridge orientation o->theta at each pixel (bilinear samples,
 * edges clamped). sigma in (0, 8]. */
int mnt_enhance_along_ridges(const mnt_image *im, const mnt_orientation *o, double sigma, mnt_image *out,
                             mnt_diag *d);

#endif
