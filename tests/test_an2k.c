/* ANSI/NIST-ITL transactions: hand-made transactions (valid ones and every refusal),
 * Type-9 written and read back with a byte-level reader of this test's own; and with
 * "conformance", the NBIS-written files of MNT_SHARED_DATA/an2k (pixels against the
 * decoded references, refusals of the invalid files, Type-9 against mindtct's xyt). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "an2k.h"
#include "file_io.h"
#include "image_io.h"
#include "template_io.h"
#include "test_common.h"

/* ---- a builder independent of the library's writer ---- */

static void put_tagged(mnt_buf *b, int type, const char *fields /* after T.001, fields joined by '|', items ',' subfields ';' */,
                       const uint8_t *img, size_t ilen)
{
    mnt_buf body = {0};
    for (const char *p = fields; *p; p++) {
        uint8_t c = (uint8_t)*p;
        if (c == '|') c = MNT_AN2K_GS;
        else if (c == ';') c = MNT_AN2K_RS;
        else if (c == ',') c = MNT_AN2K_US;
        mnt_buf_u8(&body, c);
    }
    if (img) {
        mnt_buf_printf(&body, "%c%d.999:", MNT_AN2K_GS, type);
        mnt_buf_put(&body, img, ilen);
    }
    char tag[16];
    int tl = snprintf(tag, sizeof tag, "%d.001:", type);
    size_t total = 0;
    for (int digits = 1; digits < 10; digits++) {
        total = (size_t)tl + (size_t)digits + 1 + body.len + 1;
        char num[24];
        if ((int)snprintf(num, sizeof num, "%zu", total) == digits) break;
    }
    mnt_buf_printf(b, "%s%zu%c", tag, total, MNT_AN2K_GS);
    mnt_buf_put(b, body.data, body.len);
    mnt_buf_u8(b, MNT_AN2K_FS);
    mnt_buf_free(&body);
}

static uint8_t PIX[16 * 12];

static void make_pixels(void)
{
    for (size_t i = 0; i < sizeof PIX; i++) PIX[i] = (uint8_t)(i * 7 + 3);
}

/* Type-1 with CNT cnt ("1,1;14,01"), then a Type-14 raw 16x12 record. */
static void make_t14(mnt_buf *b, const char *cnt, const char *t14_fields)
{
    char t1[256];
    snprintf(t1, sizeof t1, "1.002:0500|1.003:%s|1.004:TEST|1.005:20250101|1.007:DAI|1.008:ORI|1.009:TCN|1.011:00.00|1.012:00.00", cnt);
    put_tagged(b, 1, t1, NULL, 0);
    put_tagged(b, 14, t14_fields, PIX, sizeof PIX);
}

#define T14_OK "14.002:01|14.003:0|14.004:SRC|14.005:20250101|14.006:16|14.007:12|14.008:1|14.009:500|14.010:500|14.011:NONE|14.012:8|14.013:0"

static void valid_tagged_and_pixels(void **state)
{
    (void)state;
    make_pixels();
    mnt_buf b = {0};
    make_t14(&b, "1,1;14,01", T14_OK);
    mnt_an2k t;
    mnt_diag d = {0};
    assert_int_equal(mnt_an2k_parse(b.data, b.len, &t, &d), 0);
    assert_int_equal(t.nrec, 2);
    assert_string_equal(t.version, "0500");
    assert_int_equal(t.rec[1].type, 14);
    assert_int_equal(t.rec[1].idc, 1);
    assert_true(t.rec[1].is_image);
    assert_int_equal(t.rec[1].width, 16);
    assert_int_equal(t.rec[1].height, 12);
    assert_string_equal(t.rec[1].compression, "NONE");
    assert_true(fabs(t.rec[1].ppi - 500) < 1e-9);
    mnt_image im;
    assert_int_equal(mnt_an2k_decode_image(&t, 1, 0, &im, &d), 0);
    for (size_t i = 0; i < sizeof PIX; i++) assert_int_equal((int)lroundf(im.px[i] * 255), PIX[i]);
    assert_true(fabs(im.ppi - 500) < 1e-9);
    mnt_image_free(&im);
    char label[32];
    mnt_an2k_record_label(&t, 1, label, sizeof label);
    assert_string_equal(label, "1");
    mnt_an2k_free(&t);
    /* SLC 2: pixels per centimetre */
    mnt_buf c = {0};
    make_t14(&c, "1,1;14,01", "14.002:01|14.003:0|14.004:SRC|14.005:20250101|14.006:16|14.007:12|14.008:2|14.009:197|14.010:197|14.011:NONE|14.012:8");
    assert_int_equal(mnt_an2k_parse(c.data, c.len, &t, &d), 0);
    assert_true(fabs(t.rec[1].ppi - 500.38) < 1e-9);
    mnt_an2k_free(&t);
    mnt_buf_free(&c);
    mnt_buf_free(&b);
}

