#include "fmr_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int fmr_impression_valid(int code)
{
    return (code >= 0 && code <= 3) || code == 8 || code == 9;
}

/* Walks areas under one length convention; returns 1 if they tile the block exactly. */
static int areas_tile(const uint8_t *p, size_t block_len, int include_header)
{
    size_t pos = 0;
    while (pos < block_len) {
        if (block_len - pos < 4) return 0;
        size_t alen = (size_t)p[pos + 2] << 8 | p[pos + 3];
        size_t total = include_header ? alen : alen + 4;
        if (include_header && alen < 4) return 0;
        if (total > block_len - pos) return 0;
        pos += total;
    }
    return 1;
}

static int check_ridge_counts(const uint8_t *data, size_t n, size_t n_min, mnt_diag *d)
{
    if (n < 1) return mnt_fail(d, MNT_ERR_FORMAT, "ridge-count area: no extraction method byte");
    if (data[0] > 2)
        return mnt_fail(d, MNT_ERR_FORMAT, "ridge-count area: extraction method %u (allowed 0..2)", data[0]);
    if ((n - 1) % 3 != 0)
        return mnt_fail(d, MNT_ERR_FORMAT, "ridge-count area: %zu data bytes after the method byte, not a multiple of 3", n - 1);
    for (size_t i = 1; i < n; i += 3) {
        /* Index base is ambiguous (0-based in FingerprintIO, 1-based in NIST tools):
         * accept 0..N. */
        if (data[i] > n_min || data[i + 1] > n_min)
            return mnt_fail(d, MNT_ERR_FORMAT, "ridge-count area: minutia index %u/%u beyond %zu minutiae",
                            data[i], data[i + 1], n_min);
    }
    return MNT_OK;
}

static int check_core_delta(const uint8_t *data, size_t n, fmr_flavor fl, int width, int height, mnt_diag *d)
{
    mnt_cursor c = {data, n, 0};
    int rc;
    for (int kind = 0; kind < 2; kind++) {
        const char *what = kind == 0 ? "core" : "delta";
        unsigned info;
        if ((rc = mnt_cur_u8(&c, &info, "core/delta count", d))) return rc;
        unsigned count = fl == FMR_ANSI2004 ? (info & 0x0F) : (info & 0x3F);
        int ansi_angles = fl == FMR_ANSI2004 && (info >> 6) == 1;
        if (fl != FMR_ANSI2004 && (info & 0xC0))
            return mnt_fail(d, MNT_ERR_FORMAT, "core/delta area: reserved bits set in %s count 0x%02X", what, info);
        if (count > 15)
            return mnt_fail(d, MNT_ERR_FORMAT, "core/delta area: %u %ss (at most 15)", count, what);
        for (unsigned i = 0; i < count; i++) {
            unsigned xw, yw;
            if ((rc = mnt_cur_u16(&c, &xw, "core/delta X", d))) return rc;
            if ((rc = mnt_cur_u16(&c, &yw, "core/delta Y", d))) return rc;
            int has_angle = fl == FMR_ANSI2004 ? ansi_angles : (xw >> 14) == 1;
            unsigned x = fl == FMR_ANSI2004 ? xw : (xw & 0x3FFF), y = yw & 0x3FFF;
            if (fl != FMR_ANSI2004 && (xw >> 14) > 1)
                return mnt_fail(d, MNT_ERR_FORMAT, "core/delta area: %s %u type %u (allowed 0 or 1)", what, i, xw >> 14);
            if ((int)x >= width || (int)y >= height)
                return mnt_fail(d, MNT_ERR_FORMAT, "core/delta area: %s %u at (%u,%u) outside the %dx%d image",
                                what, i, x, y, width, height);
            unsigned nang = has_angle ? (kind == 0 ? 1u : 3u) : 0u;
            for (unsigned k = 0; k < nang; k++) {
                unsigned a;
                if ((rc = mnt_cur_u8(&c, &a, "core/delta angle", d))) return rc;
                if (fl == FMR_ANSI2004 && a > 179)
                    return mnt_fail(d, MNT_ERR_FORMAT, "core/delta area: %s %u angle %u (ANSI allows 0..179)", what, i, a);
            }
        }
    }
    if (mnt_cur_left(&c))
        return mnt_fail(d, MNT_ERR_FORMAT, "core/delta area: %zu bytes left over", mnt_cur_left(&c));
    return MNT_OK;
}

