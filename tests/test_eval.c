/* Assignment against brute force; pairing counts on known cases. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "eval.h"
#include "rng.h"
#include "test_common.h"

static double brute(const double *c, size_t rows, size_t cols, size_t r, unsigned used)
{
    if (r == rows) return 0;
    double best = INFINITY;
    int any = 0;
    for (size_t j = 0; j < cols; j++) {
        if (used & (1u << j)) continue;
        any = 1;
        double v = c[r * cols + j] + brute(c, rows, cols, r + 1, used | (1u << j));
        if (v < best) best = v;
    }
    return any ? best : INFINITY;
}

static void assignment_matches_brute_force(void **state)
{
    (void)state;
    mnt_rng rng;
    mnt_rng_seed(&rng, 7, 1);
    for (int trial = 0; trial < 300; trial++) {
        size_t rows = (size_t)mnt_rng_int(&rng, 1, 6), cols = (size_t)mnt_rng_int(&rng, 1, 6);
        double c[36];
        for (size_t i = 0; i < rows * cols; i++) c[i] = mnt_rng_int(&rng, 0, 9) + (mnt_rng_uniform(&rng) < 0.2 ? 100 : 0);
        long match[6];
        assert_int_equal(mnt_assign(c, rows, cols, match), 0);
        double got = 0;
        unsigned used = 0;
        size_t assigned = 0;
        for (size_t r = 0; r < rows; r++) {
            if (match[r] < 0) continue;
            assert_true(match[r] < (long)cols);
            assert_false(used & (1u << match[r])); /* one-to-one */
            used |= 1u << match[r];
            got += c[r * cols + (size_t)match[r]];
            assigned++;
        }
        assert_int_equal(assigned, rows < cols ? rows : cols);
        double want;
        if (rows <= cols) {
            want = brute(c, rows, cols, 0, 0);
        } else { /* transpose for the brute force */
            double t[36];
            for (size_t i = 0; i < rows; i++)
                for (size_t j = 0; j < cols; j++) t[j * rows + i] = c[i * cols + j];
            want = brute(t, cols, rows, 0, 0);
        }
        if (fabs(got - want) > 1e-9) fail_msg("trial %d: %zux%zu cost %g, brute force %g", trial, rows, cols, got, want);
    }
}

static void make_view(mnt_view *v, size_t n, double shift_x, double rot_deg)
{
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        mnt_minutia m = tc_minutia(50.0 + 40.0 * (double)(i % 5) + shift_x, 50.0 + 40.0 * (double)(i / 5),
                                   mnt_angle_norm(37.0 * (double)i + rot_deg), (mnt_minutia_type)(1 + i % 2), 80);
        assert_int_equal(mnt_view_push(v, &m), 0);
    }
}

static mnt_eval_counts pair(const mnt_view *t, const mnt_view *p, double px, double deg, double thr)
{
    mnt_eval_tolerance tol = {px, deg};
    mnt_eval_counts c;
    assert_int_equal(mnt_eval_pair(t, p, &tol, thr, &c, NULL, NULL), 0);
    return c;
}

static void known_cases(void **state)
{
    (void)state;
    mnt_view t, p;
    make_view(&t, 20, 0, 0);
    /* identical: all true positives */
    make_view(&p, 20, 0, 0);
    mnt_eval_counts c = pair(&t, &p, 15, 30, 0);
    assert_int_equal(c.tp, 20);
    assert_int_equal(c.fp, 0);
    assert_int_equal(c.fn, 0);
    assert_int_equal(c.type_correct, 20);
    /* shifted by 10 px: still within 15 */
    free(p.m);
    make_view(&p, 20, 10, 0);
    c = pair(&t, &p, 15, 30, 0);
    assert_int_equal(c.tp, 20);
    /* shifted by 20 px: none (grid spacing 40, so no accidental pairs) */
    free(p.m);
    make_view(&p, 20, 20, 0);
    c = pair(&t, &p, 15, 30, 0);
    assert_int_equal(c.tp, 0);
    assert_int_equal(c.fp, 20);
    assert_int_equal(c.fn, 20);
    /* rotated 25 degrees: pairs; 35 degrees: none unless location only */
    free(p.m);
    make_view(&p, 20, 0, 25);
    assert_int_equal(pair(&t, &p, 15, 30, 0).tp, 20);
    free(p.m);
    make_view(&p, 20, 0, 35);
    assert_int_equal(pair(&t, &p, 15, 30, 0).tp, 0);
    assert_int_equal(pair(&t, &p, 15, 360, 0).tp, 20);
    /* 180-degree flip */
    free(p.m);
    make_view(&p, 20, 0, 180);
    assert_int_equal(pair(&t, &p, 15, 30, 0).tp, 0);
    assert_int_equal(pair(&t, &p, 15, 360, 0).tp, 20);
    /* missing and extra: drop 5 predictions, add 3 far away */
    free(p.m);
    make_view(&p, 15, 0, 0);
    for (int k = 0; k < 3; k++) {
        mnt_minutia m = tc_minutia(600 + k * 30, 600, 0, MNT_TYPE_ENDING, 10);
        assert_int_equal(mnt_view_push(&p, &m), 0);
    }
    c = pair(&t, &p, 15, 30, 0);
    assert_int_equal(c.tp, 15);
    assert_int_equal(c.fn, 5);
    assert_int_equal(c.fp, 3);
    /* threshold removes the low-quality extras */
    c = pair(&t, &p, 15, 30, 0.5);
    assert_int_equal(c.fp, 0);
    assert_int_equal(c.predicted, 15);
    /* hidden truth: neither required nor penalised */
    t.m[0].hidden = 1; /* matched by a prediction: ignored */
    t.m[19].hidden = 1; /* no prediction: not a miss */
    c = pair(&t, &p, 15, 30, 0);
    assert_int_equal(c.truth, 18);
    assert_int_equal(c.tp, 14);
    assert_int_equal(c.ignored, 1);
    assert_int_equal(c.fn, 4);
    assert_int_equal(c.fp, 3);
    double pr, rc, f1;
    mnt_eval_rates(&c, &pr, &rc, &f1);
    assert_true(fabs(pr - 14.0 / 17) < 1e-12 && fabs(rc - 14.0 / 18) < 1e-12);
    free(t.m);
    free(p.m);
}

static void one_to_one_prefers_more_pairs(void **state)
{
    (void)state;
    /* two truths, two predictions: the greedy nearest pairing would take one pair, the
     * assignment takes two */
    mnt_view t = {0}, p = {0};
    mnt_minutia a = tc_minutia(0, 0, 0, MNT_TYPE_ENDING, 90), b = tc_minutia(20, 0, 0, MNT_TYPE_ENDING, 90);
    mnt_minutia q1 = tc_minutia(10, 0, 0, MNT_TYPE_ENDING, 90), q2 = tc_minutia(-12, 0, 0, MNT_TYPE_ENDING, 90);
    assert_int_equal(mnt_view_push(&t, &a), 0);
    assert_int_equal(mnt_view_push(&t, &b), 0);
    assert_int_equal(mnt_view_push(&p, &q1), 0);
    assert_int_equal(mnt_view_push(&p, &q2), 0);
    assert_int_equal(pair(&t, &p, 15, 30, 0).tp, 2);
    free(t.m);
    free(p.m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(assignment_matches_brute_force),
        cmocka_unit_test(known_cases),
        cmocka_unit_test(one_to_one_prefers_more_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
