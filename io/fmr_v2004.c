/* ISO/IEC 19794-2:2005 and ANSI INCITS 378-2004 finger minutiae records: the same
 * layout except for the record-length field, the CBEFF product identifier (ANSI)
 * and the angle unit (ANSI 2 degrees, ISO 360/256). */
#include <stdlib.h>
#include <string.h>

#include "fmr_common.h"
#include "template_io.h"

/* Default CBEFF product identifier for ANSI output. Strict readers require a non-zero
 * owner; 0x0100 is not an IBIA-registered vendor ID, so labs that have one pass it with
 * `--cbeff OWNER:TYPE`. */
enum { MNT_DEFAULT_CBEFF = 0x01000001u };

static int decode_view(mnt_cursor *c, fmr_flavor fl, int lenient, mnt_template *t, size_t index, mnt_diag *d)
{
    mnt_view *v;
    int rc = mnt_template_add_view(t, &v);
    if (rc) return mnt_fail(d, rc, "too many views");
    unsigned pos, vi, q, n, ext;
    if ((rc = mnt_cur_u8(c, &pos, "finger position", d))) return rc;
    if ((rc = mnt_cur_u8(c, &vi, "view number / impression", d))) return rc;
    if ((rc = mnt_cur_u8(c, &q, "finger quality", d))) return rc;
    if ((rc = mnt_cur_u8(c, &n, "number of minutiae", d))) return rc;
    if (pos > 10) return mnt_fail(d, MNT_ERR_FORMAT, "view %zu: finger position %u (allowed 0..10)", index, pos);
    if (!fmr_impression_valid((int)(vi & 0x0F)))
        return mnt_fail(d, MNT_ERR_FORMAT, "view %zu: impression type %u (allowed 0-3, 8, 9)", index, vi & 0x0F);
    if (q > 100) return mnt_fail(d, MNT_ERR_FORMAT, "view %zu: finger quality %u exceeds 100", index, q);
    v->position = (int)pos;
    v->view = (int)(vi >> 4);
    v->impression = (int)(vi & 0x0F);
    v->quality = (int)q;
    for (unsigned i = 0; i < n; i++) {
        mnt_minutia m;
        if ((rc = fmr_read_minutia(c, fl, 6, t->width, t->height, i, &m, d))) return rc;
        if ((rc = mnt_view_push(v, &m))) return mnt_fail(d, rc, "out of memory");
    }
    if ((rc = mnt_cur_u16(c, &ext, "extended data block length", d))) return rc;
    return fmr_read_ext_block(c, ext, fl, lenient, n, t->width, t->height, d);
}

static int decode_views(mnt_cursor *c, fmr_flavor fl, int lenient, unsigned nv, mnt_template *t, const char *name,
                        mnt_diag *d)
{
    int rc;
    for (unsigned i = 0; i < nv; i++)
        if ((rc = decode_view(c, fl, lenient, t, i, d))) return rc;
    if (mnt_cur_left(c))
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: %zu bytes after the last view (record length or view count wrong)", name,
                        mnt_cur_left(c));
    return MNT_OK;
}

