/* Binary ridge skeletons and crossing-number minutiae: the classical extractor,
 * used to prove the synthetic ground truth and as a baseline. */
#ifndef MNT_SKELETON_H
#define MNT_SKELETON_H

#include <stddef.h>
#include <stdint.h>

#include "mnt_error.h"
#include "template.h"

/* Zhang-Suen thinning of a binary w x h plane (1 = ridge) in place. */
int mnt_thin(uint8_t *bin, int w, int h);

/* Crossing-number minutiae of a thinned plane: CN 1 -> ending, CN 3 -> bifurcation.
 * Direction: traced `trace` pixels along the skeleton: an ending points into its
 * ridge, a bifurcation into the valley between its two closest branches.
 * Points within `margin` of the border or outside mask (if not NULL) are skipped. */
int mnt_crossing_minutiae(const uint8_t *skel, int w, int h, const uint8_t *mask, int margin, int trace,
                          mnt_view *out);

#endif
