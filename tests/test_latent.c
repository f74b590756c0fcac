/* Latent rendering: the hidden rule (visible area and its margin, local contrast,
 * blotches, hidden input labels), light-on-dark marks, the 1000 ppi output, and one
 * seed giving one latent with every degradation on. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latent.h"
#include "test_common.h"

static void make_print(uint64_t seed, mnt_synth_print *s)
{
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    p.width = 320;
    p.height = 352;
    mnt_diag d = {0};
    assert_int_equal(mnt_synth_print_make(&p, seed, s, &d), 0);
}

static void render(const mnt_latent_params *lp, mnt_latent_level level, uint64_t seed, mnt_synth_print *s,
                   mnt_latent *out)
{
    make_print(seed, s);
    mnt_diag d = {0};
    int rc = mnt_latent_render(lp, level, s, seed * 31, out, &d);
    if (rc) fail_msg("render: %s", d.msg);
}

static size_t hidden_count(const mnt_synth_print *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->truth.views[0].n; i++) k += s->truth.views[0].m[i].hidden != 0;
    return k;
}

static void hidden_rule(void **state)
{
    (void)state;
    mnt_latent_params lp;
    mnt_latent_degrade_defaults(&lp);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        mnt_synth_print s;
        mnt_latent lat;
        render(&lp, MNT_LEVEL_UGLY, seed, &s, &lat);
        int w = lat.image.width, h = lat.image.height, m = lp.border_margin;
        size_t hid = 0, n = s.truth.views[0].n;
        for (size_t i = 0; i < n; i++) {
            const mnt_minutia *t = &s.truth.views[0].m[i];
            int x = (int)lround(t->x), y = (int)lround(t->y), inside = 1;
            for (int dy = -m; dy <= m; dy += m)
                for (int dx = -m; dx <= m; dx += m) {
                    int xx = x + dx, yy = y + dy;
                    inside &= xx >= 0 && yy >= 0 && xx < w && yy < h && lat.visible[(size_t)yy * w + xx];
                }
            if (!inside && !t->hidden) fail_msg("seed %d: minutia %zu outside the visible area is not hidden", (int)seed, i);
            hid += t->hidden != 0;
        }
        assert_true(hid > 0 && hid < n); /* ugly latents hide some, not all */
        mnt_latent_free(&lat);
        mnt_synth_print_free(&s);
    }
    /* below the contrast level everything is hidden */
    lp.level[MNT_LEVEL_GOOD].contrast = (mnt_range){0.05, 0.05};
    lp.level[MNT_LEVEL_GOOD].unevenness = (mnt_range){0, 0};
    mnt_synth_print s;
    mnt_latent lat;
    render(&lp, MNT_LEVEL_GOOD, 5, &s, &lat);
    assert_int_equal(hidden_count(&s), s.truth.views[0].n);
    mnt_latent_free(&lat);
    mnt_synth_print_free(&s);
}

static void blotches_and_hidden_inputs(void **state)
{
    (void)state;
    mnt_latent_params lp;
    mnt_latent_degrade_defaults(&lp);
    mnt_latent_level_params *g = &lp.level[MNT_LEVEL_GOOD];
    g->visible_area = (mnt_range){1, 1};
    g->breaks = g->smudges = g->distortion = g->blotches = (mnt_range){0, 0};
    size_t clear = 0, blotted = 0;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        mnt_synth_print s;
        mnt_latent lat;
        mnt_diag d = {0};
        make_print(seed, &s);
        mnt_view *v = &s.truth.views[0];
        for (size_t i = 0; i < v->n; i += 3) v->m[i].hidden = 1;
        assert_int_equal(mnt_latent_render(&lp, MNT_LEVEL_GOOD, &s, seed, &lat, &d), 0);
        for (size_t i = 0; i < v->n; i += 3) assert_true(v->m[i].hidden); /* stay hidden */
        mnt_latent_free(&lat);
        mnt_synth_print_free(&s);
        for (int k = 0; k < 2; k++) { /* without, then under 40 blotches */
            g->blotches = k ? (mnt_range){40, 40} : (mnt_range){0, 0};
            make_print(seed, &s);
            assert_int_equal(mnt_latent_render(&lp, MNT_LEVEL_GOOD, &s, seed, &lat, &d), 0);
            *(k ? &blotted : &clear) += hidden_count(&s);
            mnt_latent_free(&lat);
            mnt_synth_print_free(&s);
        }
    }
    print_message("hidden: %zu without blotches, %zu under 40 blotches per print\n", clear, blotted);
    assert_true(blotted >= clear + 4);
}

