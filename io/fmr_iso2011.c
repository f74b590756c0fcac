/* ISO/IEC 19794-2:2011 finger minutiae records (version "030"). */
#include <stdlib.h>
#include <string.h>

#include "fmr_common.h"
#include "template_io.h"

static int check_datetime(const uint8_t dt[9], size_t index, mnt_diag *d)
{
    unsigned year = (unsigned)dt[0] << 8 | dt[1], ms = (unsigned)dt[7] << 8 | dt[8];
    /* components from coarse to fine; once one is absent, finer ones must be too */
    unsigned vals[6] = {year, dt[2], dt[3], dt[4], dt[5], dt[6]};
    unsigned absent[6] = {0xFFFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    unsigned lo[6] = {0, 1, 1, 0, 0, 0}, hi[6] = {9999, 12, 31, 23, 59, 59};
    const char *names[6] = {"year", "month", "day", "hour", "minute", "second"};
    int missing = 0;
    for (int i = 0; i < 6; i++) {
        if (vals[i] == absent[i]) { missing = 1; continue; }
        if (missing)
            return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: capture %s given after a coarser field is absent", index, names[i]);
        if (vals[i] < lo[i] || vals[i] > hi[i])
            return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: capture %s %u out of range", index, names[i], vals[i]);
    }
    if (ms != 0xFFFF && (missing || ms > 999))
        return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: capture millisecond %u invalid", index, ms);
    return MNT_OK;
}

static int decode_rep(mnt_cursor *c, int cert, int lenient, mnt_template *t, size_t index, mnt_diag *d)
{
    size_t start = c->pos;
    uint32_t rlen;
    int rc;
    if ((rc = mnt_cur_u32(c, &rlen, "representation length", d))) return rc;
    if (rlen < 34 || rlen - 4 > mnt_cur_left(c))
        return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: length %u invalid (min 34, %zu bytes left)", index,
                        (unsigned)rlen, mnt_cur_left(c) + 4);
    mnt_cursor rc_cur = {c->p, start + rlen, c->pos}; /* bounded to this representation */
    mnt_view *v;
    if ((rc = mnt_template_add_view(t, &v))) return mnt_fail(d, rc, "too many representations");
    mnt_iso2011_extra *x = &v->x2011;
    if ((rc = mnt_cur_skip(&rc_cur, 9, "capture date", d))) return rc;
    memcpy(x->datetime, c->p + rc_cur.pos - 9, 9);
    if ((rc = check_datetime(x->datetime, index, d))) return rc;
    unsigned tech, vend, typ, nq, u8v;
    if ((rc = mnt_cur_u8(&rc_cur, &tech, "capture device technology", d))) return rc;
    if ((rc = mnt_cur_u16(&rc_cur, &vend, "capture device vendor", d))) return rc;
    if ((rc = mnt_cur_u16(&rc_cur, &typ, "capture device type", d))) return rc;
    if (tech > 20) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: device technology %u (0..20)", index, tech);
    x->sensor_tech = (uint8_t)tech;
    x->sensor_vendor = (uint16_t)vend;
    x->sensor_type = (uint16_t)typ;
    if ((rc = mnt_cur_u8(&rc_cur, &nq, "quality block count", d))) return rc;
    for (unsigned i = 0; i < nq; i++) {
        unsigned s, qv, qa;
        if ((rc = mnt_cur_u8(&rc_cur, &s, "quality score", d))) return rc;
        if ((rc = mnt_cur_u16(&rc_cur, &qv, "quality vendor", d))) return rc;
        if ((rc = mnt_cur_u16(&rc_cur, &qa, "quality algorithm", d))) return rc;
        if (s > 100 && s != 255) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: quality score %u (0..100 or 255)", index, s);
        if (i < 8) {
            x->quality[i].score = (uint8_t)s;
            x->quality[i].vendor = (uint16_t)qv;
            x->quality[i].algorithm = (uint16_t)qa;
            x->n_quality = (int)i + 1;
        }
    }
    if (cert) {
        unsigned nc;
        if ((rc = mnt_cur_u8(&rc_cur, &nc, "certification block count", d))) return rc;
        for (unsigned i = 0; i < nc; i++) {
            unsigned auth, scheme;
            if ((rc = mnt_cur_u16(&rc_cur, &auth, "certification authority", d))) return rc;
            if ((rc = mnt_cur_u8(&rc_cur, &scheme, "certification scheme", d))) return rc;
            if (!auth) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: certification authority 0", index);
            if (i < 8) {
                x->cert[i].authority = (uint16_t)auth;
                x->cert[i].scheme = (uint8_t)scheme;
                x->n_cert = (int)i + 1;
            }
        }
    }
    unsigned pos, num, xr, yr, imp, w, h, sz, n;
    if ((rc = mnt_cur_u8(&rc_cur, &pos, "finger position", d))) return rc;
    if ((rc = mnt_cur_u8(&rc_cur, &num, "representation number", d))) return rc;
    if ((rc = mnt_cur_u16(&rc_cur, &xr, "x resolution", d))) return rc;
    if ((rc = mnt_cur_u16(&rc_cur, &yr, "y resolution", d))) return rc;
    if ((rc = mnt_cur_u8(&rc_cur, &imp, "impression type", d))) return rc;
    if ((rc = mnt_cur_u16(&rc_cur, &w, "image width", d))) return rc;
    if ((rc = mnt_cur_u16(&rc_cur, &h, "image height", d))) return rc;
    if ((rc = mnt_cur_u8(&rc_cur, &sz, "minutia size / ending type", d))) return rc;
    if ((rc = mnt_cur_u8(&rc_cur, &n, "number of minutiae", d))) return rc;
    if (pos > 10) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: finger position %u (0..10)", index, pos);
    if (num > 15) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: representation number %u (0..15)", index, num);
    if (xr < 99 || yr < 99) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: resolution %ux%u px/cm below 99", index, xr, yr);
    if (!fmr_impression_valid((int)imp)) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: impression type %u", index, imp);
    if (!w || !h || w > 0x3FFF || h > 0x3FFF)
        return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: image size %ux%u (1..16383)", index, w, h);
    unsigned msize = sz >> 4, ending = sz & 0x0F;
    if (msize != 5 && msize != 6) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: minutia size %u (5 or 6)", index, msize);
    if (ending > 1) return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: ending type %u (0 or 1)", index, ending);
    v->position = (int)pos;
    v->view = (int)num;
    v->impression = (int)imp;
    v->width = (int)w;
    v->height = (int)h;
    v->quality = x->n_quality && x->quality[0].score <= 100 ? x->quality[0].score : 0;
    x->minutia_size = (uint8_t)msize;
    x->ending_type = (uint8_t)ending;
    if (index == 0) {
        t->width = (int)w;
        t->height = (int)h;
        t->xres = (int)xr;
        t->yres = (int)yr;
    }
    for (unsigned i = 0; i < n; i++) {
        mnt_minutia m;
        if ((rc = fmr_read_minutia(&rc_cur, FMR_ISO2011, (int)msize, (int)w, (int)h, i, &m, d))) return rc;
        if ((rc = mnt_view_push(v, &m))) return mnt_fail(d, rc, "out of memory");
    }
    (void)u8v;
    unsigned ext;
    if ((rc = mnt_cur_u16(&rc_cur, &ext, "extended data block length", d))) return rc;
    if ((rc = fmr_read_ext_block(&rc_cur, ext, FMR_ISO2011, lenient, n, (int)w, (int)h, d))) return rc;
    if (mnt_cur_left(&rc_cur))
        return mnt_fail(d, MNT_ERR_FORMAT, "representation %zu: %zu bytes left over inside its length", index,
                        mnt_cur_left(&rc_cur));
    c->pos = rc_cur.pos;
    return MNT_OK;
}

