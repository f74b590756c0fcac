/* JPEG-like block artefacts without a codec: each 8x8 block of a grey plane goes through
 * the baseline JPEG transform (level shift, 2-D DCT-II), its coefficients are quantised
 * with the ITU-T T.81 Annex K luminance table scaled to a quality as libjpeg (IJG) does,
 * and the block is transformed back and rounded to 8 bits. Blocks are aligned to the
 * image's top-left corner; partial blocks at the right and bottom edges are completed by
 * repeating the last column / row, as encoders do. No entropy coding (it is lossless). */
#ifndef MNT_JPEG_BLOCKS_H
#define MNT_JPEG_BLOCKS_H

#include "mnt_error.h"

/* The quantisation table of quality 1..100 (50 = Annex K as printed, 100 = all ones),
 * row-major (index 8 * v + u, u horizontal frequency). */
void mnt_jpeg_table(int quality, int q[64]);

/* Quantises plane px (w x h, grey in [0, 1]) in place at quality 1..100. */
int mnt_jpeg_blocks(float *px, int w, int h, int quality, mnt_diag *d);

#endif
