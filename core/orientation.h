/* Ridge orientation and coherence from the smoothed gradient structure tensor. */
#ifndef MNT_ORIENTATION_H
#define MNT_ORIENTATION_H

#include "image.h"

typedef struct {
    int width, height;
    float *theta;     /* ridge orientation, radians in [0, pi), CCW as displayed */
    float *coherence; /* 0 (isotropic) .. 1 (clean parallel ridges) */
    float *energy;    /* smoothed gradient energy (ridge contrast) */
} mnt_orientation;

/* pre_sigma: Gaussian smoothing of the image first (noise), 0 = none;
 * sigma: smoothing of the tensor in pixels (about half a ridge period or more). */
int mnt_orientation_compute(const mnt_image *im, double pre_sigma, double sigma, mnt_orientation *out, mnt_diag *d);
void mnt_orientation_free(mnt_orientation *o);

#endif
