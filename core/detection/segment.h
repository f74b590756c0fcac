/* Region of interest for latents: blocks whose ridge structure is contrasted and
 * coherent (printed text and flat stains are not) and repeats with a ridge period
 * (ruled lines are coherent but far apart), cleaned by morphology and by keeping the
 * large connected components. */
#ifndef MNT_SEGMENT_H
#define MNT_SEGMENT_H

#include <stdint.h>

#include "image.h"
#include "orientation.h"

typedef struct {
    int block;              /* block size, pixels */
    double energy_rel;      /* block energy above this share of the 95th percentile */
    double min_coherence;   /* block coherence at least this */
    double min_component;   /* keep components of at least this share of the largest */
    double min_period, max_period; /* the block's period across its ridges, pixels (0 = no test) */
    int grow;               /* blocks added around the region at the end */
    double weak_share;      /* hysteresis: blocks at this share of the energy and coherence
                               thresholds join where they touch the region (0 = off) */
} mnt_segment_params;

void mnt_segment_defaults(mnt_segment_params *p);
/* im: the image (the period test reads it; may be NULL to skip that test);
 * mask: width*height bytes, 1 = region of interest. */
int mnt_segment(const mnt_image *im, const mnt_orientation *o, const mnt_segment_params *p, uint8_t *mask,
                mnt_diag *d);

/* The cleaning shared by every way of finding the region: closing and opening of the
 * foreground blocks fg (bw x bh, blocks of B pixels; overwritten), the connected
 * components of at least min_component of the largest, holes filled, grown by `grow`
 * blocks, written to mask (w x h pixels). */
int mnt_region_from_blocks(uint8_t *fg, int bw, int bh, int B, const mnt_segment_params *p, int w, int h, uint8_t *mask,
                           mnt_diag *d);

/* The period of the ridges through (cx, cy): the signature across them (32 px, averaged
 * over 16 px along them) counted by its sign changes; 0 when there are none. */
double mnt_block_period(const mnt_image *im, const mnt_orientation *o, int cx, int cy);

#endif
