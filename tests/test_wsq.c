/* WSQ decoder. Unit tests on hand-built streams (no shared data needed): a minimal
 * valid stream, every truncation of it, limits, bad table indexes, Huffman underrun and
 * overrun, markers in the wrong place; the encoder's round trip. Conformance (`test_wsq conformance`, ctest
 * test_wsq_conformance): every valid file of ../shared/data/wsq decodes within +-1 grey
 * level of NBIS's decoding at every pixel (max and mean absolute difference printed),
 * every invalid one is refused with its reason; exit code 77 (skipped) without the data. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "file_io.h"
#include "image_io.h"
#include "pgm_io.h"
#include "test_common.h"
#include "wsq.h"
#include "wsq_internal.h"

/* ---- hand-built streams ---- */

typedef struct {
    int width, height;
    unsigned dht_id, sob_id;
    unsigned nlo, nhi; /* DTT filter lengths */
    int with_dtt, with_dqt, with_nistcom, drt;
    int huge_taps; /* filter taps of 4e9: overflow to inf / NaN in the synthesis */
    const char *comment;
    const uint8_t *data; /* entropy-coded bytes */
    size_t ndata;
    int coded_bands; /* subbands 0..coded_bands-1 get bin width 1, the rest 0 */
} stream_spec;

static void put_scaled(mnt_buf *b, double v, int wide)
{
    /* sign, scale 9, magnitude (u32 for filters); u16 tables use scale 2 */
    if (wide) {
        mnt_buf_u8(b, v < 0);
        mnt_buf_u8(b, 9);
        mnt_buf_u32(b, (uint32_t)llround(fabs(v) * 1e9));
    } else {
        mnt_buf_u8(b, 2);
        mnt_buf_u16(b, (unsigned)llround(v * 100));
    }
}

/* The CDF 9/7 analysis filters, centre tap first. */
static const double LO9[] = {0.852698679009, 0.377402855613, -0.110624404418, -0.023849465020, 0.037828455507};
static const double HI7[] = {0.788485616406, -0.418092273222, -0.040689417609, 0.064538882629};

static void build(const stream_spec *s, mnt_buf *b)
{
    memset(b, 0, sizeof *b);
    mnt_buf_u16(b, WSQ_SOI);
    if (s->with_nistcom) {
        const char *txt = s->comment ? s->comment : "NIST_COM 2\nPPI 1000\n";
        mnt_buf_u16(b, WSQ_COM);
        mnt_buf_u16(b, (unsigned)(2 + strlen(txt)));
        mnt_buf_put(b, txt, strlen(txt));
    }
    if (s->with_dtt) {
        mnt_buf_u16(b, WSQ_DTT);
        mnt_buf_u16(b, 2 + 2 + 6 * (s->nlo / 2 + 1 + s->nhi / 2 + 1));
        mnt_buf_u8(b, s->nlo);
        mnt_buf_u8(b, s->nhi);
        for (unsigned k = 0; k <= s->nlo / 2; k++) {
            if (s->huge_taps) {
                mnt_buf_u8(b, k % 2);
                mnt_buf_u8(b, 0);
                mnt_buf_u32(b, 4000000000u);
            } else {
                put_scaled(b, k < 5 ? LO9[k] : 0, 1);
            }
        }
        for (unsigned k = 0; k <= s->nhi / 2; k++) put_scaled(b, k < 4 ? HI7[k] : 0, 1);
    }
    if (s->with_dqt) {
        mnt_buf_u16(b, WSQ_DQT);
        mnt_buf_u16(b, 2 + 3 + 64 * 6);
        put_scaled(b, 0.44, 0);
        for (int k = 0; k < 64; k++) {
            put_scaled(b, k < s->coded_bands ? 1.0 : 0.0, 0);
            put_scaled(b, k < s->coded_bands ? 1.2 : 0.0, 0);
        }
    }
    if (s->drt) {
        mnt_buf_u16(b, WSQ_DRT);
        mnt_buf_u16(b, 4);
        mnt_buf_u16(b, 0);
    }
    mnt_buf_u16(b, WSQ_SOF);
    mnt_buf_u16(b, 17);
    mnt_buf_u8(b, 0);
    mnt_buf_u8(b, 255);
    mnt_buf_u16(b, (unsigned)s->height);
    mnt_buf_u16(b, (unsigned)s->width);
    put_scaled(b, 128.0, 0); /* m_shift */
    put_scaled(b, 10.0, 0);  /* r_scale */
    mnt_buf_u8(b, 2);
    mnt_buf_u16(b, 0);
    /* one Huffman table: "0" = run of 4 zeros, "10" = +1, "110" = 8-bit positive value */
    mnt_buf_u16(b, WSQ_DHT);
    mnt_buf_u16(b, 2 + 1 + 16 + 3);
    mnt_buf_u8(b, s->dht_id);
    static const uint8_t bits[16] = {1, 1, 1};
    mnt_buf_put(b, bits, 16);
    mnt_buf_u8(b, 4);
    mnt_buf_u8(b, 181);
    mnt_buf_u8(b, 101);
    mnt_buf_u16(b, WSQ_SOB);
    mnt_buf_u16(b, 3);
    mnt_buf_u8(b, s->sob_id);
    mnt_buf_put(b, s->data, s->ndata);
    mnt_buf_u16(b, WSQ_EOI);
}

