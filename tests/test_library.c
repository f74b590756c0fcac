/* libminutiae through its public header and the shared library: versions, errors and
 * messages, settings, extraction (stride, 1000 ppi, mirror), every template format,
 * and two contexts in two threads. The minutiae equal what extract_image (the
 * `minutiae extract` path) finds in the same pixels. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minutiae.h"
#include "test_common.h"

#include "extract_job.h"
#include "image_io.h"

#ifndef MNT_SAMPLES_DIR
#error "MNT_SAMPLES_DIR must name samples/"
#endif
#ifndef MNT_DEFAULT_MODEL
#error "MNT_DEFAULT_MODEL must name models/default.mnm"
#endif

static uint8_t *px; /* the sample latent, 8-bit */
static int W, H;
static char pgm_path[64];

/* Writes w x h 8-bit pixels as a binary PGM. */
static int write_pgm(const char *path, const uint8_t *p, int w, int h)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fprintf(f, "P5\n%d %d\n255\n", w, h);
    size_t n = (size_t)w * h;
    int rc = fwrite(p, 1, n, f) != n;
    return fclose(f) || rc ? -1 : 0;
}

static int setup(void **state)
{
    (void)state;
    mnt_image im;
    mnt_diag d = {0};
    if (mnt_image_read(MNT_SAMPLES_DIR "/latents/latent_000001.png", (size_t)1 << 24, &im, &d)) return -1;
    W = im.width;
    H = im.height;
    px = malloc((size_t)W * H);
    for (size_t i = 0; i < (size_t)W * H; i++) px[i] = (uint8_t)lrintf(im.px[i] * 255.0f);
    mnt_image_free(&im);
    snprintf(pgm_path, sizeof pgm_path, "/tmp/test_library.%d.pgm", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(pgm_path);
    free(px);
    return 0;
}

static minutiae_ctx *ctx_default(void)
{
    int err = 1;
    minutiae_ctx *c = minutiae_new_default(&err);
    if (!c) fail_msg("minutiae_new_default: %s", minutiae_last_error(NULL));
    assert_int_equal(err, MINUTIAE_OK);
    return c;
}

static minutiae_result *extract_ok(minutiae_ctx *c, const uint8_t *p, int w, int h, int stride, double ppi)
{
    minutiae_result *r = NULL;
    int rc = minutiae_extract(c, p, w, h, stride, ppi, &r);
    if (rc) fail_msg("minutiae_extract: %s", minutiae_last_error(c));
    assert_non_null(r);
    return r;
}

static void test_version(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", MINUTIAE_VERSION_MAJOR, MINUTIAE_VERSION_MINOR, MINUTIAE_VERSION_PATCH);
    assert_string_equal(minutiae_version(), want);
    assert_true(MINUTIAE_VERSION_NUMBER >= 100);
}

static void test_errors(void **state)
{
    (void)state;
    for (int code = 0; code >= MINUTIAE_ERR_INTERRUPTED; code--) assert_true(strlen(minutiae_strerror(code)) > 0);
    assert_string_not_equal(minutiae_strerror(MINUTIAE_ERR_ARG), minutiae_strerror(MINUTIAE_ERR_FORMAT));
    int err = 0;
    assert_null(minutiae_new_from_file("/nonexistent/model.mnm", &err));
    assert_int_equal(err, MINUTIAE_ERR_NOTFOUND);
    assert_non_null(strstr(minutiae_last_error(NULL), "/nonexistent/model.mnm"));
    static const char junk[] = "not a model at all";
    assert_null(minutiae_new_from_memory(junk, sizeof junk, &err));
    assert_int_equal(err, MINUTIAE_ERR_FORMAT);
    assert_true(strlen(minutiae_last_error(NULL)) > 0);
    assert_null(minutiae_new_from_memory(NULL, 0, NULL));
    assert_null(minutiae_new_from_file(NULL, &err));
    assert_int_equal(err, MINUTIAE_ERR_ARG);
    minutiae_free(NULL);
    minutiae_result_free(NULL);
    assert_int_equal(minutiae_result_count(NULL), 0);

    minutiae_ctx *c = ctx_default();
    assert_string_equal(minutiae_last_error(c), "");
    minutiae_result *r = (minutiae_result *)1;
    assert_int_equal(minutiae_extract(c, NULL, W, H, W, 500, &r), MINUTIAE_ERR_ARG);
    assert_null(r);
    assert_true(strlen(minutiae_last_error(c)) > 0);
    assert_int_equal(minutiae_extract(c, px, W, H, W - 1, 500, &r), MINUTIAE_ERR_ARG);
    assert_int_equal(minutiae_extract(c, px, 0, H, W, 500, &r), MINUTIAE_ERR_ARG);
    assert_int_equal(minutiae_extract(c, px, W, H, W, 300, &r), MINUTIAE_ERR_UNSUPPORTED);
    assert_non_null(strstr(minutiae_last_error(c), "300 ppi"));
    assert_int_equal(minutiae_extract(c, px, 40, 40, W, 500, &r), MINUTIAE_ERR_FORMAT);
    assert_non_null(strstr(minutiae_last_error(c), "too small"));
    assert_int_equal(minutiae_extract(NULL, px, W, H, W, 500, &r), MINUTIAE_ERR_ARG);
    assert_int_equal(minutiae_set(c, MINUTIAE_SET_MAX_PIXELS, 1e5), MINUTIAE_OK);
    assert_int_equal(minutiae_extract(c, px, W, H, W, 500, &r), MINUTIAE_ERR_LIMIT);
    assert_null(r);
    minutiae_free(c);
}

static void test_settings(void **state)
{
    (void)state;
    minutiae_ctx *c = ctx_default();
    double thr = minutiae_get_threshold(c), v = -5;
    assert_true(thr > 0 && thr < 1);
    assert_non_null(strstr(minutiae_model_card(c), "detection"));
    assert_int_equal(minutiae_set_threshold(c, 1.5), MINUTIAE_ERR_CONFIG);
    assert_non_null(strstr(minutiae_last_error(c), "threshold"));
    assert_true(minutiae_get_threshold(c) == thr);
    assert_int_equal(minutiae_set(c, MINUTIAE_SET_NMS_RADIUS, 0), MINUTIAE_ERR_CONFIG);
    assert_int_equal(minutiae_set(c, MINUTIAE_SET_MIRROR, 0.5), MINUTIAE_ERR_CONFIG);
    assert_int_equal(minutiae_set(c, (minutiae_setting)99, 1), MINUTIAE_ERR_ARG);
    assert_int_equal(minutiae_get(c, (minutiae_setting)99, &v), MINUTIAE_ERR_ARG);
    assert_int_equal(minutiae_set_threshold(c, 0.25), MINUTIAE_OK);
    assert_int_equal(minutiae_get(c, MINUTIAE_SET_THRESHOLD, &v), MINUTIAE_OK);
    assert_true(v == 0.25);
    assert_int_equal(minutiae_set(c, MINUTIAE_SET_QUALITY_WEIGHT, 0.5), MINUTIAE_OK);
    assert_int_equal(minutiae_get(c, MINUTIAE_SET_QUALITY_WEIGHT, &v), MINUTIAE_OK);
    assert_true(v == 0.5);
    assert_int_equal(minutiae_reset_settings(c), MINUTIAE_OK);
    assert_true(minutiae_get_threshold(c) == thr);
    assert_int_equal(minutiae_get(c, MINUTIAE_SET_MAX_PIXELS, &v), MINUTIAE_OK);
    assert_true(v == (double)(40 << 20));
    /* a lower threshold keeps at least as many */
    minutiae_result *a = extract_ok(c, px, W, H, W, 500);
    minutiae_set_threshold(c, thr / 2);
    minutiae_result *b = extract_ok(c, px, W, H, W, 500);
    assert_true(minutiae_result_count(b) > minutiae_result_count(a));
    minutiae_result_free(a);
    minutiae_result_free(b);
    minutiae_free(c);
}

/* The library's minutiae are extract_image's for the same pixels (at ppi). */
static void test_equals_extract(void **state)
{
    (void)state;
    mnt_model model;
    mnt_diag d = {0};
    assert_int_equal(mnt_model_read(MNT_DEFAULT_MODEL, &model, &d), 0);
    minutiae_ctx *c = minutiae_new_from_file(MNT_DEFAULT_MODEL, NULL);
    assert_non_null(c);
    for (int k = 0; k < 2; k++) {
        /* 500 ppi, and the same print at 1000 ppi (each pixel doubled) */
        double ppi = k ? 1000 : 500;
        int w = k ? 2 * W : W, h = k ? 2 * H : H;
        uint8_t *p = px;
        if (k) {
            p = malloc((size_t)w * h);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) p[(size_t)y * w + x] = px[(size_t)(y / 2) * W + x / 2];
        }
        assert_int_equal(write_pgm(pgm_path, p, w, h), 0);
        extract_settings s;
        memset(&s, 0, sizeof s);
        s.model = &model;
        s.threshold = model.threshold;
        s.nms_radius = model.nms_radius;
        s.roi_margin = -1;
        s.quality_weight = model.quality_weight;
        s.direction_weight = model.direction_weight;
        s.region_threshold = model.region_threshold;
        s.max_pixels = (size_t)40 << 20;
        s.ppi = ppi;
        extract_result er;
        mnt_view want = {0};
        extract_image(&s, pgm_path, &er, &want, NULL);
        if (er.status) fail_msg("%s", er.error);
        minutiae_result *r = extract_ok(c, p, w, h, w, ppi);
        if (p != px) free(p);
        assert_int_equal(minutiae_result_count(r), want.n);
        assert_true(want.n >= 10);
        for (size_t i = 0; i < want.n; i++) {
            minutiae_minutia m;
            assert_int_equal(minutiae_result_get(r, i, &m), 0);
            assert_true(m.x == want.m[i].x && m.y == want.m[i].y && m.angle == want.m[i].angle);
            assert_int_equal((int)m.type, (int)want.m[i].type);
            assert_int_equal(m.quality, want.m[i].quality);
            assert_true(m.score == want.m[i].score && m.score >= 0 && m.score <= 1);
            assert_true(m.x >= 0 && m.x <= w - 1 && m.y >= 0 && m.y <= h - 1);
        }
        minutiae_minutia m;
        assert_int_equal(minutiae_result_get(r, want.n, &m), MINUTIAE_ERR_ARG);
        minutiae_result_free(r);
        free(want.m);
    }
    minutiae_free(c);
    mnt_model_free(&model);
}

