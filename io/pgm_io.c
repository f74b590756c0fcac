#include "pgm_io.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

int mnt_is_pgm(const uint8_t *data, size_t len)
{
    return len >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '2');
}

/* Skips whitespace and '#' comments. */
static void skip_ws(const uint8_t *p, size_t len, size_t *pos)
{
    while (*pos < len) {
        if (p[*pos] == '#') {
            while (*pos < len && p[*pos] != '\n') (*pos)++;
        } else if (isspace(p[*pos])) {
            (*pos)++;
        } else {
            break;
        }
    }
}

static int read_uint(const uint8_t *p, size_t len, size_t *pos, unsigned long limit, unsigned long *out,
                     const char *what, mnt_diag *d)
{
    skip_ws(p, len, pos);
    if (*pos >= len || !isdigit(p[*pos]))
        return mnt_fail(d, MNT_ERR_FORMAT, "PGM: expected %s at byte %zu", what, *pos);
    unsigned long v = 0;
    while (*pos < len && isdigit(p[*pos])) {
        v = v * 10 + (unsigned long)(p[*pos] - '0');
        if (v > limit) return mnt_fail(d, MNT_ERR_FORMAT, "PGM: %s exceeds %lu", what, limit);
        (*pos)++;
    }
    *out = v;
    return MNT_OK;
}

int mnt_pgm_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    if (!mnt_is_pgm(data, len)) return mnt_fail(d, MNT_ERR_FORMAT, "not a PGM file (expected P5 or P2)");
    int ascii = data[1] == '2';
    size_t pos = 2;
    unsigned long w, h, maxval;
    int rc;
    if ((rc = read_uint(data, len, &pos, 2147483647, &w, "width", d))) return rc;
    if ((rc = read_uint(data, len, &pos, 2147483647, &h, "height", d))) return rc;
    if ((rc = read_uint(data, len, &pos, 65535, &maxval, "maxval", d))) return rc;
    if (maxval == 0) return mnt_fail(d, MNT_ERR_FORMAT, "PGM: maxval is 0");
    rc = mnt_image_alloc(im, (int)w, (int)h, max_pixels, d);
    if (rc) return rc;
    size_t n = (size_t)w * h;
    if (ascii) {
        for (size_t i = 0; i < n; i++) {
            unsigned long v;
            if ((rc = read_uint(data, len, &pos, maxval, &v, "sample", d))) goto fail;
            im->px[i] = (float)((double)v / (double)maxval);
        }
    } else {
        if (pos >= len || !isspace(data[pos])) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "PGM: missing whitespace after header");
            goto fail;
        }
        pos++;
        size_t bps = maxval > 255 ? 2 : 1;
        if (len - pos < n * bps) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "PGM: truncated: %zu sample bytes, %zu expected", len - pos, n * bps);
            goto fail;
        }
        const uint8_t *s = data + pos;
        for (size_t i = 0; i < n; i++) {
            unsigned v = bps == 1 ? s[i] : (unsigned)s[2 * i] << 8 | s[2 * i + 1];
            if (v > maxval) {
                rc = mnt_fail(d, MNT_ERR_FORMAT, "PGM: sample %u exceeds maxval %lu", v, maxval);
                goto fail;
            }
            im->px[i] = (float)((double)v / (double)maxval);
        }
    }
    return MNT_OK;
fail:
    mnt_image_free(im);
    return rc;
}

int mnt_pgm_encode(const mnt_image *im, int maxval, int ascii, mnt_buf *out, mnt_diag *d)
{
    if (maxval != 255 && maxval != 65535) return mnt_fail(d, MNT_ERR_ARG, "PGM maxval must be 255 or 65535");
    mnt_buf_printf(out, "%s\n%d %d\n%d\n", ascii ? "P2" : "P5", im->width, im->height, maxval);
    size_t n = (size_t)im->width * (size_t)im->height;
    for (size_t i = 0; i < n; i++) {
        float v = im->px[i];
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        unsigned q = (unsigned)lrintf(v * (float)maxval);
        if (ascii)
            mnt_buf_printf(out, "%u%c", q, (i + 1) % (size_t)im->width == 0 ? '\n' : ' ');
        else if (maxval == 255)
            mnt_buf_u8(out, q);
        else
            mnt_buf_u16(out, q);
    }
    if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    return MNT_OK;
}