/* 64 x 64 with only subband 0 (2 x 2 coefficients) coded. */
static stream_spec spec64(const uint8_t *data, size_t n)
{
    stream_spec s = {64, 64, 0, 0, 9, 7, 1, 1, 1, 0, 0, NULL, data, n, 1};
    return s;
}

static const uint8_t FOUR_ONES[] = {0xAA};     /* 10 10 10 10 */
static const uint8_t FOUR_ZEROS[] = {0x7F};    /* 0 + padding */
static const uint8_t FIVE_ONES[] = {0xAA, 0xBF}; /* 10 x 5 + padding */
static const uint8_t THREE_ONES[] = {0xAB};    /* 10 x 3 + padding */
static const uint8_t FOUR_100S[] = {0xCC, 0x99, 0x93, 0x32, 0x66, 0x4F}; /* (110 + 8-bit 100) x 4 */

static int decode(const stream_spec *s, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    mnt_buf b;
    build(s, &b);
    memset(d, 0, sizeof *d);
    int rc = mnt_wsq_decode(b.data, b.len, max_pixels, im, d);
    mnt_buf_free(&b);
    return rc;
}

static void expect_refusal(const stream_spec *s, size_t max_pixels, int code, const char *needle)
{
    mnt_image im;
    mnt_diag d;
    int rc = decode(s, max_pixels, &im, &d);
    if (rc != code || !strstr(d.msg, needle))
        fail_msg("expected %d containing '%s', got %d: %s", code, needle, rc, d.msg);
    assert_null(im.px);
}

