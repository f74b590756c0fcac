/* Real prints as latent sources: a grey print (ridges dark) and its labels become the
 * mnt_synth_print that mnt_latent_render degrades, so latents made from real prints go
 * through exactly the synthetic pipeline and carry the labels over.
 *
 * - Resolution: the print is resampled to 500 ppi (ppi 0, unknown, is taken as 500), the
 *   resolution every degradation's pixel sizes are meant for; truth coordinates follow
 *   the resampling's pixel-centre mapping x' = (x + 0.5) s - 0.5.
 * - Margin: a blank border of `margin` pixels on every side (tenprint scans are cropped
 *   tight; a latent shows surface around the mark); coordinates shift by it.
 * - Foreground: where the local contrast (standard deviation over a Gaussian window of
 *   foreground_sigma) reaches foreground_level times its 95th percentile; the largest
 *   connected part, holes filled, edge smoothed; and within the mask when one is given.
 * - Ridge signal: the print smoothed at 0.6 px, minus its local mean, over sqrt(2) times
 *   its local standard deviation (both Gaussian windows of normalise_sigma), with the
 *   sign making dark ridges +1 (synth's convention: ridges where the signal is near 1),
 *   through synth's flat-topped profile tanh(2.2 v) / tanh(2.2).
 * - Strength: the local standard deviation over half its 95th percentile, at most 1.
 *   Where the print itself is faint the ridge signal fades towards -1 (no deposit,
 *   the bare surface): r = -1 + strength (1 + profile); off the foreground r = -1 and
 *   strength 0. The renderer counts strength in the local contrast of the hidden test.
 * Labels are copied as they are (hidden ones stay hidden); the renderer decides the
 * rest. */
#ifndef MNT_LATENT_REAL_H
#define MNT_LATENT_REAL_H

#include <stdint.h>

#include "image.h"
#include "synth.h"
#include "template.h"

typedef struct {
    double normalise_sigma;   /* local mean and contrast window, pixels at 500 ppi */
    double foreground_sigma;  /* window of the contrast deciding the foreground */
    double foreground_level;  /* share of the contrast's 95th percentile */
    int margin;               /* blank border added on every side, pixels at 500 ppi */
} mnt_real_params;

void mnt_real_defaults(mnt_real_params *p);
int mnt_real_validate(const mnt_real_params *p, mnt_diag *d);

/* Makes out from image im, its truth (view 0, pixels of im) and an optional mask (im's
 * size, nonzero = may be foreground; NULL = none). MNT_ERR_FORMAT when no print is
 * found (a flat image). */
int mnt_real_print_make(const mnt_real_params *p, const mnt_image *im, const uint8_t *mask, const mnt_template *truth,
                        mnt_synth_print *out, mnt_diag *d);

#endif
