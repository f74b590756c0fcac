/* Region of interest for latents: blocks whose ridge structure is contrasted and
 * coherent (printed text and flat stains are not), cleaned by morphology and by
 * keeping the large connected components. */
#ifndef MNT_SEGMENT_H
#define MNT_SEGMENT_H

#include <stdint.h>

#include "orientation.h"

typedef struct {
    int block;              /* block size, pixels */
    double energy_rel;      /* block energy above this share of the 95th percentile */
    double min_coherence;   /* block coherence at least this */
    double min_component;   /* keep components of at least this share of the largest */
} mnt_segment_params;

void mnt_segment_defaults(mnt_segment_params *p);
/* mask: width*height bytes, 1 = region of interest. */
int mnt_segment(const mnt_orientation *o, const mnt_segment_params *p, uint8_t *mask, mnt_diag *d);

#endif
