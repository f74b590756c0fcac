/* Type-9 minutiae in (legacy 9.012, EFS 9.331) and out, and the transaction writer.
 * Conversions (FORMATS.md 5): legacy 9.012 X, Y in 0.01 mm from the bottom-left, theta
 * opposite to ISO; EFS 9.331 X, Y in 0.01 mm from the ROI's top-left, theta as ISO. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "an2k.h"
#include "an2k_internal.h"
#include "png_io.h"

static int item_str(const uint8_t *s, const mnt_an2k_field *f, int sub, int item, char *out, size_t cap)
{
    size_t o, n;
    if (!f || !mnt_an2k_item(s, f, sub, item, &o, &n) || n >= cap) return 0;
    memcpy(out, s + o, n);
    out[n] = 0;
    return 1;
}

static size_t subfields(const uint8_t *s, const mnt_an2k_field *f)
{
    size_t n = 1;
    for (size_t i = 0; i < f->len; i++) n += s[f->off + i] == MNT_AN2K_RS;
    return n;
}

static int num_str(const char *str, long lo, long hi, long *v)
{
    return mnt_an2k_uint((const uint8_t *)str, strlen(str), v) && *v >= lo && *v <= hi;
}

/* One Type-9 record into view vw. W, H, ppi: the image's (H 0 = unknown). */
static int decode_type9(const uint8_t *s, const mnt_an2k_record *r, size_t index, int H, double ppi, mnt_view *vw, mnt_diag *d)
{
    char w[64];
    snprintf(w, sizeof w, "Type-9 record %zu (offset %zu)", index + 1, r->off);
    long v;
    int rc;
    if ((rc = mnt_an2k_num(s, r, 3, 1, 1, 0, 99, &v, w, d))) return rc;
    vw->impression = (int)v;
    const mnt_an2k_field *fmt = mnt_an2k_get(r, 4);
    char buf[64];
    if (!item_str(s, fmt, 1, 1, buf, sizeof buf) || (strcmp(buf, "S") && strcmp(buf, "U")))
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.004 FMT missing or not S/U", w);
    const mnt_an2k_field *efs = mnt_an2k_get(r, 331), *mrc = mnt_an2k_get(r, 12);
    double ppmm = ppi / 25.4;
    if (mnt_an2k_get(r, 6) && mnt_an2k_num(s, r, 6, 1, 1, 0, 255, &v, w, NULL) == 0) vw->position = (int)v;
    if (mnt_an2k_get(r, 302) && mnt_an2k_num(s, r, 302, 1, 1, 0, 255, &v, w, NULL) == 0) vw->position = (int)v;
    /* legacy qualities, also used with EFS positions */
    size_t nleg = 0;
    int *qual = NULL;
    if (mnt_an2k_get(r, 10)) {
        long nmin;
        if ((rc = mnt_an2k_num(s, r, 10, 1, 1, 0, MNT_AN2K_MAX_MINUTIAE, &nmin, w, d))) return rc;
        nleg = mrc ? subfields(s, mrc) : 0;
        if ((size_t)nmin != nleg)
            return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.010 MIN says %ld minutiae, 9.012 holds %zu", w, nmin, nleg);
    } else if (mrc) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.012 without 9.010 MIN", w);
    if (!efs && !mrc && !mnt_an2k_get(r, 10))
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "%s: neither legacy 9.012 nor EFS 9.331 minutiae (vendor blocks are not read)", w);
    if (nleg) {
        qual = calloc(nleg, sizeof *qual);
        if (!qual) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    mnt_minutia *leg = nleg ? calloc(nleg, sizeof *leg) : NULL;
    if (nleg && !leg) { free(qual); return mnt_fail(d, MNT_ERR_NOMEM, "out of memory"); }
    rc = MNT_OK;
    for (size_t i = 0; i < nleg && !rc; i++) {
        char idx[16], xyt[16], q[8], ty[4];
        long iv, X, Y, T, qv;
        if (!item_str(s, mrc, (int)i + 1, 1, idx, sizeof idx) || !num_str(idx, 1, 999, &iv) || (size_t)iv != i + 1)
            rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.012 minutia %zu: index is not %zu", w, i + 1, i + 1);
        else if (!item_str(s, mrc, (int)i + 1, 2, xyt, sizeof xyt) || strlen(xyt) != 11 || !mnt_an2k_uint((const uint8_t *)xyt, 4, &X) ||
                 !mnt_an2k_uint((const uint8_t *)xyt + 4, 4, &Y) || !mnt_an2k_uint((const uint8_t *)xyt + 8, 3, &T) || T > 359)
            rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.012 minutia %zu: position is not XXXXYYYYTTT (11 digits, theta 0..359)", w, i + 1);
        else if (!item_str(s, mrc, (int)i + 1, 3, q, sizeof q) || !num_str(q, 0, 63, &qv))
            rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.012 minutia %zu: quality is not 0..63", w, i + 1);
        else if (!item_str(s, mrc, (int)i + 1, 4, ty, sizeof ty) || strlen(ty) != 1 || !strchr("ABCD", ty[0]))
            rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.012 minutia %zu: type is not A, B, C or D", w, i + 1);
        else {
            for (int it = 5; !rc; it++) { /* ridge counts "NNN,CC" */
                char rcnt[16];
                if (!item_str(s, mrc, (int)i + 1, it, rcnt, sizeof rcnt)) {
                    size_t o, n;
                    if (mnt_an2k_item(s, mrc, (int)i + 1, it, &o, &n)) rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.012 minutia %zu: ridge count item too long", w, i + 1);
                    break;
                }
                char *comma = strchr(rcnt, ',');
                long a, b;
                if (!comma || !mnt_an2k_uint((const uint8_t *)rcnt, (size_t)(comma - rcnt), &a) || !num_str(comma + 1, 0, 255, &b))
                    rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.012 minutia %zu: ridge count item '%s' is not N,C", w, i + 1, rcnt);
            }
            if (rc) break;
            qual[i] = qv >= 2 ? (int)lround((double)(63 - qv) * 100.0 / 61.0) : 0;
            mnt_minutia *m = &leg[i];
            m->x = (double)X * ppmm / 100.0;
            if (H > 0) {
                long hmm = lround(H / ppmm * 100.0);
                m->y = (double)(hmm - 1 - Y) * ppmm / 100.0;
            }
            m->angle = mnt_angle_norm((double)T + 180.0);
            m->type = ty[0] == 'A' ? MNT_TYPE_ENDING : ty[0] == 'B' ? MNT_TYPE_BIFURCATION : MNT_TYPE_OTHER;
            m->quality = qual[i];
        }
    }
    if (!rc && efs) {
        long ewi = 0, ehi = 0, eho = 0, evo = 0;
        const mnt_an2k_field *roi = mnt_an2k_get(r, 300);
        char b[16];
        if (!roi) rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: EFS 9.331 without the region of interest 9.300", w);
        else if ((rc = mnt_an2k_num(s, r, 300, 1, 1, 1, 50000, &ewi, w, d)) || (rc = mnt_an2k_num(s, r, 300, 1, 2, 1, 50000, &ehi, w, d))) {
        } else {
            if (item_str(s, roi, 1, 3, b, sizeof b) && b[0] && !num_str(b, 0, 50000, &eho))
                rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.300 EHO is not a number", w);
            if (!rc && item_str(s, roi, 1, 4, b, sizeof b) && b[0] && !num_str(b, 0, 50000, &evo))
                rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.300 EVO is not a number", w);
        }
        size_t n = rc ? 0 : subfields(s, efs);
        if (!rc && n > MNT_AN2K_MAX_MINUTIAE) rc = mnt_fail(d, MNT_ERR_LIMIT, "%s: field 9.331 holds %zu minutiae (at most %d)", w, n, MNT_AN2K_MAX_MINUTIAE);
        for (size_t i = 0; i < n && !rc; i++) {
            char xs[16], ys[16], ts[16], ty[4];
            long X, Y, T;
            if (!item_str(s, efs, (int)i + 1, 1, xs, sizeof xs) || !num_str(xs, 0, ewi - 1, &X) || !item_str(s, efs, (int)i + 1, 2, ys, sizeof ys) ||
                !num_str(ys, 0, ehi - 1, &Y))
                rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.331 minutia %zu: position not within the 9.300 region", w, i + 1);
            else if (!item_str(s, efs, (int)i + 1, 3, ts, sizeof ts) || !num_str(ts, 0, 359, &T))
                rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.331 minutia %zu: direction is not 0..359", w, i + 1);
            else if (!item_str(s, efs, (int)i + 1, 4, ty, sizeof ty) || strlen(ty) != 1 || !strchr("EBX", ty[0]))
                rc = mnt_fail(d, MNT_ERR_FORMAT, "%s: field 9.331 minutia %zu: type is not E, B or X", w, i + 1);
            else {
                mnt_minutia m = {0};
                m.x = (double)(X + eho) * ppmm / 100.0;
                m.y = (double)(Y + evo) * ppmm / 100.0;
                m.angle = (double)T;
                m.type = ty[0] == 'E' ? MNT_TYPE_ENDING : ty[0] == 'B' ? MNT_TYPE_BIFURCATION : MNT_TYPE_OTHER;
                m.quality = n == nleg ? qual[i] : 0;
                rc = mnt_view_push(vw, &m);
            }
        }
    } else if (!rc) {
        if (nleg && H <= 0)
            rc = mnt_fail(d, MNT_ERR_ARG, "%s: legacy 9.012 positions are measured from the bottom edge: the image height is needed "
                                         "(no image record with IDC %d; give --height)", w, r->idc);
        for (size_t i = 0; i < nleg && !rc; i++) rc = mnt_view_push(vw, &leg[i]);
    }
    free(qual);
    free(leg);
    return rc;
}

