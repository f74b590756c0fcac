/* ANSI/NIST-ITL traditional encoding: Type-1, binary Type-3..8, tagged records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an2k.h"
#include "an2k_internal.h"

int mnt_an2k_sniff(const uint8_t *s, size_t len)
{
    return len >= 6 && (memcmp(s, "1.001:", 6) == 0 || memcmp(s, "9.001:", 6) == 0);
}

void mnt_an2k_free(mnt_an2k *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nrec; i++) free(t->rec[i].fields);
    free(t->rec);
    memset(t, 0, sizeof *t);
}

const mnt_an2k_field *mnt_an2k_get(const mnt_an2k_record *r, int num)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].num == num) return &r->fields[i];
    return NULL;
}

static int is_binary_type(int type) { return type >= 3 && type <= 8; }

/* "Type-14 record 2 (offset 134)" */
static void where(char *w, size_t cap, int type, size_t index, size_t off)
{
    snprintf(w, cap, "Type-%d record %zu (offset %zu)", type, index + 1, off);
}

/* Parses decimal digits [p, p+n) into *v; 0 when not all digits or too long. */
int mnt_an2k_uint(const uint8_t *p, size_t n, long *v)
{
    if (n == 0 || n > 9) return 0;
    long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        x = x * 10 + (p[i] - '0');
    }
    *v = x;
    return 1;
}

/* Reads a tag "T.NNN:" at pos (within end): record type and field number. */
static int read_tag(const uint8_t *s, size_t pos, size_t end, long *type, long *field, size_t *after, const char *w,
                    mnt_diag *d)
{
    size_t i = pos;
    while (i < end && i < pos + 3 && s[i] != '.') i++;
    size_t dot = i;
    if (dot >= end || s[dot] != '.') return mnt_fail(d, MNT_ERR_FORMAT, "%s: field tag at offset %zu has no '.' (not T.NNN:)", w, pos);
    size_t j = dot + 1;
    while (j < end && j < dot + 5 && s[j] != ':') j++;
    if (j >= end || s[j] != ':') return mnt_fail(d, MNT_ERR_FORMAT, "%s: field tag at offset %zu has no ':' (not T.NNN:)", w, pos);
    char tag[16];
    size_t tn = j - pos < sizeof tag - 1 ? j - pos : sizeof tag - 1;
    for (size_t k = 0; k < tn; k++) tag[k] = (s[pos + k] >= 0x20 && s[pos + k] < 0x7F) ? (char)s[pos + k] : '?';
    tag[tn] = 0;
    if (!mnt_an2k_uint(s + pos, dot - pos, type) || !mnt_an2k_uint(s + dot + 1, j - dot - 1, field))
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: field tag '%s' at offset %zu is not numeric", w, tag, pos);
    *after = j + 1;
    return MNT_OK;
}

/* Checks the separators inside a text field value: no FS/GS (they end fields), no
 * other control bytes than US, RS, TAB, CR, LF. */
static int check_text_value(const uint8_t *s, size_t off, size_t len, int type, long field, const char *w, mnt_diag *d)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = s[off + i];
        if (c < 0x20 && c != MNT_AN2K_US && c != MNT_AN2K_RS && c != '\t' && c != '\r' && c != '\n')
            return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.%03ld: control byte 0x%02X at offset %zu", w, type, field, c, off + i);
    }
    return MNT_OK;
}

