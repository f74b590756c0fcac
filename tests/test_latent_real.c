/* Real prints as latent sources (tested on synthetic clean prints, whose ridges and
 * labels are known): the ridge signal has synth's sign, the foreground is the finger,
 * labels are carried over exactly where nothing hides them, hidden input labels stay
 * hidden, and a 569 ppi input comes back at 500 ppi with its labels on the same ridges. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latent.h"
#include "latent_real.h"
#include "test_common.h"

/* A level under which nothing is hidden but the print's edge: the whole finger visible,
 * even contrast, no breaks, smudges, blotches or distortion. */
static void quiet_level(mnt_latent_params *lp)
{
    mnt_latent_degrade_defaults(lp);
    mnt_latent_level_params *g = &lp->level[MNT_LEVEL_GOOD];
    g->visible_area = (mnt_range){1, 1};
    g->contrast = (mnt_range){0.5, 0.5};
    g->unevenness = g->breaks = g->smudges = g->distortion = g->blotches = (mnt_range){0, 0};
}

static void make_synth(uint64_t seed, int w, int h, mnt_synth_print *s)
{
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    p.width = w;
    p.height = h;
    mnt_diag d = {0};
    assert_int_equal(mnt_synth_print_make(&p, seed, s, &d), 0);
}

/* Correlation of the ridge signal of r (margin m) with that of the synthetic print s,
 * over s's foreground. */
static double ridge_correlation(const mnt_synth_print *r, int m, const mnt_synth_print *s)
{
    double sab = 0, saa = 0, sbb = 0;
    int w = s->image.width, h = s->image.height;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!s->foreground[(size_t)y * w + x]) continue;
            double a = s->ridge[(size_t)y * w + x], b = r->ridge[(size_t)(y + m) * r->image.width + x + m];
            sab += a * b, saa += a * a, sbb += b * b;
        }
    return sab / sqrt(saa * sbb + 1e-12);
}

static void ridge_signal_and_foreground(void **state)
{
    (void)state;
    mnt_real_params rp;
    mnt_real_defaults(&rp);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        mnt_synth_print s, r;
        make_synth(seed, 400, 440, &s);
        mnt_diag d = {0};
        assert_int_equal(mnt_real_print_make(&rp, &s.image, NULL, &s.truth, &r, &d), 0);
        int m = rp.margin;
        assert_int_equal(r.image.width, 400 + 2 * m);
        assert_int_equal(r.image.height, 440 + 2 * m);
        assert_true(r.image.ppi == 500);
        double c = ridge_correlation(&r, m, &s);
        print_message("seed %d: ridge correlation %.3f\n", (int)seed, c);
        assert_true(c > 0.8); /* dark ridges +1, as synth's */
        size_t both = 0, na = 0, nb = 0;
        for (int y = 0; y < r.image.height; y++)
            for (int x = 0; x < r.image.width; x++) {
                int sx = x - m, sy = y - m;
                int a = sx >= 0 && sy >= 0 && sx < 400 && sy < 440 && s.foreground[(size_t)sy * 400 + sx];
                int b = r.foreground[(size_t)y * r.image.width + x];
                both += a && b;
                na += a;
                nb += b;
                if (!b) assert_true(r.ridge[(size_t)y * r.image.width + x] == -1); /* bare surface */
            }
        /* the whole finger, and a ring about the contrast window wide around it (where the
         * ridge signal has faded to the bare surface) */
        double recall = (double)both / (double)na, precision = (double)both / (double)nb;
        print_message("seed %d: foreground covers %.3f of the finger, %.3f of it is finger\n", (int)seed, recall, precision);
        assert_true(recall > 0.98);
        assert_true(precision > 0.85);
        mnt_synth_print_free(&r);
        mnt_synth_print_free(&s);
    }
}