int mnt_an2k_decode_minutiae(const uint8_t *data, size_t len, int height_hint, double ppi_hint, mnt_template *tp, mnt_diag *d)
{
    mnt_an2k t = {0};
    mnt_an2k_record bare = {0};
    int rc;
    int is_bare = len >= 6 && memcmp(data, "9.001:", 6) == 0;
    if (is_bare) {
        rc = mnt_an2k_parse_tagged(data, len, 0, 9, 0, &bare, d);
        if (!rc && bare.len != len) rc = mnt_fail(d, MNT_ERR_FORMAT, "%zu bytes after the Type-9 record", len - bare.len);
        long idc;
        if (!rc && !(rc = mnt_an2k_num(data, &bare, 2, 1, 1, 0, 255, &idc, "Type-9 record 1 (offset 0)", d))) bare.idc = (int)idc;
        if (rc) { free(bare.fields); return rc; }
        t.data = data;
        t.len = len;
        t.rec = &bare;
        t.nrec = 1;
    } else if ((rc = mnt_an2k_parse(data, len, &t, d))) return rc;
    if ((rc = mnt_template_init(tp))) goto out;
    size_t nviews = 0;
    for (size_t k = 0; k < t.nrec && !rc; k++) {
        const mnt_an2k_record *r = &t.rec[k];
        if (r->type != 9) continue;
        const mnt_an2k_record *img = NULL;
        for (size_t j = 0; j < t.nrec && !img; j++)
            if (t.rec[j].is_image && t.rec[j].idc == r->idc) img = &t.rec[j];
        int H = img ? img->height : height_hint;
        double ppi = img && img->ppi > 0 ? img->ppi : ppi_hint > 0 ? ppi_hint : 500.0;
        mnt_view *vw = &tp->views[0];
        if (nviews && (rc = mnt_template_add_view(tp, &vw))) break;
        vw->view = (int)nviews;
        if ((rc = decode_type9(data, r, k, H, ppi, vw, d))) break;
        if (!nviews) {
            tp->width = img ? img->width : 0;
            tp->height = H > 0 ? H : 0;
            tp->ppi = ppi;
            tp->xres = tp->yres = mnt_ppi_to_ppcm(ppi);
        }
        nviews++;
    }
    if (!rc && !nviews) rc = mnt_fail(d, MNT_ERR_FORMAT, "transaction holds no Type-9 minutiae record");
    if (rc) mnt_template_free(tp);
out:
    if (is_bare) free(bare.fields);
    else mnt_an2k_free(&t);
    return rc;
}