static void valid_type4(void **state)
{
    (void)state;
    make_pixels();
    for (int isr = 0; isr < 2; isr++) {
        mnt_buf b = {0};
        put_tagged(&b, 1, "1.002:0500|1.003:1,1;4,01|1.004:TEST|1.005:20250101|1.007:DAI|1.008:ORI|1.009:TCN|1.011:39.37|1.012:39.37", NULL, 0);
        mnt_buf_u32(&b, 18 + sizeof PIX);
        uint8_t hdr[14] = {1, 3, 0, 255, 255, 255, 255, 255, (uint8_t)isr, 0, 16, 0, 12, 0};
        mnt_buf_put(&b, hdr, sizeof hdr);
        mnt_buf_put(&b, PIX, sizeof PIX);
        mnt_an2k t;
        mnt_diag d = {0};
        assert_int_equal(mnt_an2k_parse(b.data, b.len, &t, &d), 0);
        assert_int_equal(t.rec[1].type, 4);
        assert_int_equal(t.rec[1].imp, 3);
        assert_true(fabs(t.rec[1].ppi - (isr ? 39.37 * 25.4 : 500)) < 1e-6);
        mnt_image im;
        assert_int_equal(mnt_an2k_decode_image(&t, 1, 0, &im, &d), 0);
        assert_int_equal((int)lroundf(im.px[5] * 255), PIX[5]);
        mnt_image_free(&im);
        mnt_an2k_free(&t);
        /* GCA 9 is not a compression code */
        b.data[b.len - sizeof PIX - 1] = 9;
        assert_int_equal(mnt_an2k_parse(b.data, b.len, &t, &d), MNT_ERR_UNSUPPORTED);
        assert_non_null(strstr(d.msg, "4.008 GCA"));
        mnt_buf_free(&b);
    }
}

static void expect_refused(const mnt_buf *b, size_t len, int code, const char *needle)
{
    mnt_an2k t;
    mnt_diag d = {0};
    int rc = mnt_an2k_parse(b->data, len, &t, &d);
    if (rc != code || !strstr(d.msg, needle)) fail_msg("expected %d with '%s', got %d: %s", code, needle, rc, d.msg);
}

