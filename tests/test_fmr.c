/* ISO/IEC 19794-2:2005, ANSI INCITS 378-2004 and ISO/IEC 19794-2:2011 records:
 * golden bytes written from the specification, round trips, malformed input. */
#include <stdlib.h>
#include <string.h>

#include "template_io.h"
#include "test_common.h"

static const uint8_t ISO_GOLDEN[] = {
    0x46, 0x4D, 0x52, 0x00, 0x20, 0x32, 0x30, 0x00, 0x00, 0x00, 0x00, 0x2A, /* FMR, " 20", length 42 */
    0x00, 0x00, 0x01, 0x90, 0x01, 0x2C, 0x00, 0xC5, 0x00, 0xC5, 0x01, 0x00, /* 400x300, 197 px/cm, 1 view */
    0x00, 0x00, 0x00, 0x02,                                                 /* finger 0, view 0, q 0, 2 minutiae */
    0x40, 0x64, 0x00, 0x0E, 0x50, 0x5A, /* ending (100,14) 112.5 deg q 90 */
    0x81, 0x2C, 0x00, 0xFA, 0xC0, 0x3C, /* bifurcation (300,250) 270 deg q 60 */
    0x00, 0x00};

static const uint8_t ANSI_GOLDEN[] = {
    0x46, 0x4D, 0x52, 0x00, 0x20, 0x32, 0x30, 0x00, 0x00, 0x2C, /* FMR, " 20", length 44 */
    0x01, 0x00, 0x00, 0x01,                                     /* CBEFF 0100:0001 */
    0x00, 0x00, 0x01, 0x90, 0x01, 0x2C, 0x00, 0xC5, 0x00, 0xC5, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x02,
    0x40, 0x64, 0x00, 0x0E, 0x38, 0x5A, /* 112.5 deg -> 56 (2-degree units) */
    0x81, 0x2C, 0x00, 0xFA, 0x87, 0x3C, /* 270 deg -> 135 */
    0x00, 0x00};

static const uint8_t ISO2011_GOLDEN[] = {
    0x46, 0x4D, 0x52, 0x00, 0x30, 0x33, 0x30, 0x00, 0x00, 0x00, 0x00, 0x3D, 0x00, 0x01, 0x00, /* 61 bytes, 1 rep */
    0x00, 0x00, 0x00, 0x2E,                                           /* representation length 46 */
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,             /* no capture date */
    0x00, 0x00, 0x00, 0x00, 0x00,                                     /* device: tech, vendor, type */
    0x00,                                                             /* no quality blocks */
    0x00, 0x00, 0x00, 0xC5, 0x00, 0xC5, 0x00, 0x01, 0x90, 0x01, 0x2C, /* finger, rep, res, impression, size */
    0x60, 0x02,                                                       /* 6-byte minutiae, ending type 0; 2 */
    0x40, 0x64, 0x00, 0x0E, 0x50, 0x5A, 0x81, 0x2C, 0x00, 0xFA, 0xC0, 0x3C,
    0x00, 0x00};

static void golden_template(mnt_template *t)
{
    assert_int_equal(mnt_template_init(t), 0);
    t->width = 400;
    t->height = 300;
    t->xres = t->yres = 197;
    mnt_minutia a = tc_minutia(100, 14, 112.5, MNT_TYPE_ENDING, 90);
    mnt_minutia b = tc_minutia(300, 250, 270, MNT_TYPE_BIFURCATION, 60);
    assert_int_equal(mnt_view_push(&t->views[0], &a), 0);
    assert_int_equal(mnt_view_push(&t->views[0], &b), 0);
}

static void check_encode(mnt_format fmt, const uint8_t *want, size_t n)
{
    mnt_template t;
    golden_template(&t);
    mnt_buf b = {0};
    mnt_diag d = {0};
    assert_int_equal(mnt_template_encode(&t, fmt, NULL, &b, &d), 0);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.data, want, n);
    mnt_buf_free(&b);
    mnt_template_free(&t);
}

static void encodes_golden_records(void **state)
{
    (void)state;
    check_encode(MNT_FMT_ISO2005, ISO_GOLDEN, sizeof ISO_GOLDEN);
    check_encode(MNT_FMT_ANSI378, ANSI_GOLDEN, sizeof ANSI_GOLDEN);
    check_encode(MNT_FMT_ISO2011, ISO2011_GOLDEN, sizeof ISO2011_GOLDEN);
}

