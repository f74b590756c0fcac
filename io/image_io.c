#include "image_io.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "file_io.h"
#include "jp2_io.h"
#include "jpeg_io.h"
#include "pgm_io.h"
#include "png_io.h"
#include "tiff_io.h"
#include "wsq.h"

int mnt_image_sniff(const uint8_t *data, size_t len)
{
    return mnt_is_png(data, len) || mnt_is_pgm(data, len) || mnt_is_wsq(data, len) || mnt_is_tiff(data, len) ||
           mnt_is_jpeg(data, len) || mnt_is_jp2(data, len);
}

int mnt_image_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    int rc;
    if (mnt_is_png(data, len))
        rc = mnt_png_decode(data, len, max_pixels, im, d);
    else if (mnt_is_pgm(data, len))
        rc = mnt_pgm_decode(data, len, max_pixels, im, d);
    else if (mnt_is_wsq(data, len)) rc = mnt_wsq_decode(data, len, max_pixels, im, d);
    else if (mnt_is_tiff(data, len)) rc = mnt_tiff_decode(data, len, max_pixels, im, d);
    else if (mnt_is_jpeg(data, len)) rc = mnt_jpeg_decode(data, len, max_pixels, im, d);
    else if (mnt_is_jp2(data, len)) rc = mnt_jp2_decode(data, len, max_pixels, im, d);
    else {
        memset(im, 0, sizeof *im);
        rc = mnt_fail(d, MNT_ERR_FORMAT, "not an image of a known format (%s)", MNT_IMAGE_FORMATS);
    }
    return rc;
}

int mnt_image_read(const char *path, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    uint8_t *data;
    size_t len;
    int rc = mnt_read_file(path, MNT_MAX_IMAGE_FILE, &data, &len, d);
    if (rc) return rc;
    rc = mnt_image_decode(data, len, max_pixels, im, d);
    free(data);
    return rc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int mnt_image_write(const char *path, const mnt_image *im, mnt_diag *d)
{
    mnt_buf b = {0};
    int rc = ends_with(path, ".pgm") ? mnt_pgm_encode(im, 255, 0, &b, d) : mnt_png_encode_grey(im, &b, d);
    if (!rc) rc = mnt_write_file_atomic(path, b.data, b.len, d);
    mnt_buf_free(&b);
    return rc;
}

int mnt_rgb_write_png(const char *path, const mnt_rgb_image *im, mnt_diag *d)
{
    mnt_buf b = {0};
    int rc = mnt_png_encode_rgb(im, &b, d);
    if (!rc) rc = mnt_write_file_atomic(path, b.data, b.len, d);
    mnt_buf_free(&b);
    return rc;
}
