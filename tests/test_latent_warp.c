/* Elastic distortion: the labels move with the ridges. A synthetic print is distorted
 * and thinned; crossing-number minutiae are found at the moved truth (position, type
 * and direction) as on the undistorted print, and not at the old positions. An affine
 * field checks positions and directions against the exact inverse map. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latent_warp.h"
#include "mnt_math.h"
#include "skeleton.h"
#include "test_common.h"

/* Share of truth minutiae with a crossing-number minutia of the same type within 4 px
 * and 20 degrees on the clean image of s. */
static double share_found(const mnt_synth_print *s, const mnt_view *truth, double contrast)
{
    int w = s->image.width, h = s->image.height;
    uint8_t *bin = malloc((size_t)w * h);
    assert_non_null(bin);
    for (int i = 0; i < w * h; i++) bin[i] = s->foreground[i] && s->image.px[i] < 1.0f - 0.5f * (float)contrast;
    assert_int_equal(mnt_thin(bin, w, h), 0);
    mnt_view v = {0};
    assert_int_equal(mnt_crossing_minutiae(bin, w, h, s->foreground, 2, 12, &v), 0);
    int total = 0, found = 0;
    for (size_t i = 0; i < truth->n; i++) {
        const mnt_minutia *t = &truth->m[i];
        if (t->hidden) continue;
        total++;
        found += tc_crossing_found(&v, t);
    }
    free(v.m);
    free(bin);
    return total ? (double)found / total : 0;
}

static void labels_move_with_ridges(void **state)
{
    (void)state;
    mnt_synth_params p;
    mnt_synth_defaults(&p);
    double before = 0, moved = 0, stale = 0, shift = 0;
    int prints = 6;
    size_t count = 0;
    for (uint64_t seed = 1; seed <= (uint64_t)prints; seed++) {
        mnt_synth_print s;
        mnt_diag d = {0};
        assert_int_equal(mnt_synth_print_make(&p, seed, &s, &d), 0);
        before += share_found(&s, &s.truth.views[0], p.ridge_contrast);
        mnt_template old;
        assert_int_equal(mnt_template_copy_view(&s.truth, 0, &old), 0);
        mnt_warp wp;
        assert_int_equal(mnt_warp_random(&wp, s.image.width, s.image.height, 10.0, seed * 77, &d), 0);
        assert_int_equal(mnt_warp_print(&wp, &s, &d), 0);
        moved += share_found(&s, &s.truth.views[0], p.ridge_contrast);
        stale += share_found(&s, &old.views[0], p.ridge_contrast);
        for (size_t i = 0; i < old.views[0].n; i++, count++)
            shift += hypot(old.views[0].m[i].x - s.truth.views[0].m[i].x, old.views[0].m[i].y - s.truth.views[0].m[i].y);
        mnt_template_free(&old);
        mnt_warp_free(&wp);
        mnt_synth_print_free(&s);
    }
    before /= prints;
    moved /= prints;
    stale /= prints;
    print_message("found %.1f %% undistorted, %.1f %% at the moved labels, %.1f %% at the old ones; mean shift %.1f px\n",
                  100 * before, 100 * moved, 100 * stale, shift / (double)count);
    assert_true(moved >= before - 0.04); /* the labels are where the distorted ridges have them */
    assert_true(stale < moved - 0.3);    /* and not where they were */
    assert_true(shift / (double)count > 3);
}