static int check_zonal(const uint8_t *data, size_t n, int width, int height, mnt_diag *d)
{
    if (n < 3) return mnt_fail(d, MNT_ERR_FORMAT, "zonal-quality area: %zu bytes, header needs 3", n);
    unsigned zw = data[0], zh = data[1], bits = data[2];
    if (!zw || !zh) return mnt_fail(d, MNT_ERR_FORMAT, "zonal-quality area: zone size %ux%u", zw, zh);
    if (bits < 1 || bits > 8) return mnt_fail(d, MNT_ERR_FORMAT, "zonal-quality area: %u bits per zone (1..8)", bits);
    size_t zones = (size_t)((width + (int)zw - 1) / (int)zw) * (size_t)((height + (int)zh - 1) / (int)zh);
    size_t need = (zones * bits + 7) / 8;
    if (n - 3 != need)
        return mnt_fail(d, MNT_ERR_FORMAT, "zonal-quality area: %zu value bytes, %zu expected", n - 3, need);
    return MNT_OK;
}

int fmr_read_ext_block(mnt_cursor *c, size_t block_len, fmr_flavor fl, int lenient, size_t n_minutiae,
                       int width, int height, mnt_diag *d)
{
    if (block_len == 0) return MNT_OK;
    if (mnt_cur_left(c) < block_len)
        return mnt_fail(d, MNT_ERR_FORMAT, "extended data block length %zu exceeds the %zu bytes left in the view",
                        block_len, mnt_cur_left(c));
    const uint8_t *p = c->p + c->pos;
    int include_header = 1;
    if (!areas_tile(p, block_len, 1)) {
        if (lenient && fl == FMR_ISO2005 && areas_tile(p, block_len, 0)) {
            include_header = 0;
            mnt_warn(d, "extension-area lengths count only their data (FingerprintIO reading), read leniently");
        } else {
            return mnt_fail(d, MNT_ERR_FORMAT,
                            "extension areas do not tile the %zu-byte extended data block (area length must include its 4-byte header)%s",
                            block_len, fl == FMR_ISO2005 ? "; --lenient accepts data-only lengths" : "");
        }
    }
    size_t pos = 0;
    while (pos < block_len) {
        unsigned type = (unsigned)p[pos] << 8 | p[pos + 1];
        size_t alen = (size_t)p[pos + 2] << 8 | p[pos + 3];
        size_t dlen = include_header ? alen - 4 : alen;
        const uint8_t *data = p + pos + 4;
        int rc = MNT_OK;
        if (type == 0)
            return mnt_fail(d, MNT_ERR_FORMAT, "extension area type 0x0000 is reserved");
        if (type == 1)
            rc = check_ridge_counts(data, dlen, n_minutiae, d);
        else if (type == 2 && fl != FMR_ISO2011)
            rc = check_core_delta(data, dlen, fl, width, height, d);
        else if (type == 3 && fl == FMR_ISO2005)
            rc = check_zonal(data, dlen, width, height, d);
        else if (type <= 0x00FF && !(type == 2 && fl == FMR_ISO2011))
            return mnt_fail(d, MNT_ERR_FORMAT, "extension area type 0x%04X is reserved", type);
        else if (type > 0x00FF && (type & 0xFF) == 0 && fl == FMR_ISO2005)
            return mnt_fail(d, MNT_ERR_FORMAT, "vendor extension area type 0x%04X has a zero low byte", type);
        if (rc) return rc;
        pos += dlen + 4;
    }
    c->pos += block_len;
    return MNT_OK;
}

