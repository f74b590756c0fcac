/* Every allocation of the decoders and encoders failing in turn: each call must
 * return an error (never crash, never leak: the sanitizer run checks leaks), and
 * succeed once allocations stop failing. malloc/calloc/realloc are wrapped at link time. */
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "latent.h"
#include "latent_real.h"
#include "overlay.h"
#include "patches.h"
#include "png_io.h"
#include "template_io.h"
#include "test_common.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static long fail_at = -1; /* index of the allocation to fail, -1 = none */
static long counter;

static int should_fail(void)
{
    return fail_at >= 0 && counter++ == fail_at;
}
void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { return should_fail() ? NULL : __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }

typedef int (*op_fn)(const mnt_buf *in);

/* Runs op with allocation k failing for k = 0, 1, ... until it succeeds. */
static void sweep(op_fn op, const mnt_buf *in, const char *name)
{
    for (long k = 0; k < 100000; k++) {
        fail_at = k;
        counter = 0;
        int rc = op(in);
        int failed_one = counter > k;
        fail_at = -1;
        if (!failed_one) {
            if (rc != 0) fail_msg("%s: fails without an allocation failure (rc %d)", name, rc);
            return;
        }
        if (rc == 0) fail_msg("%s: allocation %ld failed but the call succeeded", name, k);
    }
    fail_msg("%s: did not finish", name);
}

static int decode_any(const mnt_buf *in)
{
    mnt_format f;
    mnt_template t;
    mnt_diag d = {0};
    mnt_read_opts o = {0};
    o.height = 500;
    int rc = mnt_template_detect(in->data, in->len, &o, &f, &d);
    if (!rc) rc = mnt_template_decode(in->data, in->len, f, &o, &t, &d);
    if (!rc) mnt_template_free(&t);
    return rc;
}

static int decode_png(const mnt_buf *in)
{
    mnt_image im;
    mnt_diag d = {0};
    int rc = mnt_png_decode(in->data, in->len, 0, &im, &d);
    if (!rc) mnt_image_free(&im);
    return rc;
}

static void make_inputs(mnt_buf *iso, mnt_buf *json, mnt_buf *xyt, mnt_buf *png)
{
    mnt_template t;
    tc_template(&t, 500, 500, 120);
    mnt_diag d = {0};
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_ISO2005, NULL, iso, &d), 0);
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_JSON, NULL, json, &d), 0);
    assert_int_equal(mnt_template_encode(&t, MNT_FMT_XYT, NULL, xyt, &d), 0);
    mnt_template_free(&t);
    mnt_image im;
    assert_int_equal(mnt_image_alloc(&im, 50, 40, 0, &d), 0);
    assert_int_equal(mnt_png_encode_grey(&im, png, &d), 0);
    mnt_image_free(&im);
}

static void decoders_survive_allocation_failures(void **state)
{
    (void)state;
    mnt_buf iso = {0}, json = {0}, xyt = {0}, png = {0};
    make_inputs(&iso, &json, &xyt, &png);
    sweep(decode_any, &iso, "ISO decode");
    sweep(decode_any, &json, "JSON decode");
    sweep(decode_any, &xyt, "xyt decode");
    sweep(decode_png, &png, "PNG decode");
    mnt_buf_free(&iso);
    mnt_buf_free(&json);
    mnt_buf_free(&xyt);
    mnt_buf_free(&png);
}

static void encoders_survive_allocation_failures(void **state)
{
    (void)state;
    /* the template is built with allocations allowed; failures hit the encoders */
    for (long k = 0; k < 10000; k++) {
        mnt_template t;
        tc_template(&t, 500, 500, 40);
        const mnt_format fmts[] = {MNT_FMT_ISO2005, MNT_FMT_ANSI378, MNT_FMT_ISO2011, MNT_FMT_XYT, MNT_FMT_JSON};
        int any_failed = 0;
        for (size_t i = 0; i < 5; i++) {
            mnt_buf b = {0};
            mnt_diag d = {0};
            fail_at = k;
            counter = 0;
            int rc = mnt_template_encode(&t, fmts[i], NULL, &b, &d);
            int failed_one = counter > k;
            fail_at = -1;
            if (failed_one) {
                any_failed = 1;
                if (rc == 0) fail_msg("format %zu: allocation %ld failed but encode succeeded", i, k);
            } else if (rc) {
                fail_msg("format %zu: encode failed without an allocation failure", i);
            }
            mnt_buf_free(&b);
        }
        mnt_template_free(&t);
        if (!any_failed) return;
    }
}

/* A real print's latent with every degradation on, at 1000 ppi: the source is a small
 * synthetic print made before the failures start. */
static mnt_synth_print degrade_src;

static int degrade_one(const mnt_buf *in)
{
    (void)in;
    mnt_real_params rp;
    mnt_latent_params lp;
    mnt_real_defaults(&rp);
    mnt_latent_degrade_defaults(&lp);
    mnt_latent_level_params *u = &lp.level[MNT_LEVEL_UGLY];
    u->p_fibre = u->p_woven = u->p_grating = u->p_invert = u->p_jpeg = u->p_second_print = 1;
    u->p_lines = u->p_text = u->p_handwriting = u->p_stains = 1;
    u->blotches = (mnt_range){2, 2};
    lp.output_ppi = 1000;
    mnt_synth_print r;
    mnt_latent lat;
    mnt_diag d = {0};
    int rc = mnt_real_print_make(&rp, &degrade_src.image, NULL, &degrade_src.truth, &r, &d);
    if (rc) return rc;
    rc = mnt_latent_render(&lp, MNT_LEVEL_UGLY, &r, 5, &lat, &d);
    if (!rc) mnt_latent_free(&lat);
    mnt_synth_print_free(&r);
    return rc;
}