static void minimal_streams_decode(void **state)
{
    (void)state;
    mnt_image im;
    mnt_diag d;
    stream_spec s = spec64(FOUR_ZEROS, sizeof FOUR_ZEROS);
    assert_int_equal(decode(&s, 0, &im, &d), 0);
    assert_int_equal(im.width, 64);
    assert_int_equal(im.height, 64);
    assert_true(im.ppi == 1000);
    for (size_t i = 0; i < 64 * 64; i++) assert_true(fabsf(im.px[i] - 128.0f / 255.0f) < 1e-6f); /* all m_shift */
    mnt_image_free(&im);

    /* four equal coefficients fill the lowest subband (2 x 2): a constant image. Each
     * value is 1 * (100 - 0.44) + 1.2 / 2 = 100.16; the synthesis lowpass passes a
     * constant at 1/sqrt(2) per axis, so 5 levels give 100.16 / 32 = 3.13, times the
     * scale 10 plus the shift 128: 159.3 -> 159 everywhere */
    s = spec64(FOUR_100S, sizeof FOUR_100S);
    s.with_nistcom = 0;
    assert_int_equal(decode(&s, 0, &im, &d), 0);
    assert_true(im.ppi == 0);
    for (size_t i = 0; i < 64 * 64; i++)
        if (lrintf(im.px[i] * 255) != 159) fail_msg("pixel %zu is %.2f, expected 159", i, im.px[i] * 255);
    mnt_image_free(&im);

    /* a comment and a repeated Huffman table after the data, before EOI */
    {
        stream_spec t = spec64(FOUR_ONES, sizeof FOUR_ONES);
        mnt_buf a, c = {0};
        build(&t, &a);
        mnt_buf_put(&c, a.data, a.len - 2);
        mnt_buf_u16(&c, WSQ_COM);
        mnt_buf_u16(&c, 7);
        mnt_buf_put(&c, "after", 5);
        static const uint8_t dht[] = {0xFF, 0xA6, 0x00, 0x14, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x04};
        mnt_buf_put(&c, dht, sizeof dht);
        mnt_buf_u16(&c, WSQ_EOI);
        assert_int_equal(mnt_wsq_decode(c.data, c.len, 0, &im, &d), 0);
        mnt_image_free(&im);
        mnt_buf_free(&a);
        mnt_buf_free(&c);
    }

    /* absurd filters: the pixels overflow, yet every one is a clipped grey level */
    s = spec64(FOUR_100S, sizeof FOUR_100S);
    s.huge_taps = 1;
    assert_int_equal(decode(&s, 0, &im, &d), 0);
    for (size_t i = 0; i < 64 * 64; i++) assert_true(im.px[i] >= 0 && im.px[i] <= 1);
    mnt_image_free(&im);

    /* odd sizes, and the content sniffing of mnt_image_decode */
    s.width = 45;
    s.height = 33;
    mnt_buf b;
    build(&s, &b);
    assert_int_equal(mnt_image_decode(b.data, b.len, 0, &im, &d), 0);
    assert_int_equal(im.width, 45);
    assert_int_equal(im.height, 33);
    mnt_image_free(&im);
    mnt_buf_free(&b);
}

static void nistcom_ppi(void **state)
{
    (void)state;
    mnt_image im;
    mnt_diag d;
    stream_spec s = spec64(FOUR_ZEROS, sizeof FOUR_ZEROS);
    s.comment = "NIST_COM 3\nPIX_WIDTH 64\nPPI -1\n";
    assert_int_equal(decode(&s, 0, &im, &d), 0);
    assert_true(im.ppi == 0);
    assert_false(d.warn[0]);
    mnt_image_free(&im);
    s.comment = "NIST_COM 2\nPPI lots\n";
    assert_int_equal(decode(&s, 0, &im, &d), 0);
    assert_true(im.ppi == 0);
    assert_true(d.warn[0]);
    mnt_image_free(&im);
    s.comment = "just a comment PPI 700\n"; /* not a NISTCOM */
    assert_int_equal(decode(&s, 0, &im, &d), 0);
    assert_true(im.ppi == 0);
    mnt_image_free(&im);
}

/* Every strict prefix of a valid stream is refused (never read past the end). */
static void every_truncation_is_refused(void **state)
{
    (void)state;
    stream_spec s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    mnt_buf b;
    build(&s, &b);
    for (size_t n = 0; n < b.len; n++) {
        uint8_t *copy = malloc(n ? n : 1); /* exact size so ASan sees any over-read */
        memcpy(copy, b.data, n);
        mnt_image im;
        mnt_diag d = {0};
        int rc = mnt_wsq_decode(copy, n, 0, &im, &d);
        if (rc != MNT_ERR_FORMAT || !d.msg[0]) fail_msg("prefix of %zu / %zu bytes: rc %d (%s)", n, b.len, rc, d.msg);
        free(copy);
    }
    mnt_buf_free(&b);
}

