/* Elastic distortion of an impression: a smooth displacement field, the print resampled
 * through it and its minutiae moved with the ridges.
 *
 * The field is backward: the distorted image at p shows the source at p + u(p). A source
 * minutia at q therefore lands at the p with p + u(p) = q (fixed-point iteration
 * p <- q - u(p), a contraction since |grad u| < 1), and its direction d becomes
 * J^-1 d with J = I + grad u at p (pixel coordinates, y down). */
#ifndef MNT_LATENT_WARP_H
#define MNT_LATENT_WARP_H

#include <stdint.h>

#include "synth.h"

typedef struct {
    int width, height;
    float *ux, *uy;   /* displacement at each pixel, pixels */
} mnt_warp;

enum { MNT_WARP_MODES = 5 };
#define MNT_WARP_MAX_GRADIENT 0.3  /* the random field's largest |du/dx| etc. */

int mnt_warp_alloc(mnt_warp *wp, int w, int h, mnt_diag *d);
void mnt_warp_free(mnt_warp *wp);

/* A random smooth field (MNT_WARP_MODES plane waves, wavelengths 0.8..2 times the larger
 * side, plus a pressure term radial from a random centre) scaled so its largest
 * displacement is `amplitude` pixels, or less where a component of its gradient would
 * exceed MNT_WARP_MAX_GRADIENT. Deterministic in seed. */
int mnt_warp_random(mnt_warp *wp, int w, int h, double amplitude, uint64_t seed, mnt_diag *d);

/* Where the source point (x, y) with direction angle (degrees, the minutiae convention)
 * lands in the distorted image. */
void mnt_warp_forward(const mnt_warp *wp, double x, double y, double angle, double *ox, double *oy,
                      double *oangle);

/* Distorts s in place: image, ridge (and strength, when there is one) bilinearly,
 * foreground by its bilinear share above one half, every truth minutia moved (one
 * pushed off the image is clamped to its edge and hidden). */
int mnt_warp_print(const mnt_warp *wp, mnt_synth_print *s, mnt_diag *d);

#endif