/* One tagged record at pos, expected type exp_type; fills r. */
int mnt_an2k_parse_tagged(const uint8_t *s, size_t len, size_t pos, int exp_type, size_t index, mnt_an2k_record *r, mnt_diag *d)
{
    char w[96];
    where(w, sizeof w, exp_type, index, pos);
    long type, field;
    size_t v;
    int rc = read_tag(s, pos, len, &type, &field, &v, w, d);
    if (rc) return rc;
    if (type != exp_type)
        return mnt_fail(d, MNT_ERR_FORMAT, "record %zu (offset %zu) is Type-%ld, 1.003 CNT says Type-%d", index + 1, pos, type, exp_type);
    if (field != 1) return mnt_fail(d, MNT_ERR_FORMAT, "%s: first field is %ld.%03ld, not the length %d.001", w, type, field, exp_type);
    size_t e = v;
    while (e < len && e < v + 10 && s[e] >= '0' && s[e] <= '9') e++;
    long reclen;
    if (e >= len) return mnt_fail(d, MNT_ERR_FORMAT, "%s: truncated in field %d.001 LEN", w, exp_type);
    if (!mnt_an2k_uint(s + v, e - v, &reclen) || (s[e] != MNT_AN2K_GS && s[e] != MNT_AN2K_FS))
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.001 LEN is not a number", w, exp_type);
    if ((size_t)reclen < e + 1 - pos) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.001 LEN %ld is shorter than its own field", w, exp_type, reclen);
    if ((size_t)reclen > len - pos)
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.001 LEN %ld exceeds the file (only %zu bytes left)", w, exp_type, reclen, len - pos);
    size_t end = pos + (size_t)reclen; /* one past the FS */
    if (s[end - 1] != MNT_AN2K_FS) return mnt_fail(d, MNT_ERR_FORMAT, "%s: does not end with FS (0x1C) at offset %zu", w, end - 1);
    r->type = exp_type;
    r->off = pos;
    r->len = (size_t)reclen;
    r->tagged = 1;
    r->idc = -1;
    size_t cap = 16;
    r->fields = malloc(cap * sizeof *r->fields);
    if (!r->fields) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    r->nfields = 0;
    size_t p = pos;
    long last = 0;
    for (;;) {
        long ft, fn;
        size_t vs;
        if ((rc = read_tag(s, p, end - 1, &ft, &fn, &vs, w, d))) return rc;
        if (ft != exp_type) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field tag %ld.%03ld at offset %zu belongs to another record type", w, ft, fn, p);
        if (fn < 1 || fn > 999 || fn <= last)
            return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %ld.%03ld at offset %zu out of order (after %d.%03ld) or out of range", w, ft, fn, p, exp_type, last);
        last = fn;
        size_t ve;
        if (fn == 999 && exp_type != 1 && exp_type != 2 && exp_type != 9) {
            ve = end - 1; /* image data: binary up to the FS that ends the record */
            if (ve <= vs) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.999 (image data) empty", w, exp_type);
        } else {
            ve = vs;
            while (ve < end - 1 && s[ve] != MNT_AN2K_GS && s[ve] != MNT_AN2K_FS) ve++;
            if (ve < end - 1 && s[ve] == MNT_AN2K_FS)
                return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.%03ld: FS (0x1C) at offset %zu before the record's end", w, exp_type, fn, ve);
            if ((rc = check_text_value(s, vs, ve - vs, exp_type, fn, w, d))) return rc;
        }
        if (r->nfields == MNT_AN2K_MAX_FIELDS) return mnt_fail(d, MNT_ERR_LIMIT, "%s: more than %d fields", w, MNT_AN2K_MAX_FIELDS);
        if (r->nfields == cap) {
            cap *= 2;
            mnt_an2k_field *nf = realloc(r->fields, cap * sizeof *nf);
            if (!nf) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
            r->fields = nf;
        }
        r->fields[r->nfields++] = (mnt_an2k_field){(int)fn, vs, ve - vs};
        if (ve == end - 1) break;
        p = ve + 1; /* after the GS */
        if (p >= end - 1) return mnt_fail(d, MNT_ERR_FORMAT, "%s: GS (0x1D) at offset %zu followed by no field", w, ve);
    }
    return MNT_OK;
}

/* Item `item` (1-based) of subfield `sub` (1-based) of field f: offsets into s. */
int mnt_an2k_item(const uint8_t *s, const mnt_an2k_field *f, int sub, int item, size_t *off, size_t *len)
{
    size_t p = f->off, e = f->off + f->len;
    for (int k = 1; k < sub; k++) {
        while (p < e && s[p] != MNT_AN2K_RS) p++;
        if (p >= e) return 0;
        p++;
    }
    for (int k = 1; k < item; k++) {
        while (p < e && s[p] != MNT_AN2K_US && s[p] != MNT_AN2K_RS) p++;
        if (p >= e || s[p] == MNT_AN2K_RS) return 0;
        p++;
    }
    size_t q = p;
    while (q < e && s[q] != MNT_AN2K_US && s[q] != MNT_AN2K_RS) q++;
    *off = p;
    *len = q - p;
    return 1;
}

