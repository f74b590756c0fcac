/* Variations of the synthetic print's look beyond the zero-pole ridges, each off at 0
 * (synth's defaults, so a seed's print is unchanged): ridge-width variation, sweat
 * pores, dots, flexion creases. They work on the ridge signal (synth.h: +1 on ridge
 * centres, -1 on valley centres) before the clean image is drawn from it, so latents
 * inherit them, and draw from a random stream of their own.
 *
 * - width: the ridge/valley level is shifted by a smooth random field of amplitude
 *   ridge_width_variation (wavelengths 80..240 px): where it is positive the ridges
 *   are thicker and the valleys thinner (r = profile(v + b) with v = cos psi).
 * - pores: light dots of radius 0.8..1.4 px on ridge centres (r > 0.6), `pores` per
 *   10000 px of finger; they lift the signal by up to 75 % of the way to a valley,
 *   never splitting a ridge.
 * - dots: short dark islands of radius 1.2..2.2 px in valley centres (r < -0.6), `dots`
 *   per 10000 px of finger, kept 1.5 periods away from every true minutia (an island's
 *   two ends are not minutiae of the truth: the trainer sees them as negatives).
 * - creases: `creases` (a count range) light lines 2..5 px wide and 60..260 px long,
 *   gently curved, that cut the ridges (signal -1 along them); a true minutia within
 *   half a width plus one period of a crease is marked hidden. */
#ifndef MNT_SYNTH_LOOK_H
#define MNT_SYNTH_LOOK_H

#include <stdint.h>

#include "synth.h"

/* Applies p's look variations to s (ridge signal, truth hidden flags); needs s->ridge,
 * s->foreground and s->truth, and s->carrier.period. */
void mnt_synth_look_apply(const mnt_synth_params *p, mnt_synth_print *s, uint64_t seed);

#endif