int mnt_fmr2004_decode(const uint8_t *data, size_t len, int ansi, int lenient, mnt_template *t, mnt_diag *d)
{
    fmr_flavor fl = ansi ? FMR_ANSI2004 : FMR_ISO2005;
    const char *name = ansi ? "ANSI 378-2004" : "ISO 19794-2:2005";
    memset(t, 0, sizeof *t);
    if (len < 8 || memcmp(data, "FMR\0", 4) != 0) return mnt_fail(d, MNT_ERR_FORMAT, "no 'FMR' format identifier");
    if (memcmp(data + 4, " 20\0", 4) != 0) return mnt_fail(d, MNT_ERR_FORMAT, "%s: version is not ' 20'", name);
    mnt_cursor c = {data, len, 8};
    int rc;
    uint32_t reclen;
    size_t header = 24;
    if (ansi) {
        unsigned l16;
        if ((rc = mnt_cur_u16(&c, &l16, "record length", d))) return rc;
        reclen = l16;
        header = 26;
        if (l16 == 0) {
            if ((rc = mnt_cur_u32(&c, &reclen, "record length (long form)", d))) return rc;
            header = 30;
            if (reclen <= 0xFFFF)
                mnt_warn(d, "6-byte record length used for a record of %u bytes", (unsigned)reclen);
        }
        uint32_t cbeff;
        if ((rc = mnt_cur_u32(&c, &cbeff, "CBEFF product identifier", d))) return rc;
        if ((cbeff >> 16) == 0) {
            if (!lenient) return mnt_fail(d, MNT_ERR_FORMAT, "%s: CBEFF product owner is 0 (must be a registered vendor ID)", name);
            mnt_warn(d, "CBEFF product owner is 0; read leniently");
        }
        t->cbeff = cbeff;
    } else {
        if ((rc = mnt_cur_u32(&c, &reclen, "record length", d))) return rc;
    }
    if (reclen < header)
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: record length %u is below the %zu-byte header", name, (unsigned)reclen, header);
    if (reclen > len)
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: truncated: record length field says %u bytes, file has %zu", name,
                        (unsigned)reclen, len);
    if (reclen < len && !lenient)
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: record length field says %u bytes but the file has %zu (trailing bytes; --lenient reads it)",
                        name, (unsigned)reclen, len);
    unsigned cap, w, h, xr, yr, nv, rsv;
    if ((rc = mnt_cur_u16(&c, &cap, "capture equipment", d))) return rc;
    if ((rc = mnt_cur_u16(&c, &w, "image width", d))) return rc;
    if ((rc = mnt_cur_u16(&c, &h, "image height", d))) return rc;
    if ((rc = mnt_cur_u16(&c, &xr, "x resolution", d))) return rc;
    if ((rc = mnt_cur_u16(&c, &yr, "y resolution", d))) return rc;
    if ((rc = mnt_cur_u8(&c, &nv, "number of views", d))) return rc;
    if ((rc = mnt_cur_u8(&c, &rsv, "reserved byte", d))) return rc;
    if (cap & 0x7000)
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: capture equipment compliance bits 14..12 are 0x%X, must be 0", name, (cap >> 12) & 7);
    if (!w || !h) return mnt_fail(d, MNT_ERR_FORMAT, "%s: image size %ux%u has a zero side", name, w, h);
    if (!xr || !yr) return mnt_fail(d, MNT_ERR_FORMAT, "%s: resolution %ux%u px/cm has a zero value", name, xr, yr);
    if (!ansi && (xr < 99 || yr < 99))
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: resolution %ux%u px/cm below 99 (250 ppi)", name, xr, yr);
    if (rsv) return mnt_fail(d, MNT_ERR_FORMAT, "%s: reserved header byte is %u, must be 0", name, rsv);
    if (!ansi && nv > 176) return mnt_fail(d, MNT_ERR_FORMAT, "%s: %u finger views (at most 176)", name, nv);
    t->capture_equipment = (uint16_t)cap;
    t->width = (int)w;
    t->height = (int)h;
    t->xres = (int)xr;
    t->yres = (int)yr;
    if (reclen < len) {
        /* Lenient: either the length field is wrong (the views fill the file) or
         * there are trailing bytes after the record; whichever parses wins. */
        size_t views_at = c.pos;
        if ((rc = decode_views(&c, fl, lenient, nv, t, name, d)) == MNT_OK) {
            mnt_warn(d, "record length field says %u bytes, file has %zu: the field is wrong, read the whole file",
                     (unsigned)reclen, len);
        } else {
            for (size_t i = 0; i < t->nviews; i++) free(t->views[i].m);
            free(t->views);
            t->views = NULL;
            t->nviews = 0;
            c.pos = views_at;
            c.len = reclen;
            if ((rc = decode_views(&c, fl, lenient, nv, t, name, d))) goto fail;
            mnt_warn(d, "record length field says %u bytes, file has %zu: trailing bytes ignored", (unsigned)reclen, len);
        }
    } else if ((rc = decode_views(&c, fl, lenient, nv, t, name, d))) {
        goto fail;
    }
    if ((rc = fmr_check_view_numbers(t, lenient, d))) goto fail;
    return MNT_OK;