/* ---- writing ---- */

/* Appends a tagged record of type `type` whose fields after T.001 are body (each field
 * already "T.NNN:value" joined by GS, no leading GS), computing LEN as NBIS does. */
static void put_record(mnt_buf *out, int type, const uint8_t *body, size_t blen)
{
    char tag[16];
    int tl = snprintf(tag, sizeof tag, "%d.001:", type);
    size_t total = (size_t)tl + 1 + blen + 1 + 1, prev = 0; /* LEN digits, GS, body, FS */
    while (total != prev) {
        prev = total;
        char num[24];
        int nl = snprintf(num, sizeof num, "%zu", prev);
        total = (size_t)tl + (size_t)nl + 1 + blen + 1;
    }
    mnt_buf_printf(out, "%s%zu", tag, total);
    mnt_buf_u8(out, MNT_AN2K_GS);
    mnt_buf_put(out, body, blen);
    mnt_buf_u8(out, MNT_AN2K_FS);
}

static void field(mnt_buf *b, int type, int num)
{
    if (b->len) mnt_buf_u8(b, MNT_AN2K_GS);
    mnt_buf_printf(b, "%d.%03d:", type, num);
}

static double tp_ppi(const mnt_template *tp)
{
    double ppi = mnt_template_ppi(tp);
    return ppi > 0 ? ppi : 500.0;
}