int mnt_iso2011_decode(const uint8_t *data, size_t len, int lenient, mnt_template *t, mnt_diag *d)
{
    memset(t, 0, sizeof *t);
    if (len < 8 || memcmp(data, "FMR\0", 4) != 0) return mnt_fail(d, MNT_ERR_FORMAT, "no 'FMR' format identifier");
    if (memcmp(data + 4, "030\0", 4) != 0) return mnt_fail(d, MNT_ERR_FORMAT, "ISO 19794-2:2011: version is not '030'");
    mnt_cursor c = {data, len, 8};
    uint32_t reclen;
    unsigned nrep, cert;
    int rc;
    if ((rc = mnt_cur_u32(&c, &reclen, "record length", d))) return rc;
    if ((rc = mnt_cur_u16(&c, &nrep, "number of representations", d))) return rc;
    if ((rc = mnt_cur_u8(&c, &cert, "certification flag", d))) return rc;
    if (reclen < c.pos) /* a lenient read would cut the record inside its header */
        return mnt_fail(d, MNT_ERR_FORMAT, "ISO 19794-2:2011: record length %u is below the %zu-byte header",
                        (unsigned)reclen, c.pos);
    if (reclen > len)
        return mnt_fail(d, MNT_ERR_FORMAT, "ISO 19794-2:2011: truncated: record length says %u bytes, file has %zu",
                        (unsigned)reclen, len);
    if (reclen < len) {
        if (!lenient)
            return mnt_fail(d, MNT_ERR_FORMAT, "ISO 19794-2:2011: record length says %u bytes but the file has %zu",
                            (unsigned)reclen, len);
        mnt_warn(d, "record length says %u bytes, file has %zu: trailing bytes ignored", (unsigned)reclen, len);
        c.len = reclen;
    }
    if (nrep < 1 || nrep > 176)
        return mnt_fail(d, MNT_ERR_FORMAT, "ISO 19794-2:2011: %u representations (1..176)", nrep);
    if (cert > 1) return mnt_fail(d, MNT_ERR_FORMAT, "ISO 19794-2:2011: certification flag %u (0 or 1)", cert);
    t->certification = (int)cert;
    for (unsigned i = 0; i < nrep; i++)
        if ((rc = decode_rep(&c, (int)cert, lenient, t, i, d))) goto fail;
    if (mnt_cur_left(&c)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "ISO 19794-2:2011: %zu bytes after the last representation", mnt_cur_left(&c));
        goto fail;
    }
    if ((rc = fmr_check_view_numbers(t, lenient, d))) goto fail;
    return MNT_OK;