static void labels_carried_over_exactly(void **state)
{
    (void)state;
    mnt_real_params rp;
    mnt_real_defaults(&rp);
    mnt_latent_params lp;
    quiet_level(&lp);
    size_t total = 0, visible = 0;
    for (uint64_t seed = 4; seed <= 6; seed++) {
        mnt_synth_print s, r;
        make_synth(seed, 400, 440, &s);
        mnt_view *in = &s.truth.views[0];
        for (size_t i = 0; i < in->n; i += 4) in->m[i].hidden = 1; /* an input's own hidden labels */
        mnt_diag d = {0};
        assert_int_equal(mnt_real_print_make(&rp, &s.image, NULL, &s.truth, &r, &d), 0);
        mnt_latent lat;
        assert_int_equal(mnt_latent_render(&lp, MNT_LEVEL_GOOD, &r, seed, &lat, &d), 0);
        const mnt_view *out = &r.truth.views[0];
        assert_int_equal(out->n, in->n);
        assert_int_equal(lat.image.width, r.truth.width);
        for (size_t i = 0; i < in->n; i++) {
            const mnt_minutia *a = &in->m[i], *b = &out->m[i];
            assert_true(fabs(b->x - (a->x + rp.margin)) < 1e-9 && fabs(b->y - (a->y + rp.margin)) < 1e-9);
            assert_true(b->angle == a->angle);
            assert_int_equal(b->type, a->type);
            if (a->hidden) assert_true(b->hidden); /* hidden stays hidden */
            else {
                total++;
                visible += !b->hidden;
            }
        }
        mnt_latent_free(&lat);
        mnt_synth_print_free(&r);
        mnt_synth_print_free(&s);
    }
    print_message("%zu of %zu visible labels stay visible\n", visible, total);
    assert_true(visible >= 0.95 * (double)total);
}

static void other_resolution_comes_back_at_500(void **state)
{
    (void)state;
    mnt_real_params rp;
    mnt_real_defaults(&rp);
    rp.margin = 0;
    mnt_synth_print s, r;
    make_synth(8, 400, 440, &s);
    const double k = 569.0 / 500.0;
    mnt_image big;
    mnt_diag d = {0};
    assert_int_equal(mnt_image_resample(&s.image, k, &big, &d), 0);
    assert_true(fabs(big.ppi - 569) < 1e-9);
    mnt_template t;
    assert_int_equal(mnt_template_copy_view(&s.truth, 0, &t), 0);
    for (size_t i = 0; i < t.views[0].n; i++) {
        t.views[0].m[i].x = (t.views[0].m[i].x + 0.5) * k - 0.5;
        t.views[0].m[i].y = (t.views[0].m[i].y + 0.5) * k - 0.5;
    }
    assert_int_equal(mnt_real_print_make(&rp, &big, NULL, &t, &r, &d), 0);
    assert_true(abs(r.image.width - 400) <= 1 && abs(r.image.height - 440) <= 1);
    assert_true(r.truth.ppi == 500 && r.truth.width == r.image.width);
    for (size_t i = 0; i < t.views[0].n; i++) {
        assert_true(fabs(r.truth.views[0].m[i].x - s.truth.views[0].m[i].x) < 1e-6); /* the exact inverse */
        assert_true(fabs(r.truth.views[0].m[i].y - s.truth.views[0].m[i].y) < 1e-6);
    }
    double c = ridge_correlation(&r, 0, &s); /* the image written lines up with the labels */
    print_message("ridge correlation after 569 -> 500 ppi: %.3f\n", c);
    assert_true(c > 0.75);
    mnt_template_free(&t);
    mnt_image_free(&big);
    mnt_synth_print_free(&r);
    mnt_synth_print_free(&s);
}

static void mask_and_bad_images(void **state)
{
    (void)state;
    mnt_real_params rp;
    mnt_real_defaults(&rp);
    mnt_synth_print s, r;
    make_synth(9, 300, 320, &s);
    uint8_t *mask = calloc(300 * 320, 1);
    assert_non_null(mask);
    for (int y = 0; y < 320; y++)
        for (int x = 0; x < 150; x++) mask[y * 300 + x] = 1;
    mnt_diag d = {0};
    assert_int_equal(mnt_real_print_make(&rp, &s.image, mask, &s.truth, &r, &d), 0);
    size_t left = 0, right = 0;
    for (int y = 0; y < r.image.height; y++)
        for (int x = 0; x < r.image.width; x++)
            if (r.foreground[(size_t)y * r.image.width + x]) {
                if (x - rp.margin < 150 + 4) left++;
                else right++;
            }
    assert_true(left > 1000);
    assert_int_equal(right, 0);
    mnt_synth_print_free(&r);
    free(mask);
    /* a flat image holds no print */
    for (int i = 0; i < 300 * 320; i++) s.image.px[i] = 0.8f;
    assert_int_equal(mnt_real_print_make(&rp, &s.image, NULL, &s.truth, &r, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "no print"));
    rp.foreground_level = 1.5;
    assert_int_equal(mnt_real_print_make(&rp, &s.image, NULL, &s.truth, &r, &d), MNT_ERR_CONFIG);
    mnt_synth_print_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ridge_signal_and_foreground),
        cmocka_unit_test(labels_carried_over_exactly),
        cmocka_unit_test(other_resolution_comes_back_at_500),
        cmocka_unit_test(mask_and_bad_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