int mnt_an2k_put_type9(mnt_buf *out, const mnt_template *tp, size_t vi, int idc, int imp, mnt_diag *d)
{
    if (vi >= tp->nviews) return mnt_fail(d, MNT_ERR_ARG, "no view %zu", vi);
    const mnt_view *v = &tp->views[vi];
    if (v->n > MNT_AN2K_MAX_MINUTIAE) return mnt_fail(d, MNT_ERR_LIMIT, "Type-9 holds at most %d minutiae, view has %zu", MNT_AN2K_MAX_MINUTIAE, v->n);
    double ppmm = tp_ppi(tp) / 25.4;
    double maxx = 0, maxy = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (v->m[i].x > maxx) maxx = v->m[i].x;
        if (v->m[i].y > maxy) maxy = v->m[i].y;
    }
    int W = tp->width > 0 ? tp->width : (int)ceil(maxx) + 1, H = tp->height > 0 ? tp->height : (int)ceil(maxy) + 1;
    long ewi = lround(W / ppmm * 100.0), ehi = lround(H / ppmm * 100.0);
    if (ewi < 1 || ehi < 1 || ewi > 9999 || ehi > 9999)
        return mnt_fail(d, MNT_ERR_LIMIT, "image of %dx%d px at %.0f ppi does not fit Type-9's 4-digit 0.01 mm positions", W, H, tp_ppi(tp));
    int fgp = v->position >= 0 && v->position <= 10 ? v->position : 0;
    mnt_buf b = {0};
    field(&b, 9, 2); mnt_buf_printf(&b, "%02d", idc);
    field(&b, 9, 3); mnt_buf_printf(&b, "%d", imp);
    field(&b, 9, 4); mnt_buf_printf(&b, "S");
    field(&b, 9, 5); mnt_buf_printf(&b, "MINUTIAE%cA", MNT_AN2K_US);
    field(&b, 9, 6); mnt_buf_printf(&b, "%02d", fgp);
    field(&b, 9, 7); mnt_buf_printf(&b, "T%cUN", MNT_AN2K_US);
    field(&b, 9, 10); mnt_buf_printf(&b, "%zu", v->n);
    field(&b, 9, 11); mnt_buf_printf(&b, "0");
    if (v->n) {
        field(&b, 9, 12);
        for (size_t i = 0; i < v->n; i++) {
            const mnt_minutia *m = &v->m[i];
            long X = lround(m->x * 100.0 / ppmm), Y = ehi - 1 - lround(m->y * 100.0 / ppmm);
            if (X < 0) X = 0;
            if (X > ewi - 1) X = ewi - 1;
            if (Y < 0) Y = 0;
            if (Y > ehi - 1) Y = ehi - 1;
            long T = (lround(mnt_angle_norm(m->angle)) + 180) % 360;
            int q = m->quality >= 1 && m->quality <= 100 ? (int)lround(63 - 0.61 * m->quality) : 1;
            char ty = m->type == MNT_TYPE_ENDING ? 'A' : m->type == MNT_TYPE_BIFURCATION ? 'B' : 'D';
            mnt_buf_printf(&b, "%s%03zu%c%04ld%04ld%03ld%c%02d%c%c", i ? "\x1e" : "", i + 1, MNT_AN2K_US, X, Y, T, MNT_AN2K_US, q,
                           MNT_AN2K_US, ty);
        }
    }
    field(&b, 9, 300); mnt_buf_printf(&b, "%ld%c%ld", ewi, MNT_AN2K_US, ehi);
    field(&b, 9, 302); mnt_buf_printf(&b, "%d", fgp);
    if (v->n) {
        field(&b, 9, 331);
        for (size_t i = 0; i < v->n; i++) {
            const mnt_minutia *m = &v->m[i];
            long X = lround(m->x * 100.0 / ppmm), Y = lround(m->y * 100.0 / ppmm);
            if (X < 0) X = 0;
            if (X > ewi - 1) X = ewi - 1;
            if (Y < 0) Y = 0;
            if (Y > ehi - 1) Y = ehi - 1;
            long T = lround(mnt_angle_norm(m->angle)) % 360;
            char ty = m->type == MNT_TYPE_ENDING ? 'E' : m->type == MNT_TYPE_BIFURCATION ? 'B' : 'X';
            mnt_buf_printf(&b, "%s%ld%c%ld%c%ld%c%c", i ? "\x1e" : "", X, MNT_AN2K_US, Y, MNT_AN2K_US, T, MNT_AN2K_US, ty);
        }
    }
    int rc = b.failed ? mnt_fail(d, MNT_ERR_NOMEM, "out of memory") : MNT_OK;
    if (!rc) put_record(out, 9, b.data, b.len);
    mnt_buf_free(&b);
    return rc;
}

