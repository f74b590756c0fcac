/* JPEG (JFIF, Exif or bare) through libjpeg(-turbo), decoded from memory. libjpeg's
 * error manager is replaced: errors longjmp back with their text, warnings are kept;
 * nothing is printed. */
#ifndef MNT_JPEG_IO_H
#define MNT_JPEG_IO_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* SOI followed by a marker: FF D8 FF. */
int mnt_is_jpeg(const uint8_t *data, size_t len);

/* Baseline, extended and progressive 8-bit JPEG, grey (1 component) or colour
 * (YCbCr / RGB, 3 components: decoded to RGB, then BT.709 luminance). ppi from the
 * JFIF density when its unit is dots per inch or per centimetre, else 0 (Exif
 * resolution is not read). The declared size is checked against MNT_MAX_DIM and
 * max_pixels before decompression allocates. Refused: CMYK/YCCK and other component
 * counts (MNT_ERR_UNSUPPORTED), 12-bit and lossless JPEG (libjpeg's message), more
 * than 200 progressive scans (a known way to make a tiny file decode for minutes), any
 * data libjpeg reports as corrupt or truncated, warnings included (MNT_ERR_FORMAT):
 * libjpeg would otherwise fill the missing part with grey. */
int mnt_jpeg_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d);

#endif