static void check_decode(const uint8_t *data, size_t n, mnt_format want_fmt, double angle_tol)
{
    mnt_format fmt;
    mnt_diag d = {0};
    assert_int_equal(mnt_template_detect(data, n, NULL, &fmt, &d), 0);
    assert_int_equal(fmt, want_fmt);
    mnt_template t;
    assert_int_equal(mnt_template_decode(data, n, fmt, NULL, &t, &d), 0);
    assert_int_equal(t.width, 400);
    assert_int_equal(t.height, 300);
    assert_int_equal(t.nviews, 1);
    assert_int_equal(t.views[0].n, 2);
    const mnt_minutia *m = t.views[0].m;
    assert_true(m[0].x == 100 && m[0].y == 14 && m[0].type == MNT_TYPE_ENDING && m[0].quality == 90);
    assert_true(mnt_angle_diff(m[0].angle, 112.5) <= angle_tol);
    assert_true(m[1].x == 300 && m[1].y == 250 && m[1].type == MNT_TYPE_BIFURCATION && m[1].quality == 60);
    assert_true(mnt_angle_diff(m[1].angle, 270) <= angle_tol);
    mnt_template_free(&t);
}

static void decodes_golden_records(void **state)
{
    (void)state;
    check_decode(ISO_GOLDEN, sizeof ISO_GOLDEN, MNT_FMT_ISO2005, 0);
    check_decode(ANSI_GOLDEN, sizeof ANSI_GOLDEN, MNT_FMT_ANSI378, 0.5);
    check_decode(ISO2011_GOLDEN, sizeof ISO2011_GOLDEN, MNT_FMT_ISO2011, 0);
}

static int decode_as(const uint8_t *data, size_t n, mnt_format fmt, int lenient, mnt_diag *d)
{
    mnt_template t;
    mnt_read_opts o = {0};
    o.lenient = lenient;
    memset(d, 0, sizeof *d);
    int rc = mnt_template_decode(data, n, fmt, &o, &t, d);
    if (!rc) mnt_template_free(&t);
    return rc;
}

static void refuses_every_truncation(void **state)
{
    (void)state;
    struct { const uint8_t *p; size_t n; mnt_format f; } recs[] = {
        {ISO_GOLDEN, sizeof ISO_GOLDEN, MNT_FMT_ISO2005},
        {ANSI_GOLDEN, sizeof ANSI_GOLDEN, MNT_FMT_ANSI378},
        {ISO2011_GOLDEN, sizeof ISO2011_GOLDEN, MNT_FMT_ISO2011}};
    for (size_t r = 0; r < 3; r++)
        for (size_t n = 0; n < recs[r].n; n++) {
            mnt_diag d;
            for (int lenient = 0; lenient < 2; lenient++) {
                int rc = decode_as(recs[r].p, n, recs[r].f, lenient, &d);
                if (rc != MNT_ERR_FORMAT) fail_msg("record %zu truncated to %zu bytes: rc %d", r, n, rc);
                assert_true(d.msg[0] != 0);
            }
        }
}

static void overlong_is_lenient_only(void **state)
{
    (void)state;
    uint8_t buf[128];
    memcpy(buf, ISO_GOLDEN, sizeof ISO_GOLDEN);
    buf[sizeof ISO_GOLDEN] = 0x00;
    mnt_diag d;
    assert_int_equal(decode_as(buf, sizeof ISO_GOLDEN + 1, MNT_FMT_ISO2005, 0, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "record length"));
    assert_int_equal(decode_as(buf, sizeof ISO_GOLDEN + 1, MNT_FMT_ISO2005, 1, &d), 0);
    assert_non_null(strstr(d.warn, "trailing"));
    memcpy(buf, ISO2011_GOLDEN, sizeof ISO2011_GOLDEN);
    buf[sizeof ISO2011_GOLDEN] = 0x55;
    assert_int_equal(decode_as(buf, sizeof ISO2011_GOLDEN + 1, MNT_FMT_ISO2011, 0, &d), MNT_ERR_FORMAT);
    assert_int_equal(decode_as(buf, sizeof ISO2011_GOLDEN + 1, MNT_FMT_ISO2011, 1, &d), 0);
}

typedef struct {
    size_t off;
    uint8_t value;
    const char *needle; /* expected in the message */
} mutation;