static void today(char out[16])
{
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    snprintf(out, 16, "%04d%02d%02d", (tmv.tm_year + 1900) % 10000, (tmv.tm_mon + 1) % 100, tmv.tm_mday % 100);
}

int mnt_an2k_write(mnt_buf *out, const mnt_an2k *src, const mnt_an2k_raw_record *recs, size_t nrecs, const mnt_template *tp,
                   const int *view_idc, mnt_diag *d)
{
    size_t n9 = tp ? tp->nviews : 0;
    if (nrecs + n9 + 1 > MNT_AN2K_MAX_RECORDS) return mnt_fail(d, MNT_ERR_LIMIT, "too many records for one transaction");
    mnt_buf b = {0};
    /* CNT */
    mnt_buf cnt = {0};
    mnt_buf_printf(&cnt, "1%c%zu", MNT_AN2K_US, nrecs + n9);
    for (size_t i = 0; i < nrecs; i++) mnt_buf_printf(&cnt, "%c%d%c%02d", MNT_AN2K_RS, recs[i].type, MNT_AN2K_US, recs[i].idc);
    for (size_t i = 0; i < n9; i++) mnt_buf_printf(&cnt, "%c9%c%02d", MNT_AN2K_RS, MNT_AN2K_US, view_idc ? view_idc[i] : (int)i + 1);
    if (src && src->nrec && src->rec[0].type == 1) {
        const mnt_an2k_record *r1 = &src->rec[0];
        for (size_t i = 0; i < r1->nfields; i++) {
            const mnt_an2k_field *f = &r1->fields[i];
            if (f->num == 1) continue;
            field(&b, 1, f->num);
            if (f->num == 3) mnt_buf_put(&b, cnt.data, cnt.len);
            else mnt_buf_put(&b, src->data + f->off, f->len);
        }
    } else {
        char date[16];
        today(date);
        field(&b, 1, 2); mnt_buf_printf(&b, "0500");
        field(&b, 1, 3); mnt_buf_put(&b, cnt.data, cnt.len);
        field(&b, 1, 4); mnt_buf_printf(&b, "MNT");
        field(&b, 1, 5); mnt_buf_printf(&b, "%s", date);
        field(&b, 1, 7); mnt_buf_printf(&b, "UNKNOWN");
        field(&b, 1, 8); mnt_buf_printf(&b, "MINUTIAE");
        field(&b, 1, 9); mnt_buf_printf(&b, "MNT%s", date);
        field(&b, 1, 11); mnt_buf_printf(&b, "00.00");
        field(&b, 1, 12); mnt_buf_printf(&b, "00.00");
    }
    mnt_buf_free(&cnt);
    if (b.failed) { mnt_buf_free(&b); return mnt_fail(d, MNT_ERR_NOMEM, "out of memory"); }
    put_record(out, 1, b.data, b.len);
    mnt_buf_free(&b);
    for (size_t i = 0; i < nrecs; i++) mnt_buf_put(out, recs[i].bytes, recs[i].len);
    for (size_t i = 0; i < n9; i++) {
        int imp = tp->views[i].impression;
        int rc = mnt_an2k_put_type9(out, tp, i, view_idc ? view_idc[i] : (int)i + 1, imp >= 0 && imp <= 29 ? imp : 4, d);
        if (rc) return rc;
    }
    return out->failed ? mnt_fail(d, MNT_ERR_NOMEM, "out of memory") : MNT_OK;
}