static void light_on_dark(void **state)
{
    (void)state;
    mnt_latent_params lp;
    mnt_latent_degrade_defaults(&lp);
    mnt_latent_level_params *b = &lp.level[MNT_LEVEL_BAD];
    b->p_jpeg = 0;
    mnt_synth_print s1, s2;
    mnt_latent a, inv;
    b->p_invert = 0;
    render(&lp, MNT_LEVEL_BAD, 7, &s1, &a);
    b->p_invert = 1;
    render(&lp, MNT_LEVEL_BAD, 7, &s2, &inv);
    int w = a.image.width, h = a.image.height;
    double ridge = 0, valley = 0;
    size_t nr = 0, nv = 0;
    for (int i = 0; i < w * h; i++) {
        assert_true(fabsf(inv.image.px[i] - (1.0f - a.image.px[i])) < 1e-6f); /* everything else the same */
        if (!inv.visible[i]) continue;
        if (s2.ridge[i] > 0.9f) ridge += inv.image.px[i], nr++;
        if (s2.ridge[i] < -0.9f) valley += inv.image.px[i], nv++;
    }
    assert_memory_equal(a.visible, inv.visible, (size_t)w * h);
    assert_int_equal(s1.truth.views[0].n, s2.truth.views[0].n);
    for (size_t i = 0; i < s1.truth.views[0].n; i++) {
        assert_true(s1.truth.views[0].m[i].x == s2.truth.views[0].m[i].x);
        assert_int_equal(s1.truth.views[0].m[i].hidden, s2.truth.views[0].m[i].hidden);
    }
    assert_true(nr > 100 && nv > 100);
    print_message("inverted: ridges %.3f, valleys %.3f\n", ridge / (double)nr, valley / (double)nv);
    assert_true(ridge / (double)nr > valley / (double)nv + 0.03); /* light ridges */
    mnt_latent_free(&a);
    mnt_latent_free(&inv);
    mnt_synth_print_free(&s1);
    mnt_synth_print_free(&s2);
}

static void output_at_1000_ppi(void **state)
{
    (void)state;
    mnt_latent_params lp;
    mnt_latent_degrade_defaults(&lp);
    mnt_synth_print s5, s10;
    mnt_latent a, b;
    render(&lp, MNT_LEVEL_GOOD, 9, &s5, &a);
    lp.output_ppi = 1000;
    render(&lp, MNT_LEVEL_GOOD, 9, &s10, &b);
    assert_int_equal(b.image.width, 2 * a.image.width);
    assert_int_equal(b.image.height, 2 * a.image.height);
    assert_true(b.image.ppi == 1000 && a.image.ppi == 500);
    assert_int_equal(s10.truth.width, b.image.width);
    assert_true(s10.truth.ppi == 1000);
    assert_int_equal(s10.truth.xres, mnt_ppi_to_ppcm(1000));
    for (size_t i = 0; i < s5.truth.views[0].n; i++) {
        const mnt_minutia *p = &s5.truth.views[0].m[i], *q = &s10.truth.views[0].m[i];
        assert_true(fabs(q->x - ((p->x + 0.5) * 2 - 0.5)) < 1e-9 && fabs(q->y - ((p->y + 0.5) * 2 - 0.5)) < 1e-9);
        assert_true(q->angle == p->angle && q->hidden == p->hidden);
    }
    int w = a.image.width;
    for (int y = 0; y < a.image.height; y++)
        for (int x = 0; x < w; x++)
            assert_int_equal(b.visible[(size_t)(2 * y + 1) * 2 * w + 2 * x], a.visible[(size_t)y * w + x]);
    /* the ridges line up: the 1000 ppi latent averaged over 2x2 is close to the 500 one
     * (noise and JPEG blocks are drawn per output pixel) */
    double diff = 0;
    for (int y = 0; y < a.image.height; y++)
        for (int x = 0; x < w; x++) {
            const float *r0 = b.image.px + (size_t)(2 * y) * 2 * w + 2 * x, *r1 = r0 + 2 * w;
            diff += fabs((r0[0] + r0[1] + r1[0] + r1[1]) / 4.0 - a.image.px[(size_t)y * w + x]);
        }
    diff /= (double)w * a.image.height;
    print_message("mean |1000 ppi binned - 500 ppi| = %.4f\n", diff);
    assert_true(diff < 0.03);
    mnt_latent_free(&a);
    mnt_latent_free(&b);
    mnt_synth_print_free(&s5);
    mnt_synth_print_free(&s10);
}

