/* Least-squares gradient integration: recovers a known function from its gradient,
 * agrees with plain Gauss-Seidel (the naive reference), holds fixed pixels, and gives
 * the least-squares answer (not a path integral) for a field with curl. */
#include <math.h>
#include <stdlib.h>

#include "poisson.h"
#include "test_common.h"

static double known(double x, double y)
{
    return 40 * sin(x / 17.0) * cos(y / 23.0) + x * x / 300.0 - 0.4 * y;
}

static void fill_gradient(int w, int h, float *gx, float *gy)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const double e = 1e-4;
            gx[y * w + x] = (float)((known(x + e, y) - known(x - e, y)) / (2 * e));
            gy[y * w + x] = (float)((known(x, y + e) - known(x, y - e)) / (2 * e));
        }
}

static double max_error_to_known(const float *p, int w, int h)
{
    double mean = 0;
    for (int i = 0; i < w * h; i++) mean += known(i % w, i / w);
    mean /= w * h;
    double worst = 0;
    for (int i = 0; i < w * h; i++) worst = fmax(worst, fabs(p[i] - (known(i % w, i / w) - mean)));
    return worst;
}

static void recovers_a_known_function(void **state)
{
    (void)state;
    const int w = 203, h = 150; /* odd sizes exercise the uneven coarse grids */
    float *gx = malloc(sizeof(float) * w * h), *gy = malloc(sizeof(float) * w * h), *p = malloc(sizeof(float) * w * h);
    assert_true(gx && gy && p);
    fill_gradient(w, h, gx, gy);
    assert_int_equal(mnt_integrate_gradient(gx, gy, w, h, 3, p), MNT_OK);
    /* the function spans about 180; the trapezoid targets differ from exact
     * differences by the second derivative, well under 0.05 */
    assert_true(max_error_to_known(p, w, h) < 0.05);
    free(gx);
    free(gy);
    free(p);
}

static void multigrid_matches_gauss_seidel(void **state)
{
    (void)state;
    const int w = 40, h = 33;
    float gx[40 * 33], gy[40 * 33], fast[40 * 33], slow[40 * 33];
    /* a field with curl: both must find the same least-squares phase */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            gx[y * w + x] = (float)(0.3 * cos(y / 5.0) + 0.01 * y);
            gy[y * w + x] = (float)(0.2 * sin(x / 7.0) - 0.02 * x);
        }
    assert_int_equal(mnt_integrate_gradient(gx, gy, w, h, 8, fast), MNT_OK);
    assert_int_equal(mnt_integrate_gradient_naive(gx, gy, w, h, 20000, slow), MNT_OK);
    for (int i = 0; i < w * h; i++) assert_true(fabs(fast[i] - slow[i]) < 1e-3);
}

static void fixed_pixels_hold(void **state)
{
    (void)state;
    const int w = 64, h = 48;
    float gx[64 * 48], gy[64 * 48], p[64 * 48];
    uint8_t fixed[64 * 48] = {0};
    fill_gradient(w, h, gx, gy);
    assert_int_equal(mnt_integrate_gradient(gx, gy, w, h, 2, p), MNT_OK);
    /* hold a horizontal line at 5: the rest stays close to the field away from it */
    for (int x = 10; x < 50; x++) {
        fixed[20 * w + x] = 1;
        p[20 * w + x] = 5.0f;
    }
    assert_int_equal(mnt_integrate_gradient_fixed(gx, gy, w, h, fixed, 6, p), MNT_OK);
    for (int x = 10; x < 50; x++) assert_true(p[20 * w + x] == 5.0f);
    /* far from the line the differences still follow the field */
    double dx = p[45 * w + 31] - p[45 * w + 30];
    assert_true(fabs(dx - 0.5 * (gx[45 * w + 30] + gx[45 * w + 31])) < 0.05);
}

static void rejects_empty_grids(void **state)
{
    (void)state;
    float g = 0, p = 0;
    assert_int_equal(mnt_integrate_gradient(&g, &g, 0, 1, 2, &p), MNT_ERR_ARG);
    assert_int_equal(mnt_integrate_gradient_fixed(&g, &g, 1, 1, NULL, 2, &p), MNT_ERR_ARG);
    /* one pixel: nothing to integrate, p = 0 */
    assert_int_equal(mnt_integrate_gradient(&g, &g, 1, 1, 2, &p), MNT_OK);
    assert_true(p == 0.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recovers_a_known_function),
        cmocka_unit_test(multigrid_matches_gauss_seidel),
        cmocka_unit_test(fixed_pixels_hold),
        cmocka_unit_test(rejects_empty_grids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
