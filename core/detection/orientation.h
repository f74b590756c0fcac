/* Ridge orientation and coherence from the smoothed gradient structure tensor. */
#ifndef MNT_ORIENTATION_H
#define MNT_ORIENTATION_H

#include <math.h>
#include <stddef.h>

#include "image.h"

/* The smoothed tensor is what is kept; orientation, coherence and energy are computed
 * from it where they are read (mnt_orientation_theta and friends): the detector reads
 * the orientation at one pixel in four, and an atan2 for every pixel was a tenth of
 * detection. The values are those of the former planes, float for float. */
typedef struct {
    int width, height;
    float *gxx, *gyy, *gxy; /* smoothed gx^2, gy^2, gx gy; width*height each */
} mnt_orientation;

/* pre_sigma: Gaussian smoothing of the image first (noise), 0 = none;
 * sigma: smoothing of the tensor in pixels (about half a ridge period or more). */
int mnt_orientation_compute(const mnt_image *im, double pre_sigma, double sigma, mnt_orientation *out, mnt_diag *d);
void mnt_orientation_free(mnt_orientation *o);

/* Ridge orientation at pixel i, radians in [0, pi), CCW as displayed. */
static inline float mnt_orientation_theta(const mnt_orientation *o, size_t i)
{
    /* gradient direction (pixel coords, y down) is 0.5 atan2(2gxy, gxx - gyy); ridges
     * run perpendicular. Convert to CCW-as-displayed: negate the y part. */
    double a = o->gxx[i] - o->gyy[i], b = 2.0 * o->gxy[i];
    double ridge = 0.5 * atan2(b, a) + 3.14159265358979323846 / 2; /* pixel frame, [0, pi] */
    double disp = -ridge;                                           /* CCW as displayed */
    /* = fmod(disp, pi), which is exact here: disp itself, or -0 at -pi */
    if (disp <= -3.14159265358979323846) disp = -0.0;
    if (disp < 0) disp += 3.14159265358979323846;
    return (float)disp;
}

/* Coherence at pixel i: 0 (isotropic) .. 1 (clean parallel ridges). */
static inline float mnt_orientation_coherence(const mnt_orientation *o, size_t i)
{
    /* float sums, then double, as the former per-pixel loop did */
    double a = o->gxx[i] - o->gyy[i], b = 2.0 * o->gxy[i], e = o->gxx[i] + o->gyy[i];
    return (float)(e > 1e-12 ? sqrt(a * a + b * b) / e : 0);
}

/* Smoothed gradient energy (ridge contrast) at pixel i. */
static inline float mnt_orientation_energy(const mnt_orientation *o, size_t i)
{
    return o->gxx[i] + o->gyy[i];
}

#endif
