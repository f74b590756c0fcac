/* One image through extract_image: the input transforms an examiner asks for (mirror,
 * invert, 1000 ppi, a mask) map the minutiae back to the input's own coordinates. Each
 * transformed input is written here from a sample latent, so the expected positions are
 * known from the untransformed run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract_job.h"
#include "image_io.h"
#include "model_file.h"
#include "test_common.h"

#ifndef MNT_DEFAULT_MODEL
#error "MNT_DEFAULT_MODEL must name models/default.mnm"
#endif
#ifndef MNT_SAMPLES_DIR
#error "MNT_SAMPLES_DIR must name samples/"
#endif

static mnt_model model;
static mnt_image src;
static mnt_view base; /* minutiae of the untransformed sample */
static char dir[64];

static extract_settings settings(void)
{
    extract_settings s;
    memset(&s, 0, sizeof s);
    extract_settings_from_model(&s, &model);
    return s;
}

static void run(const extract_settings *s, const char *path, mnt_view *out)
{
    extract_result r;
    memset(out, 0, sizeof *out);
    extract_image(s, path, &r, out, NULL);
    if (r.status) fail_msg("%s", r.error);
}

static int setup(void **state)
{
    (void)state;
    mnt_diag d = {0};
    snprintf(dir, sizeof dir, "/tmp/test_extract_job.XXXXXX");
    if (!mkdtemp(dir) || mnt_model_read(MNT_DEFAULT_MODEL, &model, &d)) return -1;
    if (mnt_image_read(MNT_SAMPLES_DIR "/latents/latent_000001.png", (size_t)1 << 24, &src, &d)) return -1;
    extract_settings s = settings();
    run(&s, MNT_SAMPLES_DIR "/latents/latent_000001.png", &base);
    return base.n >= 10 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return -1;
    free(base.m);
    mnt_image_free(&src);
    mnt_model_free(&model);
    return 0;
}

/* How many of want have a minutia in got within px (after want's x, y are mapped by
 * scale and the optional mirror of width w) and, if deg < 360, that angle. */
static size_t agreeing(const mnt_view *want, const mnt_view *got, double scale, int mirror_w, double px, double deg)
{
    size_t n = 0;
    for (size_t i = 0; i < want->n; i++) {
        double x = (want->m[i].x + 0.5) * scale - 0.5, y = (want->m[i].y + 0.5) * scale - 0.5, a = want->m[i].angle;
        if (mirror_w) {
            x = mirror_w - 1 - x;
            a = mnt_angle_norm(180.0 - a);
        }
        for (size_t j = 0; j < got->n; j++)
            if (hypot(got->m[j].x - x, got->m[j].y - y) <= px && (deg >= 360 || mnt_angle_diff(got->m[j].angle, a) <= deg)) {
                n++;
                break;
            }
    }
    return n;
}

static void write_image(const mnt_image *im, const char *name, char *path, size_t cap)
{
    mnt_diag d = {0};
    snprintf(path, cap, "%s/%s", dir, name);
    assert_int_equal(mnt_image_write(path, im, &d), 0);
}

/* A lift photographed from behind, light on dark: --mirror --invert gives back the
 * minutiae of the mark as it was left, in the file's coordinates. */
static void mirror_invert_map_back(void **state)
{
    (void)state;
    mnt_image t;
    mnt_diag d = {0};
    assert_int_equal(mnt_image_alloc(&t, src.width, src.height, 0, &d), 0);
    t.ppi = src.ppi;
    for (int y = 0; y < src.height; y++)
        for (int x = 0; x < src.width; x++)
            t.px[(size_t)y * t.width + x] = 1.0f - src.px[(size_t)y * src.width + (src.width - 1 - x)];
    char path[128];
    write_image(&t, "mirrored_inverted.png", path, sizeof path);
    mnt_image_free(&t);
    extract_settings s = settings();
    s.mirror = s.invert = 1;
    mnt_view got;
    run(&s, path, &got);
    /* the same minutiae, reflected into the mirrored file's frame */
    size_t same = agreeing(&base, &got, 1.0, src.width, 1.5, 10);
    print_message("mirror+invert: %zu of %zu minutiae at their reflected place (%zu found)\n", same, base.n, got.n);
    assert_true(same * 10 >= base.n * 9);
    assert_true(got.n * 10 <= base.n * 11 + 10);
    /* and plainly not where they were: a mapping that forgot the mirror fails here */
    assert_true(agreeing(&base, &got, 1.0, 0, 1.5, 10) * 2 < base.n);
    free(got.m);
}

/* The same mark scanned at 1000 ppi: the minutiae come back at twice the coordinates. */
static void ppi_1000_maps_back(void **state)
{
    (void)state;
    mnt_image t;
    mnt_diag d = {0};
    assert_int_equal(mnt_image_alloc(&t, src.width * 2, src.height * 2, 0, &d), 0);
    t.ppi = 1000;
    for (int y = 0; y < t.height; y++)
        for (int x = 0; x < t.width; x++) t.px[(size_t)y * t.width + x] = src.px[(size_t)(y / 2) * src.width + x / 2];
    char path[128];
    write_image(&t, "double.png", path, sizeof path);
    mnt_image_free(&t);
    extract_settings s = settings();
    s.ppi = 1000;
    mnt_view got;
    run(&s, path, &got);
    size_t same = agreeing(&base, &got, 2.0, 0, 6, 20);
    print_message("1000 ppi: %zu of %zu minutiae at twice their place (%zu found)\n", same, base.n, got.n);
    assert_true(same * 10 >= base.n * 7);
    for (size_t j = 0; j < got.n; j++) assert_true(got.m[j].x <= 2 * src.width - 1 && got.m[j].y <= 2 * src.height - 1);
    assert_true(agreeing(&base, &got, 1.0, 0, 6, 20) * 3 < base.n); /* not left at 500 ppi places */
    free(got.m);
}

/* The examiner's mask: nothing outside it, the minutiae inside it kept. */
static void mask_limits_the_region(void **state)
{
    (void)state;
    mnt_image m;
    mnt_diag d = {0};
    assert_int_equal(mnt_image_alloc(&m, src.width, src.height, 0, &d), 0);
    for (int y = 0; y < m.height; y++)
        for (int x = 0; x < m.width; x++) m.px[(size_t)y * m.width + x] = x < src.width / 2 ? 1.0f : 0.0f;
    char path[128];
    write_image(&m, "left.mask.png", path, sizeof path);
    mnt_image_free(&m);
    extract_settings s = settings();
    s.mask_file = path;
    mnt_view got;
    run(&s, MNT_SAMPLES_DIR "/latents/latent_000001.png", &got);
    mnt_view inside = {0};
    for (size_t i = 0; i < base.n; i++)
        if (base.m[i].x < src.width / 2 - 16) assert_int_equal(mnt_view_push(&inside, &base.m[i]), 0);
    size_t left = inside.n;
    for (size_t j = 0; j < got.n; j++) assert_true(got.m[j].x < src.width / 2);
    size_t kept = agreeing(&inside, &got, 1.0, 0, 1.5, 10);
    free(inside.m);
    print_message("mask: %zu found inside, %zu of the %zu well inside kept\n", got.n, kept, left);
    assert_true(left >= 3);
    assert_true(kept * 10 >= left * 7);
    assert_true(got.n < base.n);
    free(got.m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mirror_invert_map_back),
        cmocka_unit_test(ppi_1000_maps_back),
        cmocka_unit_test(mask_limits_the_region),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