static void limits_and_indexes(void **state)
{
    (void)state;
    stream_spec s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    s.width = 20000;
    expect_refusal(&s, 0, MNT_ERR_LIMIT, "exceeds the limit");
    s.width = 65535;
    s.height = 65535;
    expect_refusal(&s, 0, MNT_ERR_LIMIT, "65535x65535");
    s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    expect_refusal(&s, 64 * 63, MNT_ERR_LIMIT, "budget");
    /* every subband coded at 16384 x 16384: far more coefficients than a byte can hold */
    s.width = s.height = 16384;
    s.coded_bands = 60;
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "cannot hold");
    s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    s.width = 0;
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "empty image");
    s.width = 16;
    expect_refusal(&s, 0, MNT_ERR_UNSUPPORTED, "below");

    s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    s.dht_id = 9;
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "Huffman table id 9 out of range");
    s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    s.sob_id = 3;
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "Huffman table 3, which is not defined");
    s.sob_id = 8;
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "uses Huffman table 8");

    s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    s.nlo = 8;
    expect_refusal(&s, 0, MNT_ERR_UNSUPPORTED, "even filter");
    s.nlo = 33;
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "filter lengths");
    s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    s.with_dtt = 0;
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "no transform table");
    s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    s.with_dqt = 0;
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "before the quantisation table");
    s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    s.drt = 1;
    expect_refusal(&s, 0, MNT_ERR_UNSUPPORTED, "restart interval");
}

static void entropy_data_errors(void **state)
{
    (void)state;
    stream_spec s = spec64(FIVE_ONES, sizeof FIVE_ONES);
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "more coefficients than the subbands hold (4)");
    s = spec64(THREE_ONES, sizeof THREE_ONES);
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "hold 3 coefficients, the subbands need 4");
    /* 24 one bits (FF 00 stuffed): no code of the table is that long */
    static const uint8_t ONES[] = {0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00};
    s = spec64(ONES, sizeof ONES);
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "invalid Huffman code");
    /* "110" (8-bit value follows) then the EOI marker: a marker inside a coefficient */
    static const uint8_t CUT[] = {0xDF};
    s = spec64(CUT, sizeof CUT);
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "cuts a coefficient");
    /* FF followed by a non-zero, non-marker byte inside the data ends the block there */
    static const uint8_t FFXX[] = {0xAA, 0xFF, 0x12};
    s = spec64(FFXX, sizeof FFXX);
    expect_refusal(&s, 0, MNT_ERR_FORMAT, "unexpected marker FF12");
}

static void marker_errors(void **state)
{
    (void)state;
    stream_spec s = spec64(FOUR_ONES, sizeof FOUR_ONES);
    mnt_buf b;
    build(&s, &b);
    mnt_image im;
    mnt_diag d = {0};
    b.data[1] = 0xA1;
    assert_int_equal(mnt_wsq_decode(b.data, b.len, 0, &im, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "no SOI"));
    b.data[1] = 0xA0;
    b.data[2] = 0x12; /* the COM marker */
    assert_int_equal(mnt_wsq_decode(b.data, b.len, 0, &im, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "expected a marker at byte 2"));
    b.data[2] = 0xFF;
    b.data[5] = 1; /* COM length 1 */
    assert_int_equal(mnt_wsq_decode(b.data, b.len, 0, &im, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "length"));
    mnt_buf_free(&b);
    /* a second SOF: the stream's own SOF copied after the first */
    build(&s, &b);
    size_t sof = 0;
    for (size_t i = 2; i + 1 < b.len; i++)
        if (b.data[i] == 0xFF && b.data[i + 1] == 0xA2) { sof = i; break; }
    mnt_buf c = {0};
    mnt_buf_put(&c, b.data, sof + 19);
    mnt_buf_put(&c, b.data + sof, b.len - sof);
    assert_int_equal(mnt_wsq_decode(c.data, c.len, 0, &im, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "second frame header"));
    mnt_buf_free(&c);
    /* SOB before SOF */
    mnt_buf_put(&c, b.data, sof);
    mnt_buf_u16(&c, WSQ_SOB);
    mnt_buf_u16(&c, 3);
    mnt_buf_u8(&c, 0);
    mnt_buf_put(&c, b.data + sof, b.len - sof);
    assert_int_equal(mnt_wsq_decode(c.data, c.len, 0, &im, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "before the frame header"));
    mnt_buf_free(&c);
    mnt_buf_free(&b);
}