static void refusals(void **state)
{
    (void)state;
    make_pixels();
    mnt_buf b = {0};
    /* CNT lists a record that is not there */
    make_t14(&b, "1,2;14,01;9,01", T14_OK);
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "Type-9 record 3 missing");
    mnt_buf_free(&b);
    /* CNT says another type */
    make_t14(&b, "1,1;13,01", T14_OK);
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "is Type-14, 1.003 CNT says Type-13");
    mnt_buf_free(&b);
    /* IDC disagrees with CNT */
    make_t14(&b, "1,1;14,02", T14_OK);
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "IDC 1, 1.003 CNT says 2");
    mnt_buf_free(&b);
    /* count disagrees with the list */
    make_t14(&b, "1,2;14,01", T14_OK);
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "CNT says 2 records but lists 1");
    mnt_buf_free(&b);
    /* non-numeric tag */
    make_t14(&b, "1,1;14,01", "14.002:01|14.003:0|14.004:SRC|14.005:20250101|14.HLL:16|14.007:12|14.008:1|14.009:500|14.010:500|14.011:NONE|14.012:8");
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "field tag '14.HLL' at offset");
    mnt_buf_free(&b);
    /* fields out of order */
    make_t14(&b, "1,1;14,01", "14.002:01|14.003:0|14.007:12|14.006:16|14.008:1|14.009:500|14.010:500|14.011:NONE|14.012:8");
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "out of order");
    mnt_buf_free(&b);
    /* non-numeric value, value out of range, unknown compression, missing field */
    make_t14(&b, "1,1;14,01", "14.002:01|14.003:0|14.006:1x|14.007:12|14.008:1|14.009:500|14.010:500|14.011:NONE|14.012:8");
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "field 14.006 is not a number");
    mnt_buf_free(&b);
    make_t14(&b, "1,1;14,01", "14.002:01|14.003:0|14.006:16|14.007:12|14.008:7|14.009:500|14.010:500|14.011:NONE|14.012:8");
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "field 14.008 = 7 outside 0..2");
    mnt_buf_free(&b);
    make_t14(&b, "1,1;14,01", "14.002:01|14.003:0|14.006:16|14.007:12|14.008:1|14.009:500|14.010:500|14.011:LZW|14.012:8");
    expect_refused(&b, b.len, MNT_ERR_UNSUPPORTED, "14.011 CGA 'LZW'");
    mnt_buf_free(&b);
    make_t14(&b, "1,1;14,01", "14.002:01|14.003:0|14.006:16|14.008:1|14.009:500|14.010:500|14.011:NONE|14.012:8");
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "field 14.007 missing");
    mnt_buf_free(&b);
    /* length beyond the file, and every truncation */
    make_t14(&b, "1,1;14,01", T14_OK);
    for (size_t cut = 0; cut < b.len; cut++) {
        mnt_an2k t;
        mnt_diag d = {0};
        assert_int_not_equal(mnt_an2k_parse(b.data, cut, &t, &d), 0);
        assert_true(d.msg[0] != 0);
    }
    expect_refused(&b, b.len - 1, MNT_ERR_FORMAT, "exceeds the file");
    /* trailing bytes */
    mnt_buf_u8(&b, 'x');
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "1 bytes after the last record");
    b.len--;
    /* the record's last byte is not FS */
    b.data[b.len - 1] = 'x';
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "does not end with FS");
    mnt_buf_free(&b);
    /* uncompressed data of the wrong size */
    make_t14(&b, "1,1;14,01", "14.002:01|14.003:0|14.006:17|14.007:12|14.008:1|14.009:500|14.010:500|14.011:NONE|14.012:8");
    mnt_an2k t;
    mnt_diag d = {0};
    assert_int_equal(mnt_an2k_parse(b.data, b.len, &t, &d), 0);
    mnt_image im;
    assert_int_equal(mnt_an2k_decode_image(&t, 1, 0, &im, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "HLL x VLL"));
    mnt_an2k_free(&t);
    mnt_buf_free(&b);
    /* WSQ that is not WSQ */
    make_t14(&b, "1,1;14,01", "14.002:01|14.003:0|14.006:16|14.007:12|14.008:1|14.009:500|14.010:500|14.011:WSQ20|14.012:8");
    assert_int_equal(mnt_an2k_parse(b.data, b.len, &t, &d), 0);
    assert_int_equal(mnt_an2k_decode_image(&t, 1, 0, &im, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "not WSQ20"));
    mnt_an2k_free(&t);
    mnt_buf_free(&b);
    /* not a transaction */
    mnt_buf_printf(&b, "2.001:5");
    expect_refused(&b, b.len, MNT_ERR_FORMAT, "not an ANSI/NIST-ITL transaction");
    mnt_buf_free(&b);
}

static void expect_type9(const char *fields, int code, const char *needle)
{
    mnt_buf b = {0};
    put_tagged(&b, 1, "1.002:0500|1.003:1,1;9,01|1.004:TEST|1.005:20250101|1.007:DAI|1.008:ORI|1.009:TCN|1.011:00.00|1.012:00.00", NULL, 0);
    put_tagged(&b, 9, fields, NULL, 0);
    mnt_template t;
    mnt_diag d = {0};
    int rc = mnt_an2k_decode_minutiae(b.data, b.len, 500, 500, &t, &d);
    if (!rc) mnt_template_free(&t);
    mnt_buf_free(&b);
    if (rc != code || (needle && !strstr(d.msg, needle))) fail_msg("expected %d with '%s', got %d: %s", code, needle ? needle : "", rc, d.msg);
}