static void check_mutations(const uint8_t *golden, size_t n, mnt_format fmt, const mutation *muts, size_t count)
{
    uint8_t buf[128];
    for (size_t i = 0; i < count; i++) {
        memcpy(buf, golden, n);
        buf[muts[i].off] = muts[i].value;
        mnt_diag d;
        int rc = decode_as(buf, n, fmt, 0, &d);
        if (rc != MNT_ERR_FORMAT) fail_msg("mutation at %zu to 0x%02X accepted (rc %d)", muts[i].off, muts[i].value, rc);
        if (!strstr(d.msg, muts[i].needle)) fail_msg("mutation at %zu: message '%s' lacks '%s'", muts[i].off, d.msg, muts[i].needle);
    }
}

static void refuses_out_of_range_and_reserved(void **state)
{
    (void)state;
    const mutation iso[] = {
        {4, '1', "version"},             /* version */
        {11, 0x2B, "length"},            /* length field one too long */
        {12, 0x70, "compliance"},        /* capture equipment bits 14..12 */
        {14, 0x00, "width"},             /* width 0x0090 -> still non-zero; use next */
        {19, 0x10, "resolution"},        /* x resolution 16 px/cm */
        {23, 0x01, "reserved"},          /* reserved header byte */
        {24, 0x0B, "finger position"},   /* finger 11 */
        {25, 0x04, "impression"},        /* impression 4 */
        {26, 101, "quality"},            /* finger quality */
        {28, 0xC0, "type"},              /* minutia type 11 */
        {30, 0x40, "reserved Y"},        /* reserved Y bits */
        {29, 0xFF, "outside"},           /* x = 0x00FF... keep type: 0x40FF = 255 < 400, see below */
        {33, 101, "quality"},            /* minutia quality */
        {40, 0x00, "outside"},           /* second minutia y: 0x00FA -> 0x00FA unchanged; overwritten below */
    };
    /* entries whose single-byte change stays valid are replaced by stronger ones */
    mutation fixed[sizeof iso / sizeof *iso];
    memcpy(fixed, iso, sizeof iso);
    fixed[3] = (mutation){15, 0x00, "zero"};        /* width 0x0100 -> 0x0000? width bytes 14,15 = 01 90 */
    fixed[11] = (mutation){28, 0x7F, "outside"};     /* x = 0x3F64 = 16228 >= 400 */
    fixed[13] = (mutation){36, 0x01, "outside"};     /* y = 0x01FA = 506 >= 300 */
    /* width: set both bytes to zero needs two changes; check via a separate record */
    check_mutations(ISO_GOLDEN, sizeof ISO_GOLDEN, MNT_FMT_ISO2005, fixed, 3);
    check_mutations(ISO_GOLDEN, sizeof ISO_GOLDEN, MNT_FMT_ISO2005, fixed + 4, sizeof fixed / sizeof *fixed - 4);
    uint8_t zero_w[sizeof ISO_GOLDEN];
    memcpy(zero_w, ISO_GOLDEN, sizeof zero_w);
    zero_w[14] = zero_w[15] = 0;
    mnt_diag d;
    assert_int_equal(decode_as(zero_w, sizeof zero_w, MNT_FMT_ISO2005, 0, &d), MNT_ERR_FORMAT);

    const mutation ansi[] = {
        {10, 0x00, "CBEFF"},           /* owner 0x0000 */
        {34, 180, "179"},              /* ANSI angle 180 */
        {9, 0x2D, "length"},
    };
    check_mutations(ANSI_GOLDEN, sizeof ANSI_GOLDEN, MNT_FMT_ANSI378, ansi, sizeof ansi / sizeof *ansi);

    const mutation iso11[] = {
        {14, 0x02, "certification"},   /* flag 2 */
        {20, 0x07, "capture"},         /* year given after... year 0x07FF valid, month absent ok -> set month */
        {28, 21, "technology"},        /* device tech 21 */
        {45, 0x70, "minutia size"},    /* size nibble 7 */
        {45, 0x62, "ending type"},     /* ending type 2 */
        {35, 0x10, "representation number"},
        {53, 0xFE, "quality"},         /* 254 is allowed in 2011 -> use 253 */
    };
    mutation f11[sizeof iso11 / sizeof *iso11];
    memcpy(f11, iso11, sizeof iso11);
    f11[1] = (mutation){21, 0x05, "capture"};      /* month 5 after an absent year */
    f11[6] = (mutation){52, 0xFD, "quality"};      /* minutia quality 253 */
    check_mutations(ISO2011_GOLDEN, sizeof ISO2011_GOLDEN, MNT_FMT_ISO2011, f11, sizeof f11 / sizeof *f11);
    /* 254 (not computed) is valid in 2011 */
    uint8_t ok[sizeof ISO2011_GOLDEN];
    memcpy(ok, ISO2011_GOLDEN, sizeof ok);
    ok[52] = 254;
    assert_int_equal(decode_as(ok, sizeof ok, MNT_FMT_ISO2011, 0, &d), 0);
}