fail:
    mnt_template_free(t);
    return rc;
}

int mnt_iso2011_encode(const mnt_template *t, mnt_buf *out, mnt_diag *d)
{
    if (t->nviews == 0 || t->nviews > 176) return mnt_fail(d, MNT_ERR_ARG, "%zu representations (1..176 writable)", t->nviews);
    int rc = fmr_check_view_numbers(t, 0, d);
    if (rc) return rc;
    size_t start = out->len;
    mnt_buf_put(out, "FMR\0" "030\0", 8);
    mnt_buf_u32(out, 0);
    mnt_buf_u16(out, (unsigned)t->nviews);
    mnt_buf_u8(out, t->certification ? 1u : 0u);
    for (size_t i = 0; i < t->nviews; i++) {
        mnt_view v;
        if ((rc = fmr_view_for_write(&t->views[i], &v))) return mnt_fail(d, rc, "out of memory");
        const mnt_iso2011_extra *x = &v.x2011;
        int w = v.width ? v.width : t->width, h = v.height ? v.height : t->height;
        int xr = t->xres ? t->xres : 197, yr = t->yres ? t->yres : 197;
        int msize = x->minutia_size == 5 ? 5 : 6;
        if (w <= 0 || h <= 0 || w > 0x3FFF || h > 0x3FFF || xr < 99 || yr < 99 || v.position < 0 || v.position > 10 ||
            v.view < 0 || v.view > 15 || !fmr_impression_valid(v.impression)) {
            free(v.m);
            return mnt_fail(d, MNT_ERR_ARG, "representation %zu: size %dx%d, resolution %d, finger %d, number %d or impression %d not writable",
                            i, w, h, xr, v.position, v.view, v.impression);
        }
        size_t rstart = out->len;
        mnt_buf_u32(out, 0);
        mnt_buf_put(out, x->datetime, 9);
        mnt_buf_u8(out, x->sensor_tech);
        mnt_buf_u16(out, x->sensor_vendor);
        mnt_buf_u16(out, x->sensor_type);
        mnt_buf_u8(out, (unsigned)x->n_quality);
        for (int k = 0; k < x->n_quality; k++) {
            mnt_buf_u8(out, x->quality[k].score);
            mnt_buf_u16(out, x->quality[k].vendor);
            mnt_buf_u16(out, x->quality[k].algorithm);
        }
        if (t->certification) {
            mnt_buf_u8(out, (unsigned)x->n_cert);
            for (int k = 0; k < x->n_cert; k++) {
                mnt_buf_u16(out, x->cert[k].authority);
                mnt_buf_u8(out, x->cert[k].scheme);
            }
        }
        mnt_buf_u8(out, (unsigned)v.position);
        mnt_buf_u8(out, (unsigned)v.view);
        mnt_buf_u16(out, (unsigned)xr);
        mnt_buf_u16(out, (unsigned)yr);
        mnt_buf_u8(out, (unsigned)v.impression);
        mnt_buf_u16(out, (unsigned)w);
        mnt_buf_u16(out, (unsigned)h);
        mnt_buf_u8(out, (unsigned)(msize << 4 | (x->ending_type & 1)));
        mnt_buf_u8(out, (unsigned)v.n);
        for (size_t k = 0; k < v.n && !rc; k++) rc = fmr_write_minutia(out, &v.m[k], FMR_ISO2011, msize, w, h, k, d);
        free(v.m);
        if (rc) return rc;
        mnt_buf_u16(out, 0);
        mnt_buf_set_u32(out, rstart, (uint32_t)(out->len - rstart));
    }
    if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    mnt_buf_set_u32(out, start + 8, (uint32_t)(out->len - start));
    return MNT_OK;
}