static void type9_refusals(void **state)
{
    (void)state;
    expect_type9("9.002:01|9.003:4|9.004:S|9.010:1|9.011:0|9.012:001,00100200090,20,A", 0, NULL);
    expect_type9("9.002:01|9.003:4|9.004:S|9.010:2|9.011:0|9.012:001,00100200090,20,A", MNT_ERR_FORMAT, "9.010 MIN says 2 minutiae, 9.012 holds 1");
    expect_type9("9.002:01|9.003:4|9.004:S|9.010:1|9.011:0|9.012:002,00100200090,20,A", MNT_ERR_FORMAT, "index is not 1");
    expect_type9("9.002:01|9.003:4|9.004:S|9.010:1|9.011:0|9.012:001,0010020009,20,A", MNT_ERR_FORMAT, "XXXXYYYYTTT");
    expect_type9("9.002:01|9.003:4|9.004:S|9.010:1|9.011:0|9.012:001,00100200360,20,A", MNT_ERR_FORMAT, "theta 0..359");
    expect_type9("9.002:01|9.003:4|9.004:S|9.010:1|9.011:0|9.012:001,00100200090,64,A", MNT_ERR_FORMAT, "quality is not 0..63");
    expect_type9("9.002:01|9.003:4|9.004:S|9.010:1|9.011:0|9.012:001,00100200090,20,E", MNT_ERR_FORMAT, "type is not A, B, C or D");
    expect_type9("9.002:01|9.003:4|9.004:S|9.010:1|9.011:1|9.012:001,00100200090,20,A,7", MNT_ERR_FORMAT, "is not N,C");
    expect_type9("9.002:01|9.003:4|9.004:X|9.010:0", MNT_ERR_FORMAT, "9.004 FMT");
    expect_type9("9.002:01|9.003:4|9.004:U|9.300:100,100|9.331:50,50,90,E;99,99,359,B", 0, NULL);
    expect_type9("9.002:01|9.003:4|9.004:U|9.300:100,100|9.331:100,50,90,E", MNT_ERR_FORMAT, "not within the 9.300 region");
    expect_type9("9.002:01|9.003:4|9.004:U|9.331:10,50,90,E", MNT_ERR_FORMAT, "without the region of interest 9.300");
    expect_type9("9.002:01|9.003:4|9.004:U|9.300:100,100|9.331:10,50,90,A", MNT_ERR_FORMAT, "type is not E, B or X");
    expect_type9("9.002:01|9.003:4|9.004:U|9.014:vendor", MNT_ERR_UNSUPPORTED, "neither legacy 9.012 nor EFS 9.331");
}

/* ---- this test's own byte-level reader of what the project writes ---- */

typedef struct {
    int type;
    size_t off, len;
    char fields[64][8];  /* "T.NNN" of each field, in order */
    const uint8_t *val[64];
    size_t vlen[64];
    int n;
} raw_rec;

static size_t count_sep(const uint8_t *p, size_t n, uint8_t sep)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += p[i] == sep;
    return k;
}

/* Splits a transaction written here into records, checking every LEN, FS, GS and tag. */
static int read_raw(const uint8_t *s, size_t len, raw_rec *recs, int max)
{
    size_t pos = 0;
    int n = 0;
    int listed = -1;
    while (pos < len) {
        assert_true(n < max);
        raw_rec *r = &recs[n];
        memset(r, 0, sizeof *r);
        /* tag of the first field, and LEN */
        int type = 0;
        size_t i = pos;
        while (s[i] >= '0' && s[i] <= '9') type = type * 10 + (s[i++] - '0');
        assert_memory_equal(s + i, ".001:", 5);
        i += 5;
        size_t reclen = 0;
        while (s[i] >= '0' && s[i] <= '9') reclen = reclen * 10 + (size_t)(s[i++] - '0');
        assert_int_equal(s[i], MNT_AN2K_GS);
        assert_true(reclen <= len - pos);
        assert_int_equal(s[pos + reclen - 1], MNT_AN2K_FS); /* FS ends it, LEN counts it */
        r->type = type;
        r->off = pos;
        r->len = reclen;
        /* fields */
        size_t p = pos, end = pos + reclen - 1;
        int last = 0;
        while (p < end) {
            size_t q = p;
            while (s[q] != ':') q++;
            int t = 0, f = 0;
            size_t k = p;
            while (s[k] != '.') t = t * 10 + (s[k++] - '0');
            k++;
            assert_int_equal(q - k, 3); /* three-digit field numbers */
            while (k < q) f = f * 10 + (s[k++] - '0');
            assert_int_equal(t, type);
            assert_true(f > last);
            last = f;
            size_t v = q + 1, e = v;
            if (f == 999) e = end;
            else
                while (e < end && s[e] != MNT_AN2K_GS) e++;
            assert_true(r->n < 64);
            snprintf(r->fields[r->n], 8, "%d.%03d", t, f);
            r->val[r->n] = s + v;
            r->vlen[r->n] = e - v;
            if (f != 999) assert_int_equal(count_sep(s + v, e - v, MNT_AN2K_FS), 0);
            r->n++;
            p = e + 1;
        }
        if (n == 0) {
            assert_int_equal(type, 1);
            /* 1.003 CNT: "1 US n", then one "type US IDC" per record */
            for (int k = 0; k < r->n; k++)
                if (!strcmp(r->fields[k], "1.003")) {
                    assert_int_equal(r->val[k][0], '1');
                    assert_int_equal(r->val[k][1], MNT_AN2K_US);
                    listed = atoi((const char *)r->val[k] + 2);
                    assert_int_equal(count_sep(r->val[k], r->vlen[k], MNT_AN2K_RS), (size_t)listed);
                }
            assert_true(listed >= 0);
        }
        pos += reclen;
        n++;
    }
    assert_int_equal(pos, len);
    assert_int_equal(n, listed + 1);
    return n;
}