/* A wider stride and a mirrored buffer (with MIRROR set) find the same minutiae. */
static void test_stride_and_mirror(void **state)
{
    (void)state;
    minutiae_ctx *c = ctx_default();
    minutiae_result *base = extract_ok(c, px, W, H, W, 500);
    size_t n = minutiae_result_count(base);
    int stride = W + 13;
    uint8_t *wide = calloc((size_t)stride * H, 1), *mir = malloc((size_t)W * H);
    for (int y = 0; y < H; y++) {
        memcpy(wide + (size_t)y * stride, px + (size_t)y * W, (size_t)W);
        memset(wide + (size_t)y * stride + W, 0x5a, 13);
        for (int x = 0; x < W; x++) mir[(size_t)y * W + x] = px[(size_t)y * W + W - 1 - x];
    }
    minutiae_result *r = extract_ok(c, wide, W, H, stride, 500);
    assert_int_equal(minutiae_result_count(r), n);
    minutiae_set(c, MINUTIAE_SET_MIRROR, 1);
    minutiae_result *rm = extract_ok(c, mir, W, H, W, 500);
    assert_int_equal(minutiae_result_count(rm), n);
    for (size_t i = 0; i < n; i++) {
        minutiae_minutia a, b, m;
        minutiae_result_get(base, i, &a);
        minutiae_result_get(r, i, &b);
        minutiae_result_get(rm, i, &m);
        assert_true(a.x == b.x && a.y == b.y && a.angle == b.angle);
        assert_true(fabs(m.x - (W - 1 - a.x)) < 1e-9 && m.y == a.y);
        double da = fmod(m.angle - (180.0 - a.angle) + 720.0, 360.0);
        assert_true(da < 1e-6 || da > 360 - 1e-6);
    }
    minutiae_result_free(base);
    minutiae_result_free(r);
    minutiae_result_free(rm);
    free(wide);
    free(mir);
    minutiae_free(c);
}