/* Numeric value of an item within lo..hi; names the field in the error. */
int mnt_an2k_num(const uint8_t *s, const mnt_an2k_record *r, int field, int sub, int item, long lo, long hi, long *v,
                    const char *w, mnt_diag *d)
{
    const mnt_an2k_field *f = mnt_an2k_get(r, field);
    if (!f) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.%03d missing", w, r->type, field);
    size_t o, n;
    if (!mnt_an2k_item(s, f, sub, item, &o, &n))
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.%03d has no item %d of subfield %d", w, r->type, field, item, sub);
    if (!mnt_an2k_uint(s + o, n, v)) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.%03d is not a number", w, r->type, field);
    if (*v < lo || *v > hi) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.%03d = %ld outside %ld..%ld", w, r->type, field, *v, lo, hi);
    return MNT_OK;
}

static size_t count_subfields(const uint8_t *s, const mnt_an2k_field *f)
{
    size_t n = 1;
    for (size_t i = 0; i < f->len; i++) n += s[f->off + i] == MNT_AN2K_RS;
    return n;
}

/* "NN.NN" pixels per millimetre. */
static int parse_ppmm(const uint8_t *s, const mnt_an2k_field *f, double *v)
{
    if (f->len < 3 || f->len > 8) return 0;
    double x = 0, scale = 0;
    for (size_t i = 0; i < f->len; i++) {
        uint8_t c = s[f->off + i];
        if (c == '.' && scale == 0) scale = 1;
        else if (c >= '0' && c <= '9') {
            if (scale > 0) { scale /= 10; x += (c - '0') * scale; }
            else x = x * 10 + (c - '0');
        } else return 0;
    }
    *v = x;
    return 1;
}

static const char *const GCA_NAMES[] = {"NONE", "WSQ20", "JPEGB", "JPEGL", "JP2", "JP2L", "PNG"};

static int image_fields(const uint8_t *s, mnt_an2k_record *r, const char *w, mnt_diag *d)
{
    long v;
    int rc;
    r->is_image = 1;
    if ((rc = mnt_an2k_num(s, r, 3, 1, 1, 0, 99, &v, w, d))) return rc;
    r->imp = (int)v;
    if ((rc = mnt_an2k_num(s, r, 6, 1, 1, 1, MNT_MAX_DIM, &v, w, d))) return rc;
    r->width = (int)v;
    if ((rc = mnt_an2k_num(s, r, 7, 1, 1, 1, MNT_MAX_DIM, &v, w, d))) return rc;
    r->height = (int)v;
    long slc, hps, vps;
    if ((rc = mnt_an2k_num(s, r, 8, 1, 1, 0, 2, &slc, w, d))) return rc;
    if ((rc = mnt_an2k_num(s, r, 9, 1, 1, 1, 99999, &hps, w, d))) return rc;
    if ((rc = mnt_an2k_num(s, r, 10, 1, 1, 1, 99999, &vps, w, d))) return rc;
    if (slc != 0 && hps != vps)
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "%s: fields %d.009/%d.010 give different horizontal and vertical resolutions (%ld, %ld)", w,
                        r->type, r->type, hps, vps);
    r->ppi = slc == 1 ? (double)hps : slc == 2 ? (double)hps * 2.54 : 0;
    const mnt_an2k_field *f = mnt_an2k_get(r, 11);
    if (!f) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.011 CGA missing", w, r->type);
    r->compression = NULL;
    for (size_t i = 0; i < sizeof GCA_NAMES / sizeof *GCA_NAMES; i++)
        if (f->len == strlen(GCA_NAMES[i]) && memcmp(s + f->off, GCA_NAMES[i], f->len) == 0) r->compression = GCA_NAMES[i];
    if (!r->compression) {
        char c[16];
        size_t n = f->len < 15 ? f->len : 15;
        for (size_t i = 0; i < n; i++) c[i] = (s[f->off + i] >= 0x20 && s[f->off + i] < 0x7F) ? (char)s[f->off + i] : '?';
        c[n] = 0;
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "%s: field %d.011 CGA '%s' is not NONE, WSQ20, JPEGB, JPEGL, JP2, JP2L or PNG", w, r->type, c);
    }
    if ((rc = mnt_an2k_num(s, r, 12, 1, 1, 1, 64, &v, w, d))) return rc;
    r->bpx = (int)v;
    r->fgp = 0;
    if (mnt_an2k_get(r, 13) && mnt_an2k_num(s, r, 13, 1, 1, 0, 255, &v, w, NULL) == 0) r->fgp = (int)v;
    f = mnt_an2k_get(r, 999);
    if (!f || r->fields[r->nfields - 1].num != 999) return mnt_fail(d, MNT_ERR_FORMAT, "%s: image data field %d.999 missing", w, r->type);
    r->img_off = f->off;
    r->img_len = f->len;
    return MNT_OK;
}