static const raw_rec *find_field(const raw_rec *r, const char *tag, const uint8_t **v, size_t *vl)
{
    for (int k = 0; k < r->n; k++)
        if (!strcmp(r->fields[k], tag)) {
            *v = r->val[k];
            *vl = r->vlen[k];
            return r;
        }
    return NULL;
}

static void type9_written_and_read_back(void **state)
{
    (void)state;
    mnt_template t;
    assert_int_equal(mnt_template_init(&t), 0);
    t.width = 400;
    t.height = 500;
    t.ppi = 500;
    t.xres = t.yres = 197;
    t.views[0].position = 3;
    t.views[0].impression = 4;
    const mnt_minutia ms[] = {tc_minutia(10.4, 20.2, 0, MNT_TYPE_ENDING, 80), tc_minutia(399, 499, 359.6, MNT_TYPE_BIFURCATION, 1),
                              tc_minutia(200.5, 250.5, 123.4, MNT_TYPE_OTHER, 0), tc_minutia(0, 0, 181, MNT_TYPE_ENDING, 100)};
    for (size_t i = 0; i < 4; i++) assert_int_equal(mnt_view_push(&t.views[0], &ms[i]), 0);
    mnt_buf b = {0};
    mnt_diag d = {0};
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_AN2K, NULL, &b, &d), 0);
    raw_rec recs[4];
    int n = read_raw(b.data, b.len, recs, 4);
    assert_int_equal(n, 2);
    assert_int_equal(recs[1].type, 9);
    const uint8_t *v = NULL;
    size_t vl = 0;
    assert_non_null(find_field(&recs[0], "1.003", &v, &vl));
    assert_int_equal(vl, 8);
    assert_memory_equal(v, "1\x1f" "1\x1e" "9\x1f" "01", 8);
    assert_non_null(find_field(&recs[1], "9.004", &v, &vl));
    assert_memory_equal(v, "S", 1);
    assert_non_null(find_field(&recs[1], "9.010", &v, &vl));
    assert_memory_equal(v, "4", vl);
    assert_non_null(find_field(&recs[1], "9.012", &v, &vl));
    assert_int_equal(count_sep(v, vl, MNT_AN2K_RS), 3);
    /* first minutia: index, XXXXYYYYTTT (0.01 mm, bottom-left, theta opposite), quality, type */
    char first[64];
    size_t fl = 0;
    while (fl < vl && v[fl] != MNT_AN2K_RS && fl < sizeof first - 1) {
        first[fl] = v[fl] == MNT_AN2K_US ? ',' : (char)v[fl];
        fl++;
    }
    first[fl] = 0;
    /* x 10.4 px = 0.5283 mm -> 0053; H = 2540 (0.01 mm); y 20.2 px -> 103: 2540-1-103 = 2436; theta 180 */
    assert_string_equal(first, "001,00532436180,14,A");
    assert_non_null(find_field(&recs[1], "9.300", &v, &vl));
    assert_memory_equal(v, "2032\x1f" "2540", vl);
    assert_non_null(find_field(&recs[1], "9.331", &v, &vl));
    assert_int_equal(count_sep(v, vl, MNT_AN2K_RS), 3);
    assert_memory_equal(v, "53\x1f" "103\x1f" "0\x1f" "E", 10);
    /* read back */
    mnt_format f;
    assert_int_equal(mnt_template_detect(b.data, b.len, NULL, &f, &d), 0);
    assert_int_equal(f, MNT_FMT_AN2K);
    mnt_template u;
    assert_int_equal(mnt_template_decode(b.data, b.len, f, NULL, &u, &d), 0);
    assert_int_equal(u.views[0].n, 4);
    assert_int_equal(u.views[0].position, 3);
    assert_int_equal(u.views[0].impression, 4);
    for (size_t i = 0; i < 4; i++) {
        const mnt_minutia *a = &ms[i], *c = &u.views[0].m[i];
        assert_true(fabs(a->x - c->x) <= 0.2 && fabs(a->y - c->y) <= 0.2);
        assert_true(mnt_angle_diff(a->angle, c->angle) <= 0.5);
        assert_int_equal(a->type, c->type);
        assert_true(abs(a->quality - c->quality) <= 1);
    }
    mnt_template_free(&u);
    /* a bare Type-9 record is read too (legacy positions need the height) */
    const uint8_t *r9 = b.data + recs[1].off;
    mnt_read_opts o = {0};
    assert_int_equal(mnt_template_decode(r9, recs[1].len, MNT_FMT_AN2K, &o, &u, &d), 0);
    assert_int_equal(u.views[0].n, 4);
    mnt_template_free(&u);
    mnt_buf_free(&b);
    mnt_template_free(&t);
}

