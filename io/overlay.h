/* The examiner's overlay: the input in grey, the region-of-interest outline, every
 * minutia as a circle with a direction tail (red endings, blue bifurcations, orange
 * other) and a legend with the counts. */
#ifndef MNT_OVERLAY_H
#define MNT_OVERLAY_H

#include <stdint.h>

#include "image.h"
#include "template.h"

/* roi: im->width*im->height bytes or NULL. scale: 1 at 500 ppi (sizes grow with ppi). */
int mnt_overlay_render(const mnt_image *im, const uint8_t *roi, const mnt_view *m, double threshold, mnt_rgb_image *out,
                       mnt_diag *d);

#endif
