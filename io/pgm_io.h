/* Netpbm greymaps: P5 (binary) and P2 (ASCII), maxval up to 65535. */
#ifndef MNT_PGM_IO_H
#define MNT_PGM_IO_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "image.h"

int mnt_is_pgm(const uint8_t *data, size_t len);
/* ppi is always 0 (PGM carries no resolution). */
int mnt_pgm_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d);
/* maxval 255 or 65535; binary (P5) or ascii (P2). */
int mnt_pgm_encode(const mnt_image *im, int maxval, int ascii, mnt_buf *out, mnt_diag *d);

#endif