static void test_encode(void **state)
{
    (void)state;
    minutiae_ctx *c = ctx_default();
    minutiae_result *r = extract_ok(c, px, W, H, W, 500);
    size_t n = minutiae_result_count(r);
    static const minutiae_format F[] = {MINUTIAE_FORMAT_ISO2005, MINUTIAE_FORMAT_ISO2011, MINUTIAE_FORMAT_ANSI378,
                                        MINUTIAE_FORMAT_XYT, MINUTIAE_FORMAT_XYT_M1, MINUTIAE_FORMAT_JSON};
    for (size_t k = 0; k < sizeof F / sizeof *F; k++) {
        uint8_t *buf = NULL;
        size_t len = 0;
        assert_int_equal(minutiae_encode(r, F[k], 0, 0, 0, &buf, &len), MINUTIAE_OK);
        assert_non_null(buf);
        assert_true(len > 10);
        if (F[k] == MINUTIAE_FORMAT_ISO2005 || F[k] == MINUTIAE_FORMAT_ANSI378 || F[k] == MINUTIAE_FORMAT_ISO2011) {
            assert_memory_equal(buf, "FMR\0", 4);
            uint32_t total = F[k] == MINUTIAE_FORMAT_ANSI378 ? (uint32_t)buf[8] << 8 | buf[9]
                                                            : (uint32_t)buf[8] << 24 | (uint32_t)buf[9] << 16 | (uint32_t)buf[10] << 8 | buf[11];
            assert_int_equal(total, len);
        }
        if (F[k] == MINUTIAE_FORMAT_JSON) assert_int_equal(buf[0], '{');
        if (F[k] == MINUTIAE_FORMAT_XYT_M1) {
            size_t lines = 0;
            for (size_t i = 0; i < len; i++) lines += buf[i] == '\n';
            assert_int_equal(lines, n);
        }
        minutiae_buffer_free(buf);
    }
    uint8_t *buf = (uint8_t *)1;
    size_t len = 7;
    assert_int_equal(minutiae_encode(r, (minutiae_format)0, 0, 0, 0, &buf, &len), MINUTIAE_ERR_ARG);
    assert_null(buf);
    assert_int_equal(len, 0);
    assert_int_equal(minutiae_encode(NULL, MINUTIAE_FORMAT_JSON, 0, 0, 0, &buf, &len), MINUTIAE_ERR_ARG);
    minutiae_result_free(r);
    /* threshold 1: nothing found, still a valid (empty) template */
    minutiae_set_threshold(c, 1);
    r = extract_ok(c, px, W, H, W, 500);
    assert_int_equal(minutiae_result_count(r), 0);
    assert_int_equal(minutiae_encode(r, MINUTIAE_FORMAT_XYT, 0, 0, 0, &buf, &len), MINUTIAE_OK);
    assert_non_null(buf);
    minutiae_buffer_free(buf);
    assert_int_equal(minutiae_encode(r, MINUTIAE_FORMAT_ISO2005, 800, 750, 1000, &buf, &len), MINUTIAE_OK);
    assert_int_equal(buf[14] << 8 | buf[15], 800); /* width in the ISO header */
    minutiae_buffer_free(buf);
    minutiae_result_free(r);
    minutiae_free(c);
}