static int parse_binary(const uint8_t *s, size_t len, size_t pos, int type, size_t index, double nsr, mnt_an2k_record *r, mnt_diag *d)
{
    char w[96];
    where(w, sizeof w, type, index, pos);
    size_t hdr = type == 4 ? 18 : 5;
    if (len - pos < 4) return mnt_fail(d, MNT_ERR_FORMAT, "%s: truncated in field %d.001 LEN", w, type);
    uint32_t reclen = mnt_be32(s + pos);
    if (reclen < hdr) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.001 LEN %u is shorter than the %zu-byte header", w, type, reclen, hdr);
    if (reclen > len - pos)
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: field %d.001 LEN %u exceeds the file (only %zu bytes left)", w, type, reclen, len - pos);
    const uint8_t *p = s + pos;
    r->type = type;
    r->off = pos;
    r->len = reclen;
    r->idc = p[4];
    if (type != 4) return MNT_OK;
    r->is_image = 1;
    r->imp = p[5];
    r->fgp = p[6];
    if (r->imp > 29) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 4.003 IMP %d outside 0..29", w, r->imp);
    if (p[6] > 15 && p[6] != 255) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 4.004 FGP %d outside 0..15", w, p[6]);
    int isr = p[12];
    if (isr > 1) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 4.005 ISR %d is not 0 or 1", w, isr);
    /* ISR 0: the minimum scanning resolution, 19.69 ppmm (500 ppi); 1: the native
     * scanning resolution of 1.011 NSR */
    if (isr == 1 && !(nsr > 0)) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 4.005 ISR 1 (native resolution) but 1.011 NSR is 0", w);
    r->ppi = isr == 0 ? 500.0 : nsr * 25.4;
    r->width = p[13] << 8 | p[14];
    r->height = p[15] << 8 | p[16];
    if (r->width < 1 || r->height < 1 || r->width > MNT_MAX_DIM || r->height > MNT_MAX_DIM)
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: fields 4.006/4.007 HLL x VLL %dx%d outside 1..%d", w, r->width, r->height, MNT_MAX_DIM);
    int gca = p[17];
    if (gca >= (int)(sizeof GCA_NAMES / sizeof *GCA_NAMES))
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "%s: field 4.008 GCA %d is not 0..6 (none, WSQ, JPEGB, JPEGL, JP2, JP2L, PNG)", w, gca);
    r->compression = GCA_NAMES[gca];
    r->bpx = 8;
    r->img_off = pos + 18;
    r->img_len = reclen - 18;
    if (r->img_len == 0) return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 4.009 image data empty", w);
    return MNT_OK;
}