static void transaction_copy_keeps_records(void **state)
{
    (void)state;
    make_pixels();
    mnt_buf src = {0};
    make_t14(&src, "1,1;14,01", T14_OK);
    mnt_an2k tx;
    mnt_diag d = {0};
    assert_int_equal(mnt_an2k_parse(src.data, src.len, &tx, &d), 0);
    mnt_template t;
    assert_int_equal(mnt_template_init(&t), 0);
    t.width = 16;
    t.height = 12;
    t.ppi = 500;
    mnt_minutia m = tc_minutia(5, 6, 90, MNT_TYPE_ENDING, 50);
    assert_int_equal(mnt_view_push(&t.views[0], &m), 0);
    mnt_an2k_raw_record raw = {14, 1, src.data + tx.rec[1].off, tx.rec[1].len};
    int idc = 1;
    mnt_buf out = {0};
    assert_int_equal(mnt_an2k_write(&out, &tx, &raw, 1, &t, &idc, &d), 0);
    raw_rec recs[4];
    assert_int_equal(read_raw(out.data, out.len, recs, 4), 3);
    /* the image record byte for byte */
    assert_int_equal(recs[1].len, tx.rec[1].len);
    assert_memory_equal(out.data + recs[1].off, src.data + tx.rec[1].off, tx.rec[1].len);
    /* Type-1: every field but LEN and CNT as it came */
    for (size_t k = 1; k < tx.rec[0].nfields; k++) {
        const mnt_an2k_field *f = &tx.rec[0].fields[k];
        char tag[8];
        snprintf(tag, sizeof tag, "1.%03d", f->num);
        const uint8_t *v = NULL;
        size_t vl = 0;
        assert_non_null(find_field(&recs[0], tag, &v, &vl));
        if (f->num == 3) assert_memory_equal(v, "1\x1f" "2\x1e" "14\x1f" "01\x1e" "9\x1f" "01", vl);
        else {
            assert_int_equal(vl, f->len);
            assert_memory_equal(v, src.data + f->off, vl);
        }
    }
    mnt_an2k tx2;
    assert_int_equal(mnt_an2k_parse(out.data, out.len, &tx2, &d), 0);
    assert_int_equal(tx2.nrec, 3);
    mnt_an2k_free(&tx2);
    mnt_template u;
    assert_int_equal(mnt_an2k_decode_minutiae(out.data, out.len, 0, 0, &u, &d), 0);
    assert_int_equal(u.width, 16);
    assert_int_equal(u.views[0].n, 1);
    mnt_template_free(&u);
    mnt_buf_free(&out);
    mnt_template_free(&t);
    mnt_an2k_free(&tx);
    mnt_buf_free(&src);
}