/* ---- encoder round trip ---- */

static void pattern(mnt_image *im, int w, int h)
{
    assert_int_equal(mnt_image_alloc(im, w, h, 0, NULL), 0);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double r = hypot(x - w / 3.0, y - h / 2.0);
            double v = 128 + 70 * cos(r / 2.5) * exp(-r / 80.0) + 0.3 * (x - w / 2.0);
            im->px[(size_t)y * w + x] = (float)(round(fmin(255, fmax(0, v))) / 255.0);
        }
    im->ppi = 1000;
}

static void round_trip_errors(const mnt_image *a, double bin, size_t *bytes, int *maxd, double *psnr)
{
    mnt_buf b = {0};
    mnt_diag d = {0};
    assert_int_equal(mnt_wsq_encode(a, bin, &b, &d), 0);
    mnt_image o;
    if (mnt_wsq_decode(b.data, b.len, 0, &o, &d)) fail_msg("own stream refused: %s", d.msg);
    assert_int_equal(o.width, a->width);
    assert_int_equal(o.height, a->height);
    assert_true(o.ppi == a->ppi);
    size_t n = (size_t)a->width * (size_t)a->height;
    double se = 0;
    *maxd = 0;
    for (size_t i = 0; i < n; i++) {
        int e = abs((int)lrintf(a->px[i] * 255) - (int)lrintf(o.px[i] * 255));
        if (e > *maxd) *maxd = e;
        se += (double)e * e;
    }
    *psnr = se > 0 ? 10 * log10(255.0 * 255.0 / (se / (double)n)) : 99;
    *bytes = b.len;
    mnt_image_free(&o);
    mnt_buf_free(&b);
}

static void encoder_round_trip(void **state)
{
    (void)state;
    mnt_image a;
    pattern(&a, 181, 150); /* odd width: every odd split of the tree */
    size_t bytes[3];
    int maxd[3];
    double psnr[3];
    const double bins[3] = {4, 1.5, 0.5};
    for (int i = 0; i < 3; i++) {
        round_trip_errors(&a, bins[i], &bytes[i], &maxd[i], &psnr[i]);
        print_message("rate %4.2f: %zu bytes, max |diff| %d, PSNR %.1f dB\n", bins[i], bytes[i], maxd[i], psnr[i]);
    }
    /* subbands of variance under 1.01 are never coded, which bounds the quality of this
     * smooth pattern at high rates */
    assert_true(maxd[0] <= 10 && psnr[0] > 45);
    assert_true(psnr[2] > 35 && psnr[2] <= psnr[0]);
    assert_true(bytes[0] > bytes[1] && bytes[1] > bytes[2]);
    /* flat image, unknown resolution */
    for (size_t i = 0; i < (size_t)a.width * (size_t)a.height; i++) a.px[i] = 77.0f / 255.0f;
    a.ppi = 0;
    round_trip_errors(&a, 0.75, &bytes[0], &maxd[0], &psnr[0]);
    assert_true(maxd[0] == 0);
    mnt_image_free(&a);
    mnt_buf b = {0};
    mnt_diag d = {0};
    pattern(&a, 20, 40);
    assert_int_equal(mnt_wsq_encode(&a, 0.75, &b, &d), MNT_ERR_ARG);
    mnt_image_free(&a);
    pattern(&a, 64, 64);
    assert_int_equal(mnt_wsq_encode(&a, 0, &b, &d), MNT_ERR_ARG);
    mnt_image_free(&a);
    mnt_buf_free(&b);
}

