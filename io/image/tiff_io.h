/* TIFF through libtiff, decoded from memory. libtiff's messages go to a per-call
 * handler (TIFFOpenOptions, libtiff >= 4.5) and end up in the mnt_diag; nothing is
 * printed. */
#ifndef MNT_TIFF_IO_H
#define MNT_TIFF_IO_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* "II*\0" or "MM\0*" (classic TIFF) and "II+\0" / "MM\0+" (BigTIFF). */
int mnt_is_tiff(const uint8_t *data, size_t len);

/* First page only. Reads unsigned 1/2/4/8/16-bit samples, photometric min-is-black,
 * min-is-white (inverted so 0 stays black) or RGB (BT.709 luminance), extra samples
 * (alpha) ignored, contiguous or separate planes, strips or tiles, any compression the
 * installed libtiff decodes (none, LZW, Deflate, PackBits, JPEG, ...); YCbCr only when
 * JPEG-compressed (libjpeg returns it to RGB). ppi from XResolution
 * with ResolutionUnit inch (the TIFF default) or centimetre, else 0. The declared size
 * is checked against MNT_MAX_DIM and max_pixels (0 = no budget) before any pixel
 * memory is allocated. Palette, other YCbCr, CMYK, float and signed samples are refused
 * (MNT_ERR_UNSUPPORTED); broken or truncated data is MNT_ERR_FORMAT with libtiff's
 * reason. A second page is noted in d->warn. */
int mnt_tiff_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d);

#endif
