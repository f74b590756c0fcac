/* FBI WSQ grey-scale fingerprint images (IAFIS-IC-0110 v3): decoder and encoder. */
#ifndef MNT_WSQ_H
#define MNT_WSQ_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "image.h"

/* 1 when data starts with the WSQ SOI marker FF A0. */
int mnt_is_wsq(const uint8_t *data, size_t len);

/* Decodes a whole WSQ stream into an 8-bit-valued grey image (samples v / 255).
 * ppi comes from the NISTCOM comment's PPI field when present and positive, else 0.
 * max_pixels 0 = no budget (MNT_MAX_DIM still applies). Refusals: MNT_ERR_FORMAT
 * (malformed), MNT_ERR_UNSUPPORTED (valid but not implemented, e.g. even-length
 * filters), MNT_ERR_LIMIT (size), MNT_ERR_NOMEM; the message names the problem. */
int mnt_wsq_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d);

/* Encodes im (samples rounded to 8 bits) at a target of bitrate bits per pixel (0.05..8;
 * cwsq's usual 0.75 and 2.25; the spec's bit allocation, so the result comes out near,
 * not at, the target) with the standard 9/7 filters. NISTCOM carries PPI (-1 when
 * im->ppi is 0). Appends to out. */
int mnt_wsq_encode(const mnt_image *im, double bitrate, mnt_buf *out, mnt_diag *d);

#endif
