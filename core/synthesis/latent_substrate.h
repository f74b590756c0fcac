/* Surfaces and deposits real marks show beyond latent.c's clutter: substrate textures
 * (paper fibres, woven fabric, fine gratings) and powder or ink blotches. Each draws
 * from the generator it is given and writes planes the renderer composes. */
#ifndef MNT_LATENT_SUBSTRATE_H
#define MNT_LATENT_SUBSTRATE_H

#include "mnt_error.h"
#include "rng.h"

typedef enum { MNT_SUBSTRATE_FIBRE = 0, MNT_SUBSTRATE_WOVEN, MNT_SUBSTRATE_GRATING } mnt_substrate_kind;

/* Adds a texture of one kind to tex (w x h, relative brightness change: the surface is
 * multiplied by 1 + tex), with standard deviation about `strength`.
 * - fibre: band-limited grain (noise smoothed at 1.2 px) and short curved fibres, light
 *   or dark, 10..60 px long, about one per 400 px;
 * - woven: a plain weave, threads 5..12 px apart at a random angle, warp and weft over
 *   and under in a checkerboard;
 * - grating: parallel lines 6..16 px apart (the ridge period range), gently curved. */
int mnt_substrate_add(mnt_substrate_kind kind, float *tex, int w, int h, double strength, mnt_rng *r);

/* Stamps `count` blotches into an opacity plane (0..1) and the colour plane below it (grey
 * the blotch shows where opaque), each composed over the earlier ones:
 * - ink (half of them): an irregular disc of radius 5..35 px, sharp edge, opacity
 *   0.7..1, grey 0.05..0.3;
 * - powder: radius 10..50 px, soft edge over 40 % of the radius, grainy, opacity
 *   0.5..0.95, grey 0.15..0.45.
 * The renderer shows v (1 - opacity) + colour opacity and counts the print's contrast
 * times (1 - opacity) in the hidden test. */
int mnt_blotches_add(float *opacity, float *colour, int w, int h, int count, mnt_rng *r);

#endif
