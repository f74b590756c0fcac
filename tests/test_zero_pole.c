/* The zero-pole model and the carrier built on it: the ridge direction is the
 * Sherlock-Monro orientation, prongs are level sets of the phase, joined whorl cores,
 * the tented arch's core runs into its delta, and the built carrier follows the model
 * with ridge periods in range and creases where the phase folds. */
#include <math.h>
#include <stdlib.h>

#include "mnt_math.h"
#include "rng.h"
#include "synth_carrier.h"
#include "test_common.h"
#include "zero_pole.h"

static double orientation_diff(double a, double b) /* radians, modulo pi */
{
    double d = fmod(fabs(a - b), MNT_PI);
    return d > MNT_PI / 2 ? MNT_PI - d : d;
}

static mnt_zero_pole loop_model(void)
{
    mnt_zero_pole m = {0};
    m.ncores = m.ndeltas = 1;
    m.core[0] = 300 + 260 * I;
    m.delta[0] = 180 + 330 * I;
    m.rot = cexp(0.1 * I);
    return m;
}

static void direction_is_sherlock_monro(void **state)
{
    (void)state;
    mnt_zero_pole m = {0};
    m.ncores = m.ndeltas = 2;
    m.core[0] = 310 + 250 * I;
    m.core[1] = 330 + 262 * I;
    m.delta[0] = 200 + 400 * I;
    m.delta[1] = 450 + 390 * I;
    m.rot = cexp(-0.3 * I);
    mnt_rng r;
    mnt_rng_seed(&r, 7, 1);
    for (int k = 0; k < 500; k++) {
        double complex z = mnt_rng_range(&r, 0, 640) + I * mnt_rng_range(&r, 0, 640);
        double sm = -carg(m.rot) / 2;
        for (int j = 0; j < 2; j++) sm += 0.5 * (carg(z - m.core[j]) - carg(z - m.delta[j]));
        double ridge = carg(conj(mnt_zp_sqrt_f(&m, z)));
        assert_true(orientation_diff(ridge, sm) < 1e-9);
    }
}

static void prongs_are_level_sets(void **state)
{
    (void)state;
    mnt_zero_pole m = loop_model();
    double complex pts[400];
    for (int which = 0; which < 2; which++) {
        double complex dirs[3], s = which ? m.delta[0] : m.core[0];
        int nd = mnt_zp_prong_directions(&m, which, dirs);
        assert_int_equal(nd, which ? 3 : 1);
        for (int j = 0; j < nd; j++) {
            size_t n = mnt_zp_trace(&m, which, s + 0.5 * dirs[j], dirs[j], 0.5, 0, 0, 640, 640, 1.5, pts, 120);
            assert_true(n > 50);
            /* 25 px along the curve: the phase there equals the singular point's */
            assert_true(fabs(mnt_zp_segment_im(&m, s, pts[50])) < 0.05 * cabs(mnt_zp_sqrt_f(&m, pts[50])) * 25);
            /* a point beside the curve is not on the level set */
            double complex side = pts[50] + 3 * I * (pts[51] - pts[49]) / cabs(pts[51] - pts[49]);
            assert_true(fabs(mnt_zp_segment_im(&m, s, side)) > 0.5 * fabs(mnt_zp_segment_im(&m, s, pts[50])));
        }
    }
}

static void tented_arch_core_runs_into_delta(void **state)
{
    (void)state;
    mnt_zero_pole m = {0};
    double gamma = 0.1;
    m.ncores = m.ndeltas = 1;
    m.core[0] = 320 + 280 * I;
    m.delta[0] = m.core[0] + I * 90 * cexp(I * gamma);
    m.rot = cexp(-2 * I * gamma);
    double complex dirs[3], pts[1000];
    assert_int_equal(mnt_zp_prong_directions(&m, 0, dirs), 1);
    size_t n = mnt_zp_trace(&m, 0, m.core[0] + 0.5 * dirs[0], dirs[0], 0.5, 0, 0, 640, 640, 1.5, pts, 1000);
    assert_true(cabs(pts[n - 1] - m.delta[0]) < 1e-9);
    assert_true(fabs(mnt_zp_segment_im(&m, m.core[0], m.delta[0])) < 1e-6);
}

static void carriers_follow_the_model(void **state)
{
    (void)state;
    for (int cls = MNT_CLASS_TENTED_ARCH; cls < MNT_CLASS_COUNT; cls++)
        for (uint64_t seed = 1; seed <= 3; seed++) {
            mnt_rng r;
            mnt_rng_seed(&r, seed, (uint64_t)cls);
            mnt_carrier c;
            mnt_carrier_init(&c, (mnt_print_class)cls, 480, 480, 10.0, &r);
            assert_int_equal(mnt_carrier_build(&c), MNT_OK);
            int total = 0, along = 0, period_ok = 0, near_crease = 0;
            for (int y = 40; y < 440; y += 7)
                for (int x = 40; x < 440; x += 7) {
                    if (mnt_carrier_singular_distance(&c, x, y) < 2 * c.period) {
                        near_crease++;
                        continue;
                    }
                    double gx = mnt_carrier_phase(&c, x + 0.5, y) - mnt_carrier_phase(&c, x - 0.5, y);
                    double gy = mnt_carrier_phase(&c, x, y + 0.5) - mnt_carrier_phase(&c, x, y - 0.5);
                    double period = 2 * MNT_PI / hypot(gx, gy);
                    /* the model's ridge direction at the warped point; the spacing
                     * correction turns it a little (rings round out most) */
                    double ridge = carg(conj(mnt_zp_sqrt_f(&c.model, mnt_carrier_warp(&c, (double)x + I * (double)y))));
                    total++;
                    along += orientation_diff(atan2(-gx, gy), ridge) < MNT_RAD(25);
                    period_ok += period >= 7.0 && period <= 13.0;
                }
            assert_true(near_crease > 0); /* every class with singular points has creases */
            assert_true(along >= 0.9 * total);
            assert_true(period_ok >= 0.95 * total);
            mnt_carrier_free(&c);
        }
}

static void whorl_cores_are_joined(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        mnt_rng r;
        mnt_rng_seed(&r, seed, 99);
        mnt_carrier c;
        mnt_carrier_init(&c, MNT_CLASS_WHORL, 640, 640, 10.0, &r);
        const mnt_zero_pole *m = &c.model;
        assert_int_equal(m->ncores, 2);
        assert_true(cabs(m->core[1] - m->core[0]) > 1); /* not merged */
        assert_true(fabs(mnt_zp_segment_im(m, m->core[0], m->core[1])) < 1e-3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(direction_is_sherlock_monro),
        cmocka_unit_test(prongs_are_level_sets),
        cmocka_unit_test(tented_arch_core_runs_into_delta),
        cmocka_unit_test(carriers_follow_the_model),
        cmocka_unit_test(whorl_cores_are_joined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
