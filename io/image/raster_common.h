/* Shared by the raster decoders in io/image/: the size checks every decoder makes
 * before it (or its library) allocates pixel memory, and the one colour-to-grey rule. */
#ifndef MNT_RASTER_COMMON_H
#define MNT_RASTER_COMMON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* Colour becomes grey by ITU-R BT.709 luminance of the stored (gamma-encoded) values,
 * Y = 0.2126 R + 0.7152 G + 0.0722 B, the weights the PNG reader uses. */
#define MNT_GREY_R 0.2126f
#define MNT_GREY_G 0.7152f
#define MNT_GREY_B 0.0722f

/* The checks of mnt_image_alloc, made on the declared size before any decoding:
 * empty, more than MNT_MAX_DIM per side, or over max_pixels (0 = no budget). The
 * product is taken in 64 bits from sides already bounded, so it cannot overflow. */
static inline int mnt_raster_check_size(const char *fmt, uint64_t w, uint64_t h, size_t max_pixels, mnt_diag *d)
{
    if (w == 0 || h == 0)
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: image size %llux%llu is empty", fmt, (unsigned long long)w,
                        (unsigned long long)h);
    if (w > MNT_MAX_DIM || h > MNT_MAX_DIM)
        return mnt_fail(d, MNT_ERR_LIMIT, "%s: image size %llux%llu exceeds the limit of %d per side", fmt,
                        (unsigned long long)w, (unsigned long long)h, MNT_MAX_DIM);
    if (max_pixels && w * h > (uint64_t)max_pixels)
        return mnt_fail(d, MNT_ERR_LIMIT, "%s: image of %llux%llu pixels exceeds the budget of %zu pixels", fmt,
                        (unsigned long long)w, (unsigned long long)h, max_pixels);
    return MNT_OK;
}

/* Pixels per inch rounded to 0.1 (as the PNG reader does), 0 when not positive/finite. */
static inline double mnt_raster_ppi(double ppi)
{
    if (!(ppi > 0) || !isfinite(ppi) || ppi > 1e6) return 0;
    return round(ppi * 10.0) / 10.0;
}

#endif