int mnt_an2k_put_type13_png(mnt_buf *out, const mnt_image *im, int idc, mnt_diag *d)
{
    mnt_buf png = {0};
    int rc = mnt_png_encode_grey(im, &png, d);
    if (rc) return rc;
    char date[16];
    today(date);
    long ppi = lround(im->ppi > 0 ? im->ppi : 500);
    mnt_buf b = {0};
    field(&b, 13, 2); mnt_buf_printf(&b, "%02d", idc);
    field(&b, 13, 3); mnt_buf_printf(&b, "4");
    field(&b, 13, 4); mnt_buf_printf(&b, "MINUTIAE");
    field(&b, 13, 5); mnt_buf_printf(&b, "%s", date);
    field(&b, 13, 6); mnt_buf_printf(&b, "%d", im->width);
    field(&b, 13, 7); mnt_buf_printf(&b, "%d", im->height);
    field(&b, 13, 8); mnt_buf_printf(&b, "1");
    field(&b, 13, 9); mnt_buf_printf(&b, "%ld", ppi);
    field(&b, 13, 10); mnt_buf_printf(&b, "%ld", ppi);
    field(&b, 13, 11); mnt_buf_printf(&b, "PNG");
    field(&b, 13, 12); mnt_buf_printf(&b, "8");
    field(&b, 13, 13); mnt_buf_printf(&b, "0");
    field(&b, 13, 999); mnt_buf_put(&b, png.data, png.len);
    mnt_buf_free(&png);
    rc = b.failed ? mnt_fail(d, MNT_ERR_NOMEM, "out of memory") : MNT_OK;
    if (!rc) put_record(out, 13, b.data, b.len);
    mnt_buf_free(&b);
    return rc;
}