static void degrade_survives_allocation_failures(void **state)
{
    (void)state;
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    p.width = 160;
    p.height = 176;
    mnt_diag d = {0};
    assert_int_equal(mnt_synth_print_make(&p, 3, &degrade_src, &d), 0);
    sweep(degrade_one, NULL, "degrade");
    mnt_synth_print_free(&degrade_src);
}

/* Detection (segmented and learned region) and patch sampling (the segmented region of
 * a maskless image, unlabelled patches) with a small untrained network on a small
 * latent made before the failures start. */
static mnt_gsae det_net;
static mnt_latent det_lat;

static int detect_one(const mnt_buf *in)
{
    (void)in;
    mnt_diag d = {0};
    int rc = MNT_OK;
    for (int learned = 0; learned < 2 && !rc; learned++) {
        mnt_detector det = {&det_net, 32, 16, 0.3, 4, 8, 64, 0, 0.2, 2.0, 1.0, learned ? 0.5 : 0, 7.0, 0};
        mnt_detection r;
        rc = mnt_detect(&det, &det_lat.image, NULL, &r, &d);
        if (!rc) mnt_detection_free(&r);
    }
    return rc;
}

static int sample_one(const mnt_buf *in)
{
    (void)in;
    mnt_patch_params pp;
    mnt_patch_defaults(&pp);
    pp.ridge_sigma = 2.0;
    mnt_patch_set set;
    mnt_patch_set_init(&set, pp.size, pp.grid);
    set.ridge_sigma = pp.ridge_sigma;
    mnt_rng rng;
    mnt_rng_seed(&rng, 4, 1);
    mnt_diag d = {0};
    uint32_t src;
    mnt_view none = {0};
    int rc = mnt_patch_set_add_source(&set, "a.png", &src);
    if (!rc) rc = mnt_patch_sample(&pp, &det_lat.image, NULL, &none, src, &rng, &set, &d);
    if (!rc) rc = mnt_patch_sample_unlabelled(&pp, &det_lat.image, 20, src, &rng, &set, &d);
    mnt_patch_set_free(&set);
    return rc;
}

static void detection_and_sampling_survive_allocation_failures(void **state)
{
    (void)state;
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    p.width = 160;
    p.height = 176;
    mnt_synth_print s;
    mnt_latent_params lp;
    mnt_latent_defaults(&lp);
    mnt_gsae_config c = {256, 12, 1e-4, 0.1, 0.05, 0.05, 0, 1, 1, 16, 0};
    assert_int_equal(mnt_synth_print_make(&p, 3, &s, NULL), 0);
    assert_int_equal(mnt_latent_render(&lp, MNT_LEVEL_GOOD, &s, 3, &det_lat, NULL), 0);
    assert_int_equal(mnt_gsae_new(&det_net, &c, 5, NULL), 0);
    sweep(detect_one, NULL, "detect");
    sweep(sample_one, NULL, "patch sampling");
    mnt_gsae_free(&det_net);
    mnt_latent_free(&det_lat);
    mnt_synth_print_free(&s);
}

static mnt_image ov_image;
static mnt_view ov_marks, ov_compare;

static int overlay_one(const mnt_buf *in)
{
    (void)in;
    uint8_t roi[64 * 48];
    for (int i = 0; i < 64 * 48; i++) roi[i] = (i % 64) > 8 && (i / 64) > 8;
    mnt_overlay_desc d = {.image = &ov_image, .marks = &ov_marks, .region = roi, .threshold = 0.5, .compare = &ov_compare,
                          .file_name = "a.png", .model = "m"};
    mnt_rgb_image out;
    int rc = mnt_overlay_draw(&d, &out, NULL, NULL);
    if (!rc) mnt_rgb_free(&out);
    return rc;
}

static void overlay_survives_allocation_failures(void **state)
{
    (void)state;
    assert_int_equal(mnt_image_alloc(&ov_image, 64, 48, 0, NULL), 0);
    for (int i = 0; i < 6; i++) {
        mnt_minutia m = tc_minutia(5 + 10 * i, 10 + 5 * i, 30 * i, (mnt_minutia_type)(i % 3), 40 + 10 * i);
        assert_int_equal(mnt_view_push(&ov_marks, &m), 0);
        m.x += 3;
        assert_int_equal(mnt_view_push(&ov_compare, &m), 0);
    }
    sweep(overlay_one, NULL, "overlay");
    mnt_image_free(&ov_image);
    free(ov_marks.m);
    free(ov_compare.m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decoders_survive_allocation_failures),
        cmocka_unit_test(encoders_survive_allocation_failures),
        cmocka_unit_test(degrade_survives_allocation_failures),
        cmocka_unit_test(detection_and_sampling_survive_allocation_failures),
        cmocka_unit_test(overlay_survives_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