typedef struct {
    minutiae_ctx *c;
    size_t n;
    double sum;
} job;

static void *thread_main(void *arg)
{
    job *j = arg;
    for (int k = 0; k < 2; k++) {
        minutiae_result *r = NULL;
        if (minutiae_extract(j->c, px, W, H, W, 500, &r)) return NULL;
        j->n = minutiae_result_count(r);
        j->sum = 0;
        for (size_t i = 0; i < j->n; i++) {
            minutiae_minutia m;
            minutiae_result_get(r, i, &m);
            j->sum += m.x + 3 * m.y + m.angle;
        }
        minutiae_result_free(r);
    }
    return NULL;
}

/* One context per thread: concurrent extractions agree with a sequential one. */
static void test_threads(void **state)
{
    (void)state;
    job want = {ctx_default(), 0, 0}, jobs[2] = {{ctx_default(), 0, 0}, {ctx_default(), 0, 0}};
    thread_main(&want);
    assert_true(want.n > 0);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, thread_main, &jobs[i]), 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(jobs[i].n, want.n);
        assert_true(jobs[i].sum == want.sum);
        minutiae_free(jobs[i].c);
    }
    minutiae_free(want.c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),         cmocka_unit_test(test_errors), cmocka_unit_test(test_settings),
        cmocka_unit_test(test_equals_extract),  cmocka_unit_test(test_stride_and_mirror),
        cmocka_unit_test(test_encode),          cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
