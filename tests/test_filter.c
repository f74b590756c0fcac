/* Filters: the running-sum box blur against a plain windowed mean (shrinking at the
 * borders) and, float for float, against its first version, and the smoothing helpers keep a constant image constant. */
#include <math.h>
#include <stdlib.h>

#include "filter.h"
#include "rng.h"
#include "test_common.h"

static void box_reference(const float *in, float *out, int w, int h, int r)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            /* separable: horizontal window mean, then vertical window mean of those */
            double acc = 0;
            int cy = 0;
            for (int yy = y - r; yy <= y + r; yy++) {
                if (yy < 0 || yy >= h) continue;
                double row = 0;
                int cx = 0;
                for (int xx = x - r; xx <= x + r; xx++)
                    if (xx >= 0 && xx < w) row += in[yy * w + xx], cx++;
                acc += row / cx;
                cy++;
            }
            out[y * w + x] = (float)(acc / cy);
        }
}

static void box_blur_matches_reference(void **state)
{
    (void)state;
    const int sizes[][2] = {{37, 23}, {5, 40}, {64, 3}, {1, 1}};
    const int radii[] = {1, 3, 7};
    mnt_rng r;
    mnt_rng_seed(&r, 11, 2);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t k = 0; k < sizeof radii / sizeof *radii; k++) {
            int w = sizes[s][0], h = sizes[s][1];
            float *a = malloc(sizeof(float) * w * h), *b = malloc(sizeof(float) * w * h);
            assert_true(a && b);
            for (int i = 0; i < w * h; i++) a[i] = (float)mnt_rng_uniform(&r);
            box_reference(a, b, w, h, radii[k]);
            assert_int_equal(mnt_box_blur(a, w, h, radii[k]), MNT_OK);
            for (int i = 0; i < w * h; i++) assert_true(fabsf(a[i] - b[i]) < 1e-5f);
            free(a);
            free(b);
        }
}

/* the fast box blur (no clamps inside, a ring of rows instead of a copy) gives the
 * very floats of the plain one, whatever the shape and radius */
static void box_blur_equals_plain_version(void **state)
{
    (void)state;
    const int sizes[][2] = {{37, 23}, {5, 40}, {64, 3}, {1, 1}, {2, 9}, {200, 96}, {25, 25}};
    const int radii[] = {1, 2, 3, 7, 12, 24, 40};
    mnt_rng r;
    mnt_rng_seed(&r, 12, 3);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t k = 0; k < sizeof radii / sizeof *radii; k++) {
            int w = sizes[s][0], h = sizes[s][1];
            float *a = malloc(sizeof(float) * w * h), *b = malloc(sizeof(float) * w * h);
            assert_true(a && b);
            for (int i = 0; i < w * h; i++) a[i] = b[i] = (float)(mnt_rng_uniform(&r) * 4 - 1);
            assert_int_equal(mnt_box_blur(a, w, h, radii[k]), MNT_OK);
            assert_int_equal(mnt_box_blur_reference(b, w, h, radii[k]), MNT_OK);
            assert_memory_equal(a, b, sizeof(float) * w * h);
            free(a);
            free(b);
        }
}

static void smoothing_keeps_constants(void **state)
{
    (void)state;
    const int w = 50, h = 41;
    float p[50 * 41], q[50 * 41];
    for (int i = 0; i < w * h; i++) p[i] = q[i] = 0.25f;
    assert_int_equal(mnt_smooth(p, w, h, 3.0), MNT_OK);
    assert_int_equal(mnt_gaussian_blur(q, w, h, 1.5), MNT_OK);
    for (int i = 0; i < w * h; i++) {
        assert_true(fabsf(p[i] - 0.25f) < 1e-5f);
        assert_true(fabsf(q[i] - 0.25f) < 1e-5f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(box_blur_matches_reference),
        cmocka_unit_test(box_blur_equals_plain_version),
        cmocka_unit_test(smoothing_keeps_constants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
