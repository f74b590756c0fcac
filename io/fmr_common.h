/* Pieces shared by the binary finger-minutiae record codecs. */
#ifndef MNT_FMR_COMMON_H
#define MNT_FMR_COMMON_H

#include "bytes.h"
#include "template.h"

typedef enum { FMR_ISO2005, FMR_ANSI2004, FMR_ISO2011 } fmr_flavor;

/* Validates an extended data block of block_len bytes at the cursor (the 2-byte block
 * length already read) and consumes it. Area lengths include their 4-byte header in
 * ANSI 378 and ISO 2011 and, by this project's strict reading, in ISO 2005 too (BiomDI);
 * lenient mode accepts areas whose lengths count the data only (FingerprintIO) when
 * that is the reading under which they tile the block. */
int fmr_read_ext_block(mnt_cursor *c, size_t block_len, fmr_flavor fl, int lenient, size_t n_minutiae,
                       int width, int height, mnt_diag *d);

/* Reads one minutia record of `size` bytes (5 or 6); angle units by flavour. */
int fmr_read_minutia(mnt_cursor *c, fmr_flavor fl, int size, int width, int height, size_t index,
                     mnt_minutia *m, mnt_diag *d);

/* Writes one 6-byte minutia (or 5 when size == 5), validating against width/height. */
int fmr_write_minutia(mnt_buf *b, const mnt_minutia *m, fmr_flavor fl, int size, int width, int height,
                      size_t index, mnt_diag *d);

/* Checks view numbering: per finger contiguous from 0 in order, (position, view) unique. */
int fmr_check_view_numbers(const mnt_template *t, int lenient, mnt_diag *d);

/* Impression codes every reader accepts: 0,1,2,3,8,9. */
int fmr_impression_valid(int code);

/* Copy of v limited to the 255 best minutiae: writers keep what fits. */
int fmr_view_for_write(const mnt_view *v, mnt_view *out);

#endif
