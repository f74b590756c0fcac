/* The region of interest from the GSAE's foreground head: a patch per block goes
 * through the encoder (tiles of patches, one sgemm each), the head's probability that
 * the block holds print ridges is averaged over the 3x3 blocks around it, and blocks
 * at the threshold or more are cleaned as the segmentation's are (segment.h). */
#ifndef MNT_REGION_H
#define MNT_REGION_H

#include <stdint.h>

#include "gsae.h"
#include "image.h"

typedef struct {
    const mnt_gsae *net;
    int patch_size, grid;
    int block;        /* pixels between scored patch centres, the block size */
    double threshold; /* on the 3x3-averaged foreground probability */
    int context;      /* the patches' context window (patches.h), as trained */
} mnt_region_params;

/* src: the patch source image (patches.h); roi: width*height bytes, 1 = inside.
 * prob (may be NULL): receives the averaged block probabilities, bw*bh floats with
 * bw = ceil(width / block), bh likewise. */
int mnt_region_learned(const mnt_region_params *p, const mnt_image *src, uint8_t *roi, float *prob, mnt_diag *d);

#endif
