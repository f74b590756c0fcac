/* PNG through libpng. libpng's setjmp error model stays inside png_io.c. */
#ifndef MNT_PNG_IO_H
#define MNT_PNG_IO_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "image.h"

/* Decodes any PNG colour type and depth to grey (ITU-R BT.709 luminance for colour,
 * alpha dropped). ppi from pHYs when in metres, else 0. max_pixels 0 = no budget. */
int mnt_png_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d);

/* Encodes 8-bit grey (samples rounded from [0,1]) / 8-bit RGB, with pHYs when ppi > 0.
 * zlib level 1: compression can cost more than detection. */
int mnt_png_encode_grey(const mnt_image *im, mnt_buf *out, mnt_diag *d);
int mnt_png_encode_rgb(const mnt_rgb_image *im, mnt_buf *out, mnt_diag *d);

int mnt_is_png(const uint8_t *data, size_t len);

#endif