/* ---- conformance over MNT_SHARED_DATA/an2k ---- */

static int read_all(const char *path, uint8_t **data, size_t *len)
{
    mnt_diag d = {0};
    return mnt_read_file(path, MNT_MAX_IMAGE_FILE, data, len, &d);
}

static int conformance(const char *dir)
{
    static const struct {
        const char *file;
        int record;     /* 1-based */
        const char *ref;
        int tol;        /* grey levels */
        double ppi;
    } IMAGES[] = {
        {"t1_t4_wsq500", 2, "t1_t4_wsq500.img.png", 1, 500},
        {"t1_t14_wsq500", 2, "t1_t14_wsq500.img.png", 1, 500},
        {"t1_t13_raw1000_latent", 2, "t1_t13_raw1000_latent.img.png", 0, 1000},
        {"t1_t4_t9_mindtct", 2, "t1_t4_t9_mindtct.img.png", 1, 500},
        {"t1_t4_t9_mindtct", 4, "t1_t4_t9_mindtct.img2.png", 0, 500.38},
        {"t1_t14_t9_mindtct", 2, "t1_t14_t9_mindtct.img.png", 1, 500},
        {"t1_t14_t9_mindtct", 4, "t1_t14_t9_mindtct.img2.png", 0, 500.38},
        {"t1_t14_png197ppcm", 2, "t1_t14_png197ppcm.img.png", 0, 500.38},
    };
    static const struct {
        const char *file, *needle;
    } INVALID[] = {
        {"invalid_truncated.an2", "14.001 LEN 10284 exceeds the file (only 5075 bytes left)"},
        {"invalid_len_exceeds_file.an2", "14.001 LEN 99999 exceeds the file"},
        {"invalid_cnt_missing_record.an2", "Type-9 record 3 missing"},
        {"invalid_cnt_wrong_type.an2", "is Type-14, 1.003 CNT says Type-13"},
        {"invalid_nonnumeric_tag.an2", "field tag '14.HLL' at offset 199 is not numeric"},
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof IMAGES / sizeof *IMAGES; i++) {
        char path[4200], ref[4200];
        snprintf(path, sizeof path, "%s/%s.an2", dir, IMAGES[i].file);
        snprintf(ref, sizeof ref, "%s/%s", dir, IMAGES[i].ref);
        uint8_t *data;
        size_t len;
        mnt_an2k t;
        mnt_diag d = {0};
        mnt_image im = {0}, want = {0};
        if (read_all(path, &data, &len) || mnt_an2k_parse(data, len, &t, &d)) {
            printf("FAIL %s: %s\n", path, d.msg);
            failures++;
            continue;
        }
        int rc = mnt_an2k_decode_image(&t, (size_t)IMAGES[i].record - 1, 0, &im, &d);
        if (!rc) rc = mnt_image_read(ref, 0, &want, &d);
        if (rc) {
            printf("FAIL %s record %d: %s\n", IMAGES[i].file, IMAGES[i].record, d.msg);
            failures++;
        } else if (im.width != want.width || im.height != want.height) {
            printf("FAIL %s record %d: %dx%d, reference %dx%d\n", IMAGES[i].file, IMAGES[i].record, im.width, im.height, want.width, want.height);
            failures++;
        } else {
            size_t n = (size_t)im.width * im.height, over = 0;
            int maxd = 0;
            double sum = 0;
            for (size_t k = 0; k < n; k++) {
                int a = (int)lroundf(im.px[k] * 255), b = (int)lroundf(want.px[k] * 255), df = abs(a - b);
                if (df > maxd) maxd = df;
                sum += df;
                over += df > IMAGES[i].tol;
            }
            int ok = over == 0 && fabs(im.ppi - IMAGES[i].ppi) < 0.01;
            printf("%s %s record %d (Type-%d %s): %dx%d, %.2f ppi, max |diff| %d, mean %.4f\n", ok ? "ok  " : "FAIL", IMAGES[i].file,
                   IMAGES[i].record, t.rec[IMAGES[i].record - 1].type, t.rec[IMAGES[i].record - 1].compression, im.width, im.height,
                   im.ppi, maxd, sum / (double)n);
            failures += !ok;
        }
        mnt_image_free(&im);
        mnt_image_free(&want);
        mnt_an2k_free(&t);
        free(data);
    }
    for (size_t i = 0; i < sizeof INVALID / sizeof *INVALID; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, INVALID[i].file);
        uint8_t *data;
        size_t len;
        mnt_an2k t;
        mnt_diag d = {0};
        if (read_all(path, &data, &len)) {
            printf("FAIL %s: unreadable\n", path);
            failures++;
            continue;
        }
        int rc = mnt_an2k_parse(data, len, &t, &d);
        int ok = rc != 0 && strstr(d.msg, INVALID[i].needle);
        printf("%s %s refused: %s\n", ok ? "ok  " : "FAIL", INVALID[i].file, rc ? d.msg : "(accepted)");
        if (!rc) mnt_an2k_free(&t);
        failures += !ok;
        free(data);
    }
    /* Type-9 written by mindtct against its -m1 xyt (x y theta/2 quality, top-left) */
    static const char *const MINDTCT[] = {"t1_t4_t9_mindtct", "t1_t14_t9_mindtct"};
    for (size_t i = 0; i < 2; i++) {
        char path[4200], xyt[4200];
        snprintf(path, sizeof path, "%s/%s.an2", dir, MINDTCT[i]);
        snprintf(xyt, sizeof xyt, "%s/%s.xyt", dir, MINDTCT[i]);
        mnt_template t;
        mnt_diag d = {0};
        FILE *f = fopen(xyt, "r");
        if (!f || mnt_template_read_file(path, NULL, NULL, &t, &d)) {
            printf("FAIL %s: %s\n", path, d.msg);
            failures++;
            if (f) fclose(f);
            continue;
        }
        size_t k = 0, bad = 0;
        double maxpos = 0, maxang = 0;
        int x, y, th, q, maxq = 0;
        while (fscanf(f, "%d %d %d %d", &x, &y, &th, &q) == 4) {
            if (k >= t.views[0].n) { bad++; break; }
            const mnt_minutia *m = &t.views[0].m[k++];
            double dp = hypot(m->x - x, m->y - y), da = mnt_angle_diff(m->angle, 2.0 * th);
            if (dp > maxpos) maxpos = dp;
            if (da > maxang) maxang = da;
            if (abs(m->quality - q) > maxq) maxq = abs(m->quality - q);
            bad += dp > 1.0 || da > 2.0 || abs(m->quality - q) > 1;
        }
        fclose(f);
        int ok = !bad && k == t.views[0].n;
        printf("%s %s Type-9 vs xyt: %zu minutiae, max position %.2f px, max angle %.1f deg, max quality %d\n", ok ? "ok  " : "FAIL",
               MINDTCT[i], k, maxpos, maxang, maxq);
        failures += !ok;
        mnt_template_free(&t);
    }
    /* the legacy Type-9 record of ../templates */
    {
        char path[4200];
        snprintf(path, sizeof path, "%s/../templates/mdedonno_type9_record_from_type-9-10-14.an2.bin", dir);
        mnt_template t;
        mnt_diag d = {0};
        mnt_read_opts o = {0};
        int strict = mnt_template_read_file(path, &o, NULL, &t, &d);
        o.height = 800;
        int with_h = strict ? mnt_template_read_file(path, &o, NULL, &t, &d) : -1;
        int ok = strict == MNT_ERR_ARG && with_h == 0 && t.views[0].n == 48 && t.views[0].position == 8;
        printf("%s mdedonno Type-9: without height refused, with height %s minutiae\n", ok ? "ok  " : "FAIL", with_h ? "no" : "48");
        if (!with_h) mnt_template_free(&t);
        failures += !ok;
    }
    printf("%d failure(s)\n", failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "conformance") == 0) {
        const char *shared = tc_shared_dir();
        char dir[4096];
        if (shared) snprintf(dir, sizeof dir, "%s/an2k", shared);
        if (!shared || access(dir, R_OK) != 0) {
            printf("skipped: no shared ANSI/NIST data (MNT_SHARED_DATA/an2k)\n");
            return 77;
        }
        return conformance(dir);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_tagged_and_pixels),
        cmocka_unit_test(valid_type4),
        cmocka_unit_test(refusals),
        cmocka_unit_test(type9_refusals),
        cmocka_unit_test(type9_written_and_read_back),
        cmocka_unit_test(transaction_copy_keeps_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
