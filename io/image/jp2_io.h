/* JPEG 2000 through OpenJPEG, decoded from a memory stream: JP2 files and raw J2K
 * codestreams. OpenJPEG's messages go to per-codec handlers into the mnt_diag; nothing
 * is printed. */
#ifndef MNT_JP2_IO_H
#define MNT_JP2_IO_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* The JP2 signature box (00 00 00 0C 'jP  ' 0D 0A 87 0A) or a codestream (SOC + SIZ:
 * FF 4F FF 51). */
int mnt_is_jp2(const uint8_t *data, size_t len);

/* Grey (1 component, or 2 with alpha) or colour (3, or 4 with alpha; sRGB or
 * unspecified: BT.709 luminance; sYCC / e-YCC: the Y component), 1 to 16 bits, signed
 * or unsigned, any tiling, lossless or lossy. The SIZ marker is read here first: the
 * size is checked against MNT_MAX_DIM and max_pixels, the component count (at most 4),
 * precision (at most 16 bits) and tile count (at most 65536) before OpenJPEG
 * allocates anything. ppi from the JP2 resolution box: capture resolution ('resc')
 * first, else display ('resd'), else 0 (OpenJPEG does not expose the box, so it is
 * read here). OpenJPEG runs in strict mode: a truncated codestream is refused
 * (MNT_ERR_FORMAT) instead of decoded in part. Refused as MNT_ERR_UNSUPPORTED: more
 * than 4 components, CMYK, subsampled colour other than YCC, more than 16 bits. */
int mnt_jp2_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d);

#endif
