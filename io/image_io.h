/* Image files by content, whatever the extension. */
#ifndef MNT_IMAGE_IO_H
#define MNT_IMAGE_IO_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

enum { MNT_MAX_IMAGE_FILE = 512u << 20 };

/* 1 when data starts like an image of a format mnt_image_decode knows. */
int mnt_image_sniff(const uint8_t *data, size_t len);

/* The formats mnt_image_decode knows, for messages. */
#define MNT_IMAGE_FORMATS "PNG, PGM, WSQ, TIFF, JPEG, JPEG 2000"

/* Decodes an image file already in memory, by content (the extension plays no part):
 * PNG, PGM, FBI WSQ (io/image/wsq.h), TIFF (io/image/tiff_io.h), JPEG (jpeg_io.h), JPEG 2000 (jp2_io.h).
 * max_pixels 0 = no budget; im->ppi is the file's own resolution or 0. */
int mnt_image_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d);
int mnt_image_read(const char *path, size_t max_pixels, mnt_image *im, mnt_diag *d);
/* Extension picks the encoder: .pgm writes P5 8-bit, anything else PNG. */
int mnt_image_write(const char *path, const mnt_image *im, mnt_diag *d);
int mnt_rgb_write_png(const char *path, const mnt_rgb_image *im, mnt_diag *d);

#endif
