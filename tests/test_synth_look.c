/* Look variations of synthetic prints: the truth still holds on the thinned ridges
 * (crossing number) with every variation on; each variation does what it says where it
 * says; creases hide the minutiae they cross; all off leaves the print unchanged. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnt_math.h"
#include "skeleton.h"
#include "synth.h"
#include "test_common.h"

static void params(mnt_synth_params *p, double width, double pores, double dots, double creases)
{
    mnt_synth_defaults(p);
    p->width = 384;
    p->height = 416;
    p->ridge_width_variation = width;
    p->pores = pores;
    p->dots = dots;
    p->creases_min = p->creases_max = creases;
}

static void make(const mnt_synth_params *p, uint64_t seed, mnt_synth_print *s)
{
    mnt_diag d = {0};
    int rc = mnt_synth_print_make(p, seed, s, &d);
    if (rc) fail_msg("print: %s", d.msg);
}

static void truth_holds_with_every_variation(void **state)
{
    (void)state;
    mnt_synth_params p;
    params(&p, 0.3, 12, 0.5, 2);
    int total = 0, found = 0, hidden = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        mnt_synth_print s;
        make(&p, seed, &s);
        int w = s.image.width, h = s.image.height;
        uint8_t *bin = malloc((size_t)w * h);
        assert_non_null(bin);
        for (int i = 0; i < w * h; i++) bin[i] = s.foreground[i] && s.image.px[i] < 1.0f - 0.5f * (float)p.ridge_contrast;
        assert_int_equal(mnt_thin(bin, w, h), 0);
        mnt_view v = {0};
        assert_int_equal(mnt_crossing_minutiae(bin, w, h, s.foreground, 2, 12, &v), 0);
        for (size_t i = 0; i < s.truth.views[0].n; i++) {
            const mnt_minutia *t = &s.truth.views[0].m[i];
            if (t->hidden) {
                hidden++;
                continue;
            }
            total++;
            found += tc_crossing_found(&v, t);
        }
        free(v.m);
        free(bin);
        mnt_synth_print_free(&s);
    }
    double share = (double)found / total;
    print_message("with every variation: %d of %d visible true minutiae found (%.1f %%), %d hidden by creases\n", found,
                  total, 100 * share, hidden);
    assert_true(total > 200);
    assert_true(share >= 0.95);
    assert_true(hidden > 0);
}

/* Each variation alone, against the same print without it: same minutiae, and the
 * signal changed only in its own way. */
static void each_variation_does_its_part(void **state)
{
    (void)state;
    mnt_synth_params p0, p;
    params(&p0, 0, 0, 0, 0);
    mnt_synth_print a, b;
    make(&p0, 7, &a);
    size_t n = (size_t)a.image.width * a.image.height;
    for (int kind = 0; kind < 4; kind++) {
        params(&p, kind == 0 ? 0.4 : 0, kind == 1 ? 20 : 0, kind == 2 ? 1.0 : 0, kind == 3 ? 3 : 0);
        make(&p, 7, &b);
        assert_int_equal(a.truth.views[0].n, b.truth.views[0].n);
        size_t lifted = 0, darkened = 0, hidden = 0, near_truth = 0;
        for (size_t i = 0; i < a.truth.views[0].n; i++) {
            assert_true(a.truth.views[0].m[i].x == b.truth.views[0].m[i].x); /* nothing moves */
            hidden += b.truth.views[0].m[i].hidden != 0;
        }
        for (size_t i = 0; i < n; i++) {
            if (a.ridge[i] > 0.6f && b.ridge[i] < 0.0f) lifted++;
            if (a.ridge[i] < -0.6f && b.ridge[i] > 0.0f) {
                darkened++;
                int x = (int)(i % (size_t)a.image.width), y = (int)(i / (size_t)a.image.width);
                for (size_t k = 0; k < a.truth.views[0].n; k++)
                    near_truth += hypot(a.truth.views[0].m[k].x - x, a.truth.views[0].m[k].y - y) < 1.5 * a.carrier.period - 3;
            }
        }
        print_message("variation %d: %zu ridge pixels lifted, %zu valley pixels darkened, %zu minutiae hidden\n", kind,
                      lifted, darkened, hidden);
        if (kind == 0) assert_true(lifted > 200 && darkened > 200); /* ridges thinner here, thicker there */
        if (kind == 1) assert_true(lifted > 300 && darkened == 0);  /* pores: light spots on ridges only */
        if (kind == 2) { /* dots: small, in valleys, away from minutiae */
            size_t finger = 0;
            for (size_t i = 0; i < n; i++) finger += a.foreground[i];
            double dots = p.dots * (double)finger / 10000.0; /* each at most a disc of radius 2.2 */
            assert_true(darkened > 30 && darkened < dots * MNT_PI * 2.7 * 2.7 && lifted == 0 && near_truth == 0);
        }
        if (kind == 3) assert_true(lifted > 300 && darkened == 0 && hidden > 0);     /* creases cut ridges, hide minutiae */
        if (kind != 3) assert_int_equal(hidden, 0);
        mnt_synth_print_free(&b);
    }
    /* all off: the print as it always was */
    mnt_synth_params pd;
    mnt_synth_defaults(&pd);
    pd.width = 384;
    pd.height = 416;
    make(&pd, 7, &b);
    assert_memory_equal(a.image.px, b.image.px, n * sizeof(float));
    mnt_synth_print_free(&b);
    mnt_synth_print_free(&a);
    params(&p, 0.7, 0, 0, 0);
    mnt_diag d = {0};
    assert_int_equal(mnt_synth_validate(&p, &d), MNT_ERR_CONFIG);
    params(&p, 0, 0, 0, 0);
    p.creases_min = 3;
    p.creases_max = 1;
    assert_int_equal(mnt_synth_validate(&p, &d), MNT_ERR_CONFIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truth_holds_with_every_variation),
        cmocka_unit_test(each_variation_does_its_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
