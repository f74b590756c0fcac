/* Contextual enhancement: smoothing along the local ridge direction. Averaging along
 * ridges removes noise, specks and short breaks without blurring ridges into valleys
 * (which smoothing across them would); a ridge ending moves by about sigma. */
#ifndef MNT_ENHANCE_H
#define MNT_ENHANCE_H

#include "image.h"
#include "orientation.h"

/* out (allocated here, free with mnt_image_free) = im smoothed by a 1-D Gaussian of
 * sigma pixels along the ridge orientation of o (bilinear samples, edges clamped).
 * With factor f > 1 the smoothing is computed only on the pixels (f/2 + i f, f/2 + j f),
 * with taps f pixels apart, and the rest of out is bilinear between them: f^2 to f^3
 * times less work, and exact where patches sampled every f-th pixel fall on that grid.
 * im should then be smooth at the scale of f (the patch source is). sigma in (0, 16],
 * f in 1..8. */
int mnt_enhance_along_ridges(const mnt_image *im, const mnt_orientation *o, double sigma, int factor,
                             mnt_image *out, mnt_diag *d);
/* The plain version (one grid point at a time), the reference the above is tested
 * against: both give equal floats. */
int mnt_enhance_along_ridges_reference(const mnt_image *im, const mnt_orientation *o, double sigma, int factor,
                                       mnt_image *out, mnt_diag *d);

#endif