static void round_trips_every_binary_format(void **state)
{
    (void)state;
    const mnt_format fmts[] = {MNT_FMT_ISO2005, MNT_FMT_ANSI378, MNT_FMT_ISO2011};
    for (size_t f = 0; f < 3; f++) {
        mnt_template t, back;
        tc_template(&t, 512, 480, 200);
        t.views[0].m[3].x = 10.4; /* fractional: rounds */
        t.views[0].m[4].y = 20.6;
        mnt_buf b = {0};
        mnt_diag d = {0};
        assert_int_equal(mnt_template_encode(&t, fmts[f], NULL, &b, &d), 0);
        assert_int_equal(mnt_template_decode(b.data, b.len, fmts[f], NULL, &back, &d), 0);
        assert_int_equal(back.views[0].n, t.views[0].n);
        double tol = fmts[f] == MNT_FMT_ANSI378 ? 1.0 : 360.0 / 512;
        for (size_t i = 0; i < t.views[0].n; i++) {
            const mnt_minutia *a = &t.views[0].m[i], *c = &back.views[0].m[i];
            assert_true(c->x == (double)(long)(a->x + 0.5) && c->y == (double)(long)(a->y + 0.5));
            assert_true(mnt_angle_diff(a->angle, c->angle) <= tol);
            assert_int_equal(a->type, c->type);
            assert_int_equal(a->quality, c->quality);
        }
        /* re-encoding what was read gives the same bytes */
        mnt_buf b2 = {0};
        assert_int_equal(mnt_template_encode(&back, fmts[f], NULL, &b2, &d), 0);
        assert_int_equal(b2.len, b.len);
        assert_memory_equal(b2.data, b.data, b.len);
        mnt_buf_free(&b);
        mnt_buf_free(&b2);
        mnt_template_free(&t);
        mnt_template_free(&back);
    }
}

static void keeps_255_best_minutiae(void **state)
{
    (void)state;
    mnt_template t, back;
    tc_template(&t, 512, 512, 300);
    for (size_t i = 0; i < 300; i++) t.views[0].m[i].quality = (int)(i % 100);
    mnt_buf b = {0};
    mnt_diag d = {0};
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_ISO2005, NULL, &b, &d), 0);
    assert_int_equal(mnt_template_decode(b.data, b.len, MNT_FMT_ISO2005, NULL, &back, &d), 0);
    assert_int_equal(back.views[0].n, 255);
    /* 45 dropped: all with quality < 15 (three of each 0..14) */
    for (size_t i = 0; i < back.views[0].n; i++) assert_true(back.views[0].m[i].quality >= 15);
    mnt_buf_free(&b);
    mnt_template_free(&t);
    mnt_template_free(&back);
}

static void writer_refuses_what_would_not_validate(void **state)
{
    (void)state;
    mnt_template t;
    golden_template(&t);
    t.views[0].m[0].x = 400.2; /* outside a 400-wide image */
    mnt_buf b = {0};
    mnt_diag d = {0};
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_ISO2005, NULL, &b, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "outside"));
    t.views[0].m[0].x = 399.4; /* rounds inside */
    mnt_buf_free(&b);
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_ISO2005, NULL, &b, &d), 0);
    mnt_buf_free(&b);
    t.width = 0;
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_ISO2005, NULL, &b, &d), MNT_ERR_ARG);
    mnt_buf_free(&b);
    mnt_template_free(&t);
}