/* ---- conformance against NBIS ---- */

typedef struct {
    char name[128];
    int valid, width, height, ppi;
    long bytes;  /* cwsq's output at the bitrate */
    double rate, psnr; /* NBIS decode against the original */
} manifest_row;

static size_t read_manifest(const char *dir, manifest_row *rows, size_t cap)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/MANIFEST.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[4096];
    size_t n = 0;
    int header = 1;
    while (n < cap && fgets(line, sizeof line, f)) {
        if (header) { header = 0; continue; }
        char *fields[9] = {0};
        char *p = line;
        for (int k = 0; k < 9 && p; k++) {
            fields[k] = p;
            p = strchr(p, '\t');
            if (p) *p++ = 0;
        }
        if (!fields[8]) continue;
        size_t nl = strlen(fields[0]);
        if (nl >= sizeof rows[n].name) continue;
        manifest_row *r = &rows[n++];
        memcpy(r->name, fields[0], nl + 1);
        r->valid = strcmp(fields[1], "yes") == 0;
        r->width = atoi(fields[2]);
        r->height = atoi(fields[3]);
        r->ppi = atoi(fields[4]);
        r->rate = atof(fields[5]);
        r->bytes = atol(fields[6]);
        r->psnr = atof(fields[8]);
    }
    fclose(f);
    return n;
}

/* The reason each invalid file must be refused for. */
static const struct {
    const char *name;
    int code;
    const char *needle;
} INVALID[] = {
    {"invalid_truncated_50pct.wsq", MNT_ERR_FORMAT, "truncated"},
    {"invalid_truncated_header20.wsq", MNT_ERR_FORMAT, "truncated"},
    {"invalid_bad_soi.wsq", MNT_ERR_FORMAT, "no SOI marker"},
    {"invalid_bad_dtt.wsq", MNT_ERR_FORMAT, "expected a marker at byte 126"},
    {"invalid_dims_65535x65535.wsq", MNT_ERR_LIMIT, "65535x65535"},
};