static void affine_field_is_inverted_exactly(void **state)
{
    (void)state;
    const int w = 200, h = 160;
    mnt_warp wp;
    mnt_diag d = {0};
    assert_int_equal(mnt_warp_alloc(&wp, w, h, &d), 0);
    /* u(p) = A p + c: the image at p shows the source at G p + c with G = I + A */
    const double a11 = 0.12, a12 = -0.2, a21 = 0.15, a22 = -0.08, c1 = 3, c2 = -2;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            wp.ux[(size_t)y * w + x] = (float)(a11 * x + a12 * y + c1);
            wp.uy[(size_t)y * w + x] = (float)(a21 * x + a22 * y + c2);
        }
    for (int k = 0; k < 12; k++) {
        double px = 40 + 9.0 * k, py = 30 + 7.0 * k, angle = 30.0 * k;
        /* the source point of p and a source direction: G (cos, -sin) maps image
         * directions to source ones */
        double qx = px + a11 * px + a12 * py + c1, qy = py + a21 * px + a22 * py + c2;
        double ex = cos(MNT_RAD(angle)), ey = -sin(MNT_RAD(angle));
        double sx = (1 + a11) * ex + a12 * ey, sy = a21 * ex + (1 + a22) * ey;
        double ox, oy, oa;
        mnt_warp_forward(&wp, qx, qy, mnt_angle_norm(MNT_DEG(atan2(-sy, sx))), &ox, &oy, &oa);
        if (fabs(ox - px) > 1e-3 || fabs(oy - py) > 1e-3) fail_msg("point %d lands at (%g, %g), not (%g, %g)", k, ox, oy, px, py);
        if (mnt_angle_diff(oa, angle) > 1e-3) fail_msg("point %d: direction %g, not %g", k, oa, angle);
    }
    /* no displacement: nothing moves */
    memset(wp.ux, 0, sizeof(float) * w * h);
    memset(wp.uy, 0, sizeof(float) * w * h);
    double ox, oy, oa;
    mnt_warp_forward(&wp, 17.25, 33.5, 123.0, &ox, &oy, &oa);
    assert_true(ox == 17.25 && oy == 33.5 && fabs(oa - 123.0) < 1e-9);
    mnt_warp_free(&wp);
}

static void random_field_is_bounded_and_seeded(void **state)
{
    (void)state;
    mnt_warp a, b, c;
    mnt_diag d = {0};
    assert_int_equal(mnt_warp_random(&a, 300, 260, 8.0, 5, &d), 0);
    assert_int_equal(mnt_warp_random(&b, 300, 260, 8.0, 5, &d), 0);
    assert_int_equal(mnt_warp_random(&c, 300, 260, 8.0, 6, &d), 0);
    assert_memory_equal(a.ux, b.ux, sizeof(float) * 300 * 260);
    assert_true(memcmp(a.ux, c.ux, sizeof(float) * 300 * 260) != 0);
    double umax = 0, gmax = 0;
    for (int y = 0; y + 1 < 260; y++)
        for (int x = 0; x + 1 < 300; x++) {
            size_t i = (size_t)y * 300 + x;
            umax = fmax(umax, hypot(a.ux[i], a.uy[i]));
            gmax = fmax(gmax, fmax(fabs(a.ux[i + 1] - a.ux[i]), fabs(a.uy[i + 300] - a.uy[i])));
        }
    assert_true(umax <= 8.0 + 1e-3);
    assert_true(umax >= 2.0);
    assert_true(gmax <= MNT_WARP_MAX_GRADIENT + 1e-4);
    mnt_warp_free(&a);
    mnt_warp_free(&b);
    mnt_warp_free(&c);
    /* a large amplitude is capped by the gradient, which keeps the map invertible */
    assert_int_equal(mnt_warp_random(&a, 300, 260, 40.0, 5, &d), 0);
    gmax = 0;
    for (int y = 0; y + 1 < 260; y++)
        for (int x = 0; x + 1 < 300; x++) {
            size_t i = (size_t)y * 300 + x;
            float g[4] = {a.ux[i + 1] - a.ux[i], a.ux[i + 300] - a.ux[i], a.uy[i + 1] - a.uy[i], a.uy[i + 300] - a.uy[i]};
            for (int k = 0; k < 4; k++) gmax = fmax(gmax, fabs(g[k]));
        }
    assert_true(gmax <= MNT_WARP_MAX_GRADIENT + 1e-4);
    mnt_warp_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_move_with_ridges),
        cmocka_unit_test(affine_field_is_inverted_exactly),
        cmocka_unit_test(random_field_is_bounded_and_seeded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