static int parse_body(const uint8_t *s, size_t len, mnt_an2k *t, mnt_diag *d)
{
    memset(t, 0, sizeof *t);
    t->data = s;
    t->len = len;
    if (len < 6 || memcmp(s, "1.001:", 6) != 0)
        return mnt_fail(d, MNT_ERR_FORMAT, "not an ANSI/NIST-ITL transaction (does not start with the Type-1 tag 1.001:)");
    mnt_an2k_record r1 = {0};
    int rc = mnt_an2k_parse_tagged(s, len, 0, 1, 0, &r1, d);
    if (rc) { free(r1.fields); return rc; }
    const char *w = "Type-1 record 1 (offset 0)";
    const mnt_an2k_field *ver = mnt_an2k_get(&r1, 2), *cnt = mnt_an2k_get(&r1, 3);
    if (!ver || ver->len != 4) { free(r1.fields); return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 1.002 VER missing or not 4 digits", w); }
    long v;
    if (!mnt_an2k_uint(s + ver->off, 4, &v)) { free(r1.fields); return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 1.002 VER is not numeric", w); }
    memcpy(t->version, s + ver->off, 4);
    if (!cnt) { free(r1.fields); return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 1.003 CNT missing", w); }
    long first, nother;
    if ((rc = mnt_an2k_num(s, &r1, 3, 1, 1, 1, 1, &first, w, d)) || (rc = mnt_an2k_num(s, &r1, 3, 1, 2, 0, MNT_AN2K_MAX_RECORDS - 1, &nother, w, d))) {
        free(r1.fields);
        return rc;
    }
    size_t nsub = count_subfields(s, cnt);
    if (nsub != (size_t)nother + 1) {
        free(r1.fields);
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 1.003 CNT says %ld records but lists %zu", w, nother, nsub - 1);
    }
    const mnt_an2k_field *nsr = mnt_an2k_get(&r1, 11);
    if (nsr && (!parse_ppmm(s, nsr, &t->nsr_ppmm) || t->nsr_ppmm > 100)) {
        free(r1.fields);
        return mnt_fail(d, MNT_ERR_FORMAT, "%s: field 1.011 NSR is not NN.NN pixels per mm", w);
    }
    t->rec = calloc((size_t)nother + 1, sizeof *t->rec);
    if (!t->rec) { free(r1.fields); return mnt_fail(d, MNT_ERR_NOMEM, "out of memory"); }
    t->rec[0] = r1;
    t->nrec = 1;
    size_t pos = r1.len;
    for (long k = 1; k <= nother; k++) {
        long type, idc;
        if ((rc = mnt_an2k_num(s, &r1, 3, (int)k + 1, 1, 2, 99, &type, w, d)) || (rc = mnt_an2k_num(s, &r1, 3, (int)k + 1, 2, 0, 255, &idc, w, d)))
            return rc;
        if (pos >= len)
            return mnt_fail(d, MNT_ERR_FORMAT, "field 1.003 CNT lists %ld records, the file ends at offset %zu after %ld: Type-%ld record %ld missing",
                            nother, len, k - 1, type, k + 1);
        mnt_an2k_record *r = &t->rec[t->nrec];
        rc = is_binary_type((int)type) ? parse_binary(s, len, pos, (int)type, (size_t)k, t->nsr_ppmm, r, d)
                                       : mnt_an2k_parse_tagged(s, len, pos, (int)type, (size_t)k, r, d);
        t->nrec++; /* freed with t either way */
        if (rc) return rc;
        char rw[96];
        where(rw, sizeof rw, (int)type, (size_t)k, pos);
        if (r->tagged) {
            long ridc;
            if ((rc = mnt_an2k_num(s, r, 2, 1, 1, 0, 255, &ridc, rw, d))) return rc;
            r->idc = (int)ridc;
            if ((type == 13 || type == 14) && (rc = image_fields(s, r, rw, d))) return rc;
        }
        if (r->idc != idc)
            return mnt_fail(d, MNT_ERR_FORMAT, "%s: IDC %d, 1.003 CNT says %ld", rw, r->idc, idc);
        pos += r->len;
    }
    if (pos != len)
        return mnt_fail(d, MNT_ERR_FORMAT, "%zu bytes after the last record 1.003 CNT lists (offset %zu)", len - pos, pos);
    return MNT_OK;
}

int mnt_an2k_parse(const uint8_t *s, size_t len, mnt_an2k *t, mnt_diag *d)
{
    int rc = parse_body(s, len, t, d);
    if (rc) mnt_an2k_free(t);
    return rc;
}

void mnt_an2k_record_label(const mnt_an2k *t, size_t k, char *out, size_t cap)
{
    int dup = 0;
    for (size_t i = 1; i < k; i++)
        if (t->rec[i].is_image && t->rec[i].idc == t->rec[k].idc) dup = 1;
    if (dup) snprintf(out, cap, "%d.r%zu", t->rec[k].idc, k + 1);
    else snprintf(out, cap, "%d", t->rec[k].idc);
}
