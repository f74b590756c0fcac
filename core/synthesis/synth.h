/* Synthetic fingertips with exact minutiae: a carrier phase (synth_carrier.h) plus one
 * spiral phase p_n atan2(y - y_n, x - x_n) per minutia, rendered as dark ridges where
 * cos(psi) is near 1. Writing L for the phase without minutia n's own spiral and g for
 * the gradient of L at the minutia, L + p atan2(g_y, g_x) = pi/2 (mod 2 pi) makes a
 * ridge ending and 3 pi/2 a bifurcation (the spiral's angle is measured from +x, hence
 * the gradient term), and the direction is d = p (g_y, -g_x) for both types;
 * tests/test_synth.c proves it by thinning and crossing number. */
#ifndef MNT_SYNTH_H
#define MNT_SYNTH_H

#include <stdint.h>

#include "image.h"
#include "synth_carrier.h"
#include "template.h"

typedef struct {
    int width, height;
    double period_min, period_max;   /* ridge period range, pixels (8..12 at 500 ppi) */
    double density;                  /* minutiae per 10000 foreground pixels */
    double min_spacing;              /* usual minimum distance between minutiae, periods */
    double close_pair_share;         /* share of minutiae placed as close pairs */
    double close_pair_spacing;       /* distance within a close pair, periods */
    double ending_share;             /* share of ridge endings */
    double singular_clearance;       /* keep minutiae this far from singular points and folds, periods */
    double class_weights[MNT_CLASS_COUNT]; /* arch, tented arch, left loop, right loop, whorl */
    double ridge_contrast;           /* ridge darkness on the clean print, 0..1 */
    /* look variations (synth_look.h), all off at 0 */
    double ridge_width_variation;    /* amplitude of the ridge/valley level shift, 0..0.6 */
    double pores;                    /* sweat pores per 10000 px of finger */
    double dots;                     /* valley dots per 10000 px of finger */
    double creases_min, creases_max; /* flexion creases per print (range) */
} mnt_synth_params;

void mnt_synth_defaults(mnt_synth_params *p);
int mnt_synth_validate(const mnt_synth_params *p, mnt_diag *d);

typedef struct {
    mnt_image image;       /* clean print, 500 ppi, grey in [0,1], ridges dark */
    float *ridge;          /* ridge signal in [-1,1] (cos psi through the profile), for latents */
    float *strength;       /* the print's own local contrast 0..1 (real prints); NULL = 1 */
    uint8_t *foreground;   /* finger area */
    mnt_template truth;    /* one view; every minutia visible (latent marks hidden ones) */
    mnt_print_class cls;
    mnt_carrier carrier;
} mnt_synth_print;

/* Makes one print; deterministic in (params, seed). */
int mnt_synth_print_make(const mnt_synth_params *p, uint64_t seed, mnt_synth_print *out, mnt_diag *d);
/* Chooses a class from the weights with rng (exposed for tests of the proportions). */
mnt_print_class mnt_synth_pick_class(const mnt_synth_params *p, double u);
void mnt_synth_print_free(mnt_synth_print *s);

#endif
