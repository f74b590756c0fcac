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

/* sigma: smoothing of the tensor in pixels (about one ridge period). */
int mnt_orientation_compute(const mnt_image *im, double sigma, mnt_orientation *out, mnt_diag *d);
void mnt_orientation_free(mnt_orientation *o);

#endif
