/* NIST xyt (both frames), the project's JSON and FingerNet .mnt. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_io.h"
#include "test_common.h"

static int decode_text(const char *s, mnt_format f, int height, mnt_template *t, mnt_diag *d)
{
    mnt_read_opts o = {0};
    o.height = height;
    memset(d, 0, sizeof *d);
    return mnt_template_decode((const uint8_t *)s, strlen(s), f, &o, t, d);
}

static void xyt_frames(void **state)
{
    (void)state;
    mnt_template t;
    mnt_diag d;
    /* NIST frame: y' = H - y, angle opposite */
    assert_int_equal(decode_text("100 380 270 55\n", MNT_FMT_XYT, 400, &t, &d), 0);
    assert_true(t.views[0].m[0].x == 100 && t.views[0].m[0].y == 20);
    assert_true(t.views[0].m[0].angle == 90);
    assert_int_equal(t.views[0].m[0].quality, 55);
    mnt_template_free(&t);
    assert_int_equal(decode_text("100 380 -90\n", MNT_FMT_XYT, 400, &t, &d), 0);
    assert_true(t.views[0].m[0].angle == 90);
    mnt_template_free(&t);
    /* M1 frame: as is */
    assert_int_equal(decode_text("100 380 270 55\n", MNT_FMT_XYT_M1, 0, &t, &d), 0);
    assert_true(t.views[0].m[0].y == 380 && t.views[0].m[0].angle == 270);
    mnt_template_free(&t);
    /* NIST frame without height */
    assert_int_equal(decode_text("1 2 3\n", MNT_FMT_XYT, 0, &t, &d), MNT_ERR_ARG);
    assert_non_null(strstr(d.msg, "height"));
}

static void xyt_round_trip(void **state)
{
    (void)state;
    for (int m1 = 0; m1 < 2; m1++) {
        mnt_template t, back;
        tc_template(&t, 300, 400, 50);
        mnt_buf b = {0};
        mnt_diag d = {0};
        mnt_format f = m1 ? MNT_FMT_XYT_M1 : MNT_FMT_XYT;
        assert_int_equal(mnt_template_encode(&t, f, NULL, &b, &d), 0);
        mnt_read_opts o = {0};
        o.height = 400;
        assert_int_equal(mnt_template_decode(b.data, b.len, f, &o, &back, &d), 0);
        assert_int_equal(back.views[0].n, 50);
        for (size_t i = 0; i < 50; i++) {
            assert_true(back.views[0].m[i].x == t.views[0].m[i].x);
            assert_true(back.views[0].m[i].y == t.views[0].m[i].y);
            assert_true(mnt_angle_diff(back.views[0].m[i].angle, t.views[0].m[i].angle) <= 0.5);
            assert_int_equal(back.views[0].m[i].quality, t.views[0].m[i].quality);
        }
        mnt_buf_free(&b);
        mnt_template_free(&t);
        mnt_template_free(&back);
    }
}

static void xyt_refuses_malformed(void **state)
{
    (void)state;
    const char *bad[] = {"1 2\n", "1 2 3 4 5\n", "1 2 3\n1 2 3 4\n", "1 2 x\n", "1 2 400\n", "1 2 3 101\n",
                         "-1 2 3\n", "1 500 3\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mnt_template t;
        mnt_diag d;
        int rc = decode_text(bad[i], MNT_FMT_XYT, 400, &t, &d);
        if (rc != MNT_ERR_FORMAT) fail_msg("accepted xyt '%s'", bad[i]);
    }
}