static void ansi_long_length_form(void **state)
{
    (void)state;
    /* 60 views of 255 minutiae exceed 65535 bytes: the 6-byte length form */
    mnt_template t, back;
    tc_template(&t, 512, 512, 255);
    for (int v = 1; v < 60; v++) {
        mnt_view *nv;
        assert_int_equal(mnt_template_add_view(&t, &nv), 0);
        nv->position = v % 10 + 1;
        nv->view = 0;
        for (size_t i = 0; i < t.views[0].n; i++) assert_int_equal(mnt_view_push(nv, &t.views[0].m[i]), 0);
    }
    /* finger positions repeat: number views per finger */
    int counts[11] = {0};
    for (size_t v = 0; v < t.nviews; v++) t.views[v].view = counts[t.views[v].position]++;
    mnt_buf b = {0};
    mnt_diag d = {0};
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_ANSI378, NULL, &b, &d), 0);
    assert_true(b.len > 65535);
    assert_int_equal(b.data[8], 0);
    assert_int_equal(b.data[9], 0);
    mnt_format f;
    assert_int_equal(mnt_template_detect(b.data, b.len, NULL, &f, &d), 0);
    assert_int_equal(f, MNT_FMT_ANSI378);
    assert_int_equal(mnt_template_decode(b.data, b.len, f, NULL, &back, &d), 0);
    assert_int_equal(back.nviews, 60);
    assert_int_equal(back.views[59].n, 255);
    mnt_buf_free(&b);
    mnt_template_free(&t);
    mnt_template_free(&back);
}

static void extension_blocks(void **state)
{
    (void)state;
    /* ISO record with a ridge-count area (length includes its header) */
    uint8_t buf[128];
    size_t n = sizeof ISO_GOLDEN;
    memcpy(buf, ISO_GOLDEN, n);
    const uint8_t area[] = {0x00, 0x01, 0x00, 0x08, 0x01, 0x01, 0x02, 0x05};
    memcpy(buf + n - 2, (uint8_t[]){0x00, sizeof area}, 2);
    memcpy(buf + n, area, sizeof area);
    size_t total = n + sizeof area;
    buf[11] = (uint8_t)total;
    mnt_diag d;
    assert_int_equal(decode_as(buf, total, MNT_FMT_ISO2005, 0, &d), 0);
    /* ridge-count data not a multiple of 3 */
    buf[n + 3] = 0x07;
    buf[n - 1] = 7;
    buf[11] = (uint8_t)(total - 1);
    assert_int_equal(decode_as(buf, total - 1, MNT_FMT_ISO2005, 0, &d), MNT_ERR_FORMAT);
    /* same area with a data-only length: strict refuses, lenient reads with a warning */
    memcpy(buf, ISO_GOLDEN, n);
    const uint8_t vendor[] = {0x02, 0x21, 0x00, 0x02, 0xAA, 0xBB};
    memcpy(buf + n - 2, (uint8_t[]){0x00, sizeof vendor}, 2);
    memcpy(buf + n, vendor, sizeof vendor);
    total = n + sizeof vendor;
    buf[11] = (uint8_t)total;
    assert_int_equal(decode_as(buf, total, MNT_FMT_ISO2005, 0, &d), MNT_ERR_FORMAT);
    assert_int_equal(decode_as(buf, total, MNT_FMT_ISO2005, 1, &d), 0);
    assert_non_null(strstr(d.warn, "data"));
    /* reserved area type 0 */
    buf[n] = 0;
    buf[n + 1] = 0;
    buf[n + 3] = 6;
    assert_int_equal(decode_as(buf, total, MNT_FMT_ISO2005, 0, &d), MNT_ERR_FORMAT);
}

static void detects_versions(void **state)
{
    (void)state;
    uint8_t buf[128];
    memcpy(buf, ISO2011_GOLDEN, sizeof ISO2011_GOLDEN);
    buf[18] = 0x20; /* representation length no longer tiles: looks like ANSI 378-2009 */
    mnt_format f;
    mnt_diag d = {0};
    assert_int_equal(mnt_template_detect(buf, sizeof ISO2011_GOLDEN, NULL, &f, &d), MNT_ERR_UNSUPPORTED);
    assert_non_null(strstr(d.msg, "unsupported version"));
    memcpy(buf + 4, "035", 4);
    assert_int_equal(mnt_template_detect(buf, sizeof ISO2011_GOLDEN, NULL, &f, &d), MNT_ERR_UNSUPPORTED);
    memcpy(buf + 4, "020", 4);
    assert_int_equal(mnt_template_detect(buf, sizeof ISO2011_GOLDEN, NULL, &f, &d), MNT_ERR_FORMAT);
}

/* Issue 10: detection says what is wrong instead of guessing: empty input is called
 * empty (it was "a NIST-frame .xyt needs the image height"), and a ' 20' record whose
 * length field fits neither layout is not called ANSI 378-2004. */