int fmr_read_minutia(mnt_cursor *c, fmr_flavor fl, int size, int width, int height, size_t index,
                     mnt_minutia *m, mnt_diag *d)
{
    unsigned xw, yw, a, q = 0;
    int rc;
    if ((rc = mnt_cur_u16(c, &xw, "minutia X", d))) return rc;
    if ((rc = mnt_cur_u16(c, &yw, "minutia Y", d))) return rc;
    if ((rc = mnt_cur_u8(c, &a, "minutia angle", d))) return rc;
    if (size == 6 && (rc = mnt_cur_u8(c, &q, "minutia quality", d))) return rc;
    memset(m, 0, sizeof *m);
    unsigned type = xw >> 14, x = xw & 0x3FFF, y = yw & 0x3FFF;
    if (type == 3) return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu: type bits 11 are not defined", index);
    if (yw >> 14) return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu: reserved Y bits are %u, must be 0", index, yw >> 14);
    if ((int)x >= width || (int)y >= height)
        return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu: position (%u,%u) outside the %dx%d image", index, x, y,
                        width, height);
    if (fl == FMR_ANSI2004 && a > 179)
        return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu: angle %u exceeds 179 (ANSI 2-degree units)", index, a);
    if (size == 6 && q > 100 && !(fl == FMR_ISO2011 && (q == 254 || q == 255)))
        return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu: quality %u exceeds 100", index, q);
    m->type = (mnt_minutia_type)type;
    m->x = x;
    m->y = y;
    m->angle = fl == FMR_ANSI2004 ? mnt_angle_from_ansi((int)a) : mnt_angle_from_iso((int)a);
    m->quality = size == 6 ? (int)q : MNT_QUALITY_NOT_COMPUTED;
    return MNT_OK;
}

static int round_coord(double v, int limit, int *out)
{
    if (!(v >= -0.5) || !(v < limit)) return 0;
    int r = (int)floor(v + 0.5);
    if (r >= limit) r = limit - 1;
    if (r < 0) r = 0;
    *out = r;
    return 1;
}

int fmr_write_minutia(mnt_buf *b, const mnt_minutia *m, fmr_flavor fl, int size, int width, int height,
                      size_t index, mnt_diag *d)
{
    int x, y;
    if (width > 0x3FFF || height > 0x3FFF)
        return mnt_fail(d, MNT_ERR_FORMAT, "image %dx%d too large for 14-bit coordinates", width, height);
    if (!round_coord(m->x, width, &x) || !round_coord(m->y, height, &y))
        return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu at (%.1f,%.1f) lies outside the %dx%d image", index, m->x,
                        m->y, width, height);
    if (!isfinite(m->angle)) return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu has no finite angle", index);
    unsigned type = m->type == MNT_TYPE_ENDING ? 1u : m->type == MNT_TYPE_BIFURCATION ? 2u : 0u;
    int q = m->quality;
    if (fl == FMR_ISO2011) {
        if (q < 0 || (q > 100 && q != 254 && q != 255))
            return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu: quality %d invalid", index, q);
    } else {
        if (q == 254 || q == 255) q = 0; /* "not computed" has no code before 2011 */
        if (q < 0 || q > 100) return mnt_fail(d, MNT_ERR_FORMAT, "minutia %zu: quality %d outside 0..100", index, q);
    }
    mnt_buf_u16(b, type << 14 | (unsigned)x);
    mnt_buf_u16(b, (unsigned)y);
    mnt_buf_u8(b, (unsigned)(fl == FMR_ANSI2004 ? mnt_angle_to_ansi(m->angle) : mnt_angle_to_iso(m->angle)));
    if (size == 6) mnt_buf_u8(b, (unsigned)q);
    return MNT_OK;
}

int fmr_check_view_numbers(const mnt_template *t, int lenient, mnt_diag *d)
{
    for (size_t i = 0; i < t->nviews; i++) {
        const mnt_view *v = &t->views[i];
        int expected = 0;
        for (size_t j = 0; j < i; j++)
            if (t->views[j].position == v->position) expected++;
        if (v->view != expected) {
            if (!lenient)
                return mnt_fail(d, MNT_ERR_FORMAT,
                                "view %zu: finger %d has view number %d, expected %d (numbered from 0 per finger, in order)",
                                i, v->position, v->view, expected);
            mnt_warn(d, "view %zu: finger %d has view number %d, expected %d; read leniently", i, v->position,
                     v->view, expected);
        }
    }
    return MNT_OK;
}

int fmr_view_for_write(const mnt_view *v, mnt_view *out)
{
    *out = *v;
    out->m = NULL;
    out->n = out->cap = 0;
    for (size_t i = 0; i < v->n; i++) {
        int rc = mnt_view_push(out, &v->m[i]);
        if (rc) {
            free(out->m);
            return rc;
        }
    }
    mnt_view_keep_best(out, MNT_MAX_VIEW_MINUTIAE);
    return MNT_OK;
}