fail:
    mnt_template_free(t);
    return rc;
}

int mnt_fmr2004_encode(const mnt_template *t, int ansi, uint32_t cbeff, mnt_buf *out, mnt_diag *d)
{
    fmr_flavor fl = ansi ? FMR_ANSI2004 : FMR_ISO2005;
    if (t->width <= 0 || t->height <= 0)
        return mnt_fail(d, MNT_ERR_ARG, "the image size is unknown (give --width and --height)");
    if (t->width > 0xFFFF || t->height > 0xFFFF) return mnt_fail(d, MNT_ERR_ARG, "image too large for the record");
    int xr = t->xres ? t->xres : 197, yr = t->yres ? t->yres : 197;
    if (xr < 99 || yr < 99) return mnt_fail(d, MNT_ERR_ARG, "resolution %dx%d px/cm below 99", xr, yr);
    if (t->nviews == 0 || t->nviews > 176) return mnt_fail(d, MNT_ERR_ARG, "%zu views (1..176 writable)", t->nviews);
    mnt_template tmp = *t; /* only to run the view-number check on what we write */
    int rc = fmr_check_view_numbers(&tmp, 0, d);
    if (rc) return rc;

    size_t start = out->len;
    mnt_buf_put(out, "FMR\0 20\0", 8);
    size_t len_at = out->len;
    if (ansi) {
        mnt_buf_u16(out, 0); /* patched below; long form added if needed */
        mnt_buf_u32(out, cbeff ? cbeff : MNT_DEFAULT_CBEFF);
    } else {
        mnt_buf_u32(out, 0);
    }
    mnt_buf_u16(out, t->capture_equipment & 0x8FFFu);
    mnt_buf_u16(out, (unsigned)t->width);
    mnt_buf_u16(out, (unsigned)t->height);
    mnt_buf_u16(out, (unsigned)xr);
    mnt_buf_u16(out, (unsigned)yr);
    mnt_buf_u8(out, (unsigned)t->nviews);
    mnt_buf_u8(out, 0);
    for (size_t i = 0; i < t->nviews; i++) {
        mnt_view v;
        if ((rc = fmr_view_for_write(&t->views[i], &v))) return mnt_fail(d, rc, "out of memory");
        if (v.position < 0 || v.position > 10 || !fmr_impression_valid(v.impression) || v.quality < 0 ||
            v.quality > 100 || v.view < 0 || v.view > 15) {
            free(v.m);
            return mnt_fail(d, MNT_ERR_ARG, "view %zu: finger %d, view %d, impression %d or quality %d out of range", i,
                            v.position, v.view, v.impression, v.quality);
        }
        mnt_buf_u8(out, (unsigned)v.position);
        mnt_buf_u8(out, (unsigned)(v.view << 4 | v.impression));
        mnt_buf_u8(out, (unsigned)v.quality);
        mnt_buf_u8(out, (unsigned)v.n);
        for (size_t k = 0; k < v.n && !rc; k++)
            rc = fmr_write_minutia(out, &v.m[k], fl, 6, t->width, t->height, k, d);
        free(v.m);
        if (rc) return rc;
        mnt_buf_u16(out, 0); /* no extended data: see docs/formats.md */
    }
    if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    size_t total = out->len - start;
    if (ansi) {
        if (total > 0xFFFF) {
            /* switch to the 6-byte form: 00 00 + u32 */
            uint8_t four[4] = {0};
            size_t tail = out->len - (len_at + 2);
            mnt_buf_put(out, four, 4);
            if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
            memmove(out->data + len_at + 6, out->data + len_at + 2, tail);
            total += 4;
            mnt_buf_set_u16(out, len_at, 0);
            mnt_buf_set_u32(out, len_at + 2, (uint32_t)total);
        } else {
            mnt_buf_set_u16(out, len_at, (unsigned)total);
        }
    } else {
        mnt_buf_set_u32(out, len_at, (uint32_t)total);
    }
    return MNT_OK;
}