static void json_round_trip(void **state)
{
    (void)state;
    mnt_template t, back;
    tc_template(&t, 640, 480, 40);
    snprintf(t.image, sizeof t.image, "print \"1\".png");
    snprintf(t.level, sizeof t.level, "bad");
    t.views[0].m[0].x = 12.25;
    t.views[0].m[0].score = 0.8125;
    t.views[0].m[0].has_score = 1;
    t.views[0].m[0].quality = 81;
    t.views[0].m[1].hidden = 1;
    mnt_buf b = {0};
    mnt_diag d = {0};
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_JSON, NULL, &b, &d), 0);
    mnt_format f;
    assert_int_equal(mnt_template_detect(b.data, b.len, NULL, &f, &d), 0);
    assert_int_equal(f, MNT_FMT_JSON);
    assert_int_equal(mnt_template_decode(b.data, b.len, f, NULL, &back, &d), 0);
    assert_string_equal(back.image, t.image);
    assert_string_equal(back.level, "bad");
    assert_int_equal(back.width, 640);
    assert_true(fabs(mnt_template_ppi(&back) - 500) < 1);
    assert_true(back.views[0].m[0].x == 12.25 && back.views[0].m[0].score == 0.8125);
    assert_true(back.views[0].m[1].hidden);
    for (size_t i = 0; i < 40; i++) {
        assert_int_equal(back.views[0].m[i].type, t.views[0].m[i].type);
        assert_int_equal(back.views[0].m[i].quality, t.views[0].m[i].quality);
        assert_true(fabs(back.views[0].m[i].angle - t.views[0].m[i].angle) < 0.01);
    }
    mnt_buf_free(&b);
    mnt_template_free(&t);
    mnt_template_free(&back);
}

static void json_schema_checks(void **state)
{
    (void)state;
    const char *bad[] = {
        "[]",
        "{\"width\": 10}",
        "{\"minutiae\": [{\"x\": 1, \"y\": 2}]}",
        "{\"minutiae\": [{\"x\": 1, \"y\": 2, \"angle\": 360}]}",
        "{\"minutiae\": [{\"x\": 1, \"y\": 2, \"angle\": 10, \"type\": \"loop\"}]}",
        "{\"minutiae\": [{\"x\": 1, \"y\": 2, \"angle\": 10, \"quality\": 101}]}",
        "{\"minutiae\": [{\"x\": 1, \"y\": 2, \"angle\": 10, \"score\": 1.5}]}",
        "{\"width\": 10, \"height\": 10, \"minutiae\": [{\"x\": 11, \"y\": 2, \"angle\": 10}]}",
        "{\"minutiae\": [{\"x\": \"1\", \"y\": 2, \"angle\": 10}]}",
        "{\"minutiae\": [{\"x\": 1, \"y\": 2, \"angle\": 10, \"hidden\": 1}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mnt_template t;
        mnt_diag d;
        if (decode_text(bad[i], MNT_FMT_JSON, 0, &t, &d) != MNT_ERR_FORMAT) fail_msg("accepted %s", bad[i]);
        assert_true(d.msg[0]);
    }
    /* score without quality gives quality = round(100 score); unknown keys ignored */
    mnt_template t;
    mnt_diag d;
    assert_int_equal(decode_text("{\"extra\": {\"a\": [1]}, \"minutiae\": [{\"x\": 1, \"y\": 2, \"angle\": 10, \"score\": 0.456}]}",
                                 MNT_FMT_JSON, 0, &t, &d), 0);
    assert_int_equal(t.views[0].m[0].quality, 46);
    mnt_template_free(&t);
}

static void fingernet_reader(void **state)
{
    (void)state;
    const char *s = "img001.bmp\n2 640 480\n100 200 1.5707963 0.9\n10.5 20 -3.1415926\n";
    mnt_format f;
    mnt_diag d = {0};
    assert_int_equal(mnt_template_detect((const uint8_t *)s, strlen(s), NULL, &f, &d), 0);
    assert_int_equal(f, MNT_FMT_FINGERNET);
    mnt_template t;
    assert_int_equal(decode_text(s, f, 0, &t, &d), 0);
    assert_int_equal(t.views[0].n, 2);
    /* theta = pi/2 points down in y-down coordinates: ISO angle 270 */
    assert_true(fabs(t.views[0].m[0].angle - 270) < 0.01);
    assert_int_equal(t.views[0].m[0].quality, 90);
    assert_true(fabs(t.views[0].m[1].angle - 180) < 0.01);
    assert_string_equal(t.image, "img001.bmp");
    mnt_template_free(&t);
    assert_int_equal(decode_text("x\n3 10 10\n1 1 0\n", MNT_FMT_FINGERNET, 0, &t, &d), MNT_ERR_FORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xyt_frames),
        cmocka_unit_test(xyt_round_trip),
        cmocka_unit_test(xyt_refuses_malformed),
        cmocka_unit_test(json_round_trip),
        cmocka_unit_test(json_schema_checks),
        cmocka_unit_test(fingernet_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
