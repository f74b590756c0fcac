/* Synthetic prints: the ground truth is proven by rendering, thinning and finding each
 * true minutia by crossing number; same seed, same print; natural class proportions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "skeleton.h"
#include "synth.h"
#include "test_common.h"

static void crossing_number_confirms_truth(void **state)
{
    (void)state;
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    int total = 0, found = 0;
    for (uint64_t seed = 1; seed <= 16; seed++) {
        mnt_synth_print s;
        mnt_diag d = {0};
        assert_int_equal(mnt_synth_print_make(&p, seed, &s, &d), 0);
        int w = s.image.width, h = s.image.height;
        uint8_t *bin = malloc((size_t)w * h);
        assert_non_null(bin);
        for (int i = 0; i < w * h; i++) bin[i] = s.foreground[i] && s.image.px[i] < 1.0f - 0.5f * (float)p.ridge_contrast;
        assert_int_equal(mnt_thin(bin, w, h), 0);
        mnt_view v = {0};
        assert_int_equal(mnt_crossing_minutiae(bin, w, h, s.foreground, 2, 12, &v), 0);
        for (size_t i = 0; i < s.truth.views[0].n; i++) {
            const mnt_minutia *t = &s.truth.views[0].m[i];
            total++;
            found += tc_crossing_found(&v, t);
        }
        free(v.m);
        free(bin);
        mnt_synth_print_free(&s);
    }
    double share = (double)found / total;
    print_message("crossing number found %d of %d true minutiae (%.1f %%)\n", found, total, 100 * share);
    assert_true(total > 16 * 30);
    assert_true(share >= 0.97);
}

static void same_seed_same_print(void **state)
{
    (void)state;
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    p.width = 256;
    p.height = 320;
    mnt_synth_print a, b, c;
    mnt_diag d = {0};
    assert_int_equal(mnt_synth_print_make(&p, 42, &a, &d), 0);
    assert_int_equal(mnt_synth_print_make(&p, 42, &b, &d), 0);
    assert_int_equal(mnt_synth_print_make(&p, 43, &c, &d), 0);
    assert_memory_equal(a.image.px, b.image.px, 256 * 320 * sizeof(float));
    assert_int_equal(a.truth.views[0].n, b.truth.views[0].n);
    assert_memory_equal(a.truth.views[0].m, b.truth.views[0].m, a.truth.views[0].n * sizeof(mnt_minutia));
    assert_true(memcmp(a.image.px, c.image.px, 256 * 320 * sizeof(float)) != 0);
    mnt_synth_print_free(&a);
    mnt_synth_print_free(&b);
    mnt_synth_print_free(&c);
}

static void minutiae_respect_spacing_and_area(void **state)
{
    (void)state;
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        mnt_synth_print s;
        mnt_diag d = {0};
        assert_int_equal(mnt_synth_print_make(&p, seed, &s, &d), 0);
        const mnt_view *v = &s.truth.views[0];
        assert_true(v->n >= 30); /* a full print carries dozens */
        int close = 0;
        for (size_t i = 0; i < v->n; i++) {
            int x = (int)lround(v->m[i].x), y = (int)lround(v->m[i].y);
            assert_true(s.foreground[(size_t)y * p.width + x]);
            double nearest = 1e9;
            for (size_t j = 0; j < v->n; j++)
                if (j != i) nearest = fmin(nearest, hypot(v->m[i].x - v->m[j].x, v->m[i].y - v->m[j].y));
            if (nearest < 0.4 * p.period_min) fail_msg("seed %d: minutia %zu only %.1f px from another", (int)seed, i, nearest);
            if (nearest < 1.6 * p.period_max) close++;
        }
        assert_true(close >= 2); /* close pairs exist */
        mnt_synth_print_free(&s);
    }
}

/* The picker follows whatever weights it is given (not one hard-coded table), never
 * picks a class of weight 0, and the default weights give the population frequencies of
 * fingerprint classes (loops about 65 %, whorls 25-35 %, arches of both kinds 4-10 %). */
static void class_proportions(void **state)
{
    (void)state;
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    const double w[MNT_CLASS_COUNT] = {1, 0, 3, 4, 12};
    memcpy(p.class_weights, w, sizeof w);
    int counts[MNT_CLASS_COUNT] = {0};
    for (int i = 0; i < 20000; i++) counts[mnt_synth_pick_class(&p, (i + 0.5) / 20000.0)]++;
    for (int c = 0; c < MNT_CLASS_COUNT; c++)
        assert_true(abs(counts[c] - (int)lround(20000 * w[c] / 20.0)) <= 1);
    assert_int_equal(counts[MNT_CLASS_TENTED_ARCH], 0);

    mnt_synth_defaults(&p);
    memset(counts, 0, sizeof counts);
    for (int i = 0; i < 10000; i++) counts[mnt_synth_pick_class(&p, (i + 0.5) / 10000.0)]++;
    int loops = counts[MNT_CLASS_LEFT_LOOP] + counts[MNT_CLASS_RIGHT_LOOP];
    int arches = counts[MNT_CLASS_ARCH] + counts[MNT_CLASS_TENTED_ARCH];
    assert_true(loops >= 6000 && loops <= 7000);
    assert_true(counts[MNT_CLASS_WHORL] >= 2500 && counts[MNT_CLASS_WHORL] <= 3500);
    assert_true(arches >= 400 && arches <= 1000);
    p.width = 50;
    mnt_diag d = {0};
    assert_int_equal(mnt_synth_validate(&p, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "size"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crossing_number_confirms_truth),
        cmocka_unit_test(same_seed_same_print),
        cmocka_unit_test(minutiae_respect_spacing_and_area),
        cmocka_unit_test(class_proportions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