static void seed_gives_one_latent(void **state)
{
    (void)state;
    mnt_latent_params lp;
    mnt_latent_degrade_defaults(&lp);
    mnt_latent_level_params *u = &lp.level[MNT_LEVEL_UGLY];
    u->p_fibre = u->p_woven = u->p_grating = u->p_invert = u->p_jpeg = 1;
    u->blotches = (mnt_range){3, 3};
    mnt_synth_print s1, s2, s3;
    mnt_latent a, b, c;
    render(&lp, MNT_LEVEL_UGLY, 11, &s1, &a);
    render(&lp, MNT_LEVEL_UGLY, 11, &s2, &b);
    size_t n = (size_t)a.image.width * a.image.height;
    assert_memory_equal(a.image.px, b.image.px, n * sizeof(float));
    assert_memory_equal(a.visible, b.visible, n);
    assert_memory_equal(s1.truth.views[0].m, s2.truth.views[0].m, s1.truth.views[0].n * sizeof(mnt_minutia));
    /* another seed for the same print: another latent */
    make_print(11, &s3);
    mnt_diag d = {0};
    assert_int_equal(mnt_latent_render(&lp, MNT_LEVEL_UGLY, &s3, 12345, &c, &d), 0);
    assert_true(memcmp(a.image.px, c.image.px, n * sizeof(float)) != 0);
    /* the distortion moved the labels */
    double shift = 0;
    mnt_synth_print s0;
    make_print(11, &s0);
    for (size_t i = 0; i < s0.truth.views[0].n; i++)
        shift += hypot(s0.truth.views[0].m[i].x - s1.truth.views[0].m[i].x, s0.truth.views[0].m[i].y - s1.truth.views[0].m[i].y);
    assert_true(shift / (double)s0.truth.views[0].n > 0.5);
    mnt_latent_free(&a);
    mnt_latent_free(&b);
    mnt_latent_free(&c);
    mnt_synth_print_free(&s0);
    mnt_synth_print_free(&s1);
    mnt_synth_print_free(&s2);
    mnt_synth_print_free(&s3);
}

static void settings_are_checked(void **state)
{
    (void)state;
    mnt_latent_params lp;
    mnt_diag d = {0};
    mnt_latent_degrade_defaults(&lp);
    assert_int_equal(mnt_latent_validate(&lp, &d), 0);
    mnt_latent_defaults(&lp);
    assert_int_equal(mnt_latent_validate(&lp, &d), 0);
    for (int l = 0; l < MNT_LEVEL_COUNT; l++) /* synth's defaults: the new degradations off */
        assert_true(lp.level[l].distortion.hi == 0 && lp.level[l].blotches.hi == 0 && lp.level[l].p_invert == 0 &&
                    lp.level[l].p_jpeg == 0 && lp.level[l].p_fibre == 0 && lp.level[l].p_woven == 0 &&
                    lp.level[l].p_grating == 0);
    lp.output_ppi = 700;
    assert_int_equal(mnt_latent_validate(&lp, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "output.ppi"));
    mnt_latent_defaults(&lp);
    lp.level[MNT_LEVEL_BAD].jpeg_quality = (mnt_range){0, 50};
    assert_int_equal(mnt_latent_validate(&lp, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "levels.bad.jpeg_quality"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hidden_rule),
        cmocka_unit_test(blotches_and_hidden_inputs),
        cmocka_unit_test(light_on_dark),
        cmocka_unit_test(output_at_1000_ppi),
        cmocka_unit_test(seed_gives_one_latent),
        cmocka_unit_test(settings_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