static void detection_says_what_is_wrong(void **state)
{
    (void)state;
    mnt_format f;
    mnt_diag d = {0};
    mnt_read_opts o = {0};
    assert_int_equal(mnt_template_detect((const uint8_t *)"", 0, &o, &f, &d), MNT_ERR_FORMAT);
    assert_string_equal(d.msg, "empty template: the file is empty (0 bytes)");
    assert_int_equal(mnt_template_detect((const uint8_t *)" \n\n", 3, &o, &f, &d), MNT_ERR_FORMAT);
    assert_string_equal(d.msg, "empty template: the file holds only blank space (3 bytes)");
    uint8_t buf[128];
    static const uint8_t lengths[][4] = {{0, 0, 0, 0x10}, {0, 0, 0, 0}, {0x00, 0xFF, 0, 0}, {0, 0, 0x01, 0}};
    for (size_t i = 0; i < sizeof lengths / sizeof *lengths; i++)
        for (int lenient = 0; lenient < 2; lenient++) {
            memcpy(buf, ISO_GOLDEN, sizeof ISO_GOLDEN);
            memcpy(buf + 8, lengths[i], 4);
            o.lenient = lenient;
            memset(&d, 0, sizeof d);
            int rc = mnt_template_detect(buf, sizeof ISO_GOLDEN, &o, &f, &d);
            if (rc != MNT_ERR_FORMAT) fail_msg("length %zu (lenient %d): detected as %s", i, lenient, mnt_format_name(f));
            assert_non_null(strstr(d.msg, "truncated or with a bad record length"));
        }
    /* the good records are still told apart, strictly and with trailing bytes */
    for (int lenient = 0; lenient < 2; lenient++) {
        o.lenient = lenient;
        size_t extra = (size_t)lenient;
        memcpy(buf, ISO_GOLDEN, sizeof ISO_GOLDEN);
        buf[sizeof ISO_GOLDEN] = 0;
        assert_int_equal(mnt_template_detect(buf, sizeof ISO_GOLDEN + extra, &o, &f, &d), 0);
        assert_int_equal(f, MNT_FMT_ISO2005);
        memcpy(buf, ANSI_GOLDEN, sizeof ANSI_GOLDEN);
        buf[sizeof ANSI_GOLDEN] = 0;
        assert_int_equal(mnt_template_detect(buf, sizeof ANSI_GOLDEN + extra, &o, &f, &d), 0);
        assert_int_equal(f, MNT_FMT_ANSI378);
    }
}

/* Issue 10: ISO -> JSON -> ISO keeps the finger quality. */
static void json_keeps_finger_quality(void **state)
{
    (void)state;
    mnt_template t, back;
    mnt_diag d = {0};
    assert_int_equal(mnt_template_decode(ISO_GOLDEN, sizeof ISO_GOLDEN, MNT_FMT_ISO2005, NULL, &t, &d), 0);
    t.views[0].quality = 77;
    mnt_buf iso = {0}, json = {0}, iso2 = {0};
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_ISO2005, NULL, &iso, &d), 0);
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_JSON, NULL, &json, &d), 0);
    assert_int_equal(mnt_template_decode(json.data, json.len, MNT_FMT_JSON, NULL, &back, &d), 0);
    assert_int_equal(back.views[0].quality, 77);
    assert_int_equal(mnt_template_encode(&back, MNT_FMT_ISO2005, NULL, &iso2, &d), 0);
    assert_int_equal(iso.len, iso2.len);
    assert_memory_equal(iso.data, iso2.data, iso.len);
    mnt_template_free(&back);
    const char *bad = "{\"finger_quality\": 101, \"minutiae\": []}";
    assert_int_equal(mnt_template_decode((const uint8_t *)bad, strlen(bad), MNT_FMT_JSON, NULL, &back, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "finger_quality"));
    mnt_buf_free(&iso);
    mnt_buf_free(&json);
    mnt_buf_free(&iso2);
    mnt_template_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodes_golden_records),
        cmocka_unit_test(decodes_golden_records),
        cmocka_unit_test(refuses_every_truncation),
        cmocka_unit_test(overlong_is_lenient_only),
        cmocka_unit_test(refuses_out_of_range_and_reserved),
        cmocka_unit_test(round_trips_every_binary_format),
        cmocka_unit_test(keeps_255_best_minutiae),
        cmocka_unit_test(writer_refuses_what_would_not_validate),
        cmocka_unit_test(ansi_long_length_form),
        cmocka_unit_test(extension_blocks),
        cmocka_unit_test(detects_versions),
        cmocka_unit_test(detection_says_what_is_wrong),
        cmocka_unit_test(json_keeps_finger_quality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