static int conformance(const char *dir)
{
    manifest_row rows[64];
    size_t n = read_manifest(dir, rows, 64);
    if (n == 0) {
        fprintf(stderr, "test_wsq: no %s/MANIFEST.tsv\n", dir);
        return 1;
    }
    int failures = 0, nvalid = 0, ninvalid = 0;
    for (size_t i = 0; i < n; i++) {
        char path[16384], ref[16384];
        snprintf(path, sizeof path, "%s/%s", dir, rows[i].name);
        uint8_t *data;
        size_t len;
        mnt_diag d = {0};
        if (mnt_read_file(path, MNT_MAX_IMAGE_FILE, &data, &len, &d)) {
            printf("FAIL %s: cannot read: %s\n", rows[i].name, d.msg);
            failures++;
            continue;
        }
        mnt_image im;
        int rc = mnt_wsq_decode(data, len, 0, &im, &d);
        free(data);
        if (!rows[i].valid) {
            ninvalid++;
            int known = 0;
            for (size_t k = 0; k < sizeof INVALID / sizeof *INVALID; k++) {
                if (strcmp(INVALID[k].name, rows[i].name) != 0) continue;
                known = 1;
                if (rc != INVALID[k].code || !strstr(d.msg, INVALID[k].needle)) {
                    printf("FAIL %s: expected code %d with '%s', got %d: %s\n", rows[i].name, INVALID[k].code,
                           INVALID[k].needle, rc, d.msg);
                    failures++;
                }
            }
            if (rc == 0 || !d.msg[0] || strncmp(d.msg, "WSQ: ", 5) != 0) {
                printf("FAIL %s: invalid file not refused with a WSQ reason (rc %d: %s)\n", rows[i].name, rc, d.msg);
                failures++;
            } else {
                printf("refused %-34s %s%s\n", rows[i].name, d.msg, known ? "" : " (no expected reason listed)");
            }
            if (!rc) mnt_image_free(&im);
            continue;
        }
        nvalid++;
        if (rc) {
            printf("FAIL %s: refused: %s\n", rows[i].name, d.msg);
            failures++;
            continue;
        }
        snprintf(ref, sizeof ref, "%s/%.*s.nbis.pgm", dir, (int)(strlen(rows[i].name) - 4), rows[i].name);
        mnt_image nbis;
        if (mnt_image_read(ref, 0, &nbis, &d)) {
            printf("FAIL %s: reference %s: %s\n", rows[i].name, ref, d.msg);
            failures++;
            mnt_image_free(&im);
            continue;
        }
        if (im.width != nbis.width || im.height != nbis.height || im.width != rows[i].width ||
            im.height != rows[i].height || im.ppi != rows[i].ppi) {
            printf("FAIL %s: %dx%d ppi %.0f, NBIS %dx%d, manifest %dx%d ppi %d\n", rows[i].name, im.width, im.height,
                   im.ppi, nbis.width, nbis.height, rows[i].width, rows[i].height, rows[i].ppi);
            failures++;
        } else {
            size_t np = (size_t)im.width * (size_t)im.height, ndiff = 0;
            long maxd = 0;
            double sum = 0;
            for (size_t p = 0; p < np; p++) {
                long e = labs(lrintf(im.px[p] * 255.0f) - lrintf(nbis.px[p] * 255.0f));
                if (e > maxd) maxd = e;
                if (e) ndiff++;
                sum += (double)e;
            }
            printf("%s %-30s %4dx%-4d ppi %3.0f  max|diff| %ld  mean|diff| %.6f  pixels differing %zu of %zu\n",
                   maxd <= 1 ? "ok  " : "FAIL", rows[i].name, im.width, im.height, im.ppi, maxd, sum / (double)np,
                   ndiff, np);
            if (maxd > 1) failures++;
        }
        /* our encoder on the same original at cwsq's rate: size and quality as cwsq's */
        snprintf(ref, sizeof ref, "%s/%.*s.orig.png", dir, (int)(strlen(rows[i].name) - 4), rows[i].name);
        mnt_image orig;
        if (mnt_image_read(ref, 0, &orig, &d) == 0) {
            size_t bytes;
            int maxd;
            double psnr;
            round_trip_errors(&orig, rows[i].rate, &bytes, &maxd, &psnr);
            double size_dev = fabs((double)bytes - (double)rows[i].bytes) / (double)rows[i].bytes;
            int ok = size_dev < 0.02 && fabs(psnr - rows[i].psnr) < 0.2;
            printf("%s encoder at %.2f bpp: %zu bytes (cwsq %ld), PSNR %.2f dB (NBIS %.2f), max |diff| %d\n",
                   ok ? "ok  " : "FAIL", rows[i].rate, bytes, rows[i].bytes, psnr, rows[i].psnr, maxd);
            if (!ok) failures++;
            mnt_image_free(&orig);
        }
        mnt_image_free(&nbis);
        mnt_image_free(&im);
    }
    printf("%d valid, %d invalid files; %d failure(s)\n", nvalid, ninvalid, failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "conformance") == 0) {
        const char *shared = tc_shared_dir();
        char dir[4096];
        if (shared) snprintf(dir, sizeof dir, "%s/wsq", shared);
        if (!shared || access(dir, R_OK) != 0) {
            printf("skipped: no shared WSQ data (MNT_SHARED_DATA/wsq)\n");
            return 77;
        }
        return conformance(dir);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_streams_decode),
        cmocka_unit_test(nistcom_ppi),
        cmocka_unit_test(every_truncation_is_refused),
        cmocka_unit_test(limits_and_indexes),
        cmocka_unit_test(entropy_data_errors),
        cmocka_unit_test(marker_errors),
        cmocka_unit_test(encoder_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
