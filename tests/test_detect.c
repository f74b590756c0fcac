/* Detection with the shipped default model on synthetic latents: it finds true
 * minutiae, coarse-to-fine scoring agrees with scoring every cell, the segmentation's
 * period test tells ridges from ruled lines, and a detector that does not match its
 * network is refused. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "eval.h"
#include "latent.h"
#include "model_file.h"
#include "segment.h"
#include "synth.h"
#include "test_common.h"

#ifndef MNT_DEFAULT_MODEL
#error "MNT_DEFAULT_MODEL must name models/default.mnm"
#endif

static mnt_model model;
static mnt_latent lat;
static mnt_synth_print print;

static int setup(void **state)
{
    (void)state;
    mnt_diag d = {0};
    if (mnt_model_read(MNT_DEFAULT_MODEL, &model, &d)) return -1;
    mnt_synth_params sp;
    mnt_synth_defaults(&sp);
    if (mnt_synth_print_make(&sp, 31337, &print, &d)) return -1;
    mnt_latent_params lp;
    mnt_latent_defaults(&lp);
    return mnt_latent_render(&lp, MNT_LEVEL_GOOD, &print, 31337, &lat, &d) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    mnt_latent_free(&lat);
    mnt_synth_print_free(&print);
    mnt_model_free(&model);
    return 0;
}

static mnt_detector detector(double threshold)
{
    mnt_detector det = mnt_model_detector(&model);
    det.threshold = threshold;
    return det;
}

/* true minutiae (visible ones) paired one-to-one with a detection within 15 px and 30
 * degrees (the evaluation's assignment: one detection cannot count for two minutiae) */
static size_t matched(const mnt_view *found, const mnt_view *truth, size_t *visible)
{
    mnt_eval_tolerance tol = {15, 30};
    mnt_eval_counts c;
    assert_int_equal(mnt_eval_pair(truth, found, &tol, 0.0, &c, NULL, NULL), 0);
    *visible = c.truth;
    return c.tp;
}

static void finds_true_minutiae(void **state)
{
    (void)state;
    mnt_detector det = detector(model.threshold);
    mnt_detection r;
    mnt_diag d = {0};
    assert_int_equal(mnt_detect(&det, &lat.image, NULL, &r, &d), 0);
    size_t visible, hits = matched(&r.minutiae, &print.truth.views[0], &visible);
    print_message("good latent: %zu of %zu visible minutiae found, %zu detections\n", hits, visible, r.minutiae.n);
    assert_true(visible > 20);
    assert_true(hits >= visible / 2);         /* recall at least 0.5 */
    assert_true(hits * 2 >= r.minutiae.n);     /* precision about 0.5 or better */
    for (size_t i = 0; i < r.minutiae.n; i++) {
        const mnt_minutia *m = &r.minutiae.m[i];
        assert_true(m->score >= model.threshold && m->score <= 1);
        assert_int_equal(m->quality, (int)lround(100 * m->score));
        assert_true(m->type == MNT_TYPE_ENDING || m->type == MNT_TYPE_BIFURCATION);
    }
    mnt_detection_free(&r);
}

static void coarse_to_fine_agrees_with_every_cell(void **state)
{
    (void)state;
    mnt_detector all = detector(0), fast = detector(model.threshold);
    mnt_detection ra, rf;
    assert_int_equal(mnt_detect(&all, &lat.image, NULL, &ra, NULL), 0);
    assert_int_equal(mnt_detect(&fast, &lat.image, NULL, &rf, NULL), 0);
    assert_true(rf.patches_scored < ra.patches_scored);
    /* the peaks above the threshold of the full map, found again by the fast path
     * (within 2 px: the mirrored view is averaged in only near candidates there, so the
     * centroids of their 3x3 neighbourhoods move a little) */
    size_t above = 0, again = 0;
    for (size_t i = 0; i < ra.minutiae.n; i++) {
        if (ra.minutiae.m[i].score < model.threshold) continue;
        above++;
        for (size_t j = 0; j < rf.minutiae.n; j++)
            if (hypot(rf.minutiae.m[j].x - ra.minutiae.m[i].x, rf.minutiae.m[j].y - ra.minutiae.m[i].y) < 2) {
                again++;
                break;
            }
    }
    print_message("coarse to fine: %ld of %ld patches, %zu of %zu peaks kept\n", rf.patches_scored, ra.patches_scored,
                  again, above);
    assert_true(above > 10);
    assert_true(again * 100 >= above * 95);
    mnt_detection_free(&ra);
    mnt_detection_free(&rf);
}

/* The segmentation's period test: ridges at 10 px pass, ruled lines 45 px apart fail. */
static void block_period_tells_ridges_from_lines(void **state)
{
    (void)state;
    const int w = 128, h = 128;
    mnt_image ridges, lines;
    assert_int_equal(mnt_image_alloc(&ridges, w, h, 0, NULL), 0);
    assert_int_equal(mnt_image_alloc(&lines, w, h, 0, NULL), 0);
    double a = 0.5; /* radians, CCW as displayed */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double across = x * sin(a) + y * cos(a);
            ridges.px[y * w + x] = (float)(0.5 + 0.4 * cos(2 * 3.14159265358979 * across / 10));
            double m = fmod(across + 1000 * 45, 45);
            lines.px[y * w + x] = (float)(m < 2 ? 0.2 : 0.9);
        }
    mnt_orientation o;
    assert_int_equal(mnt_orientation_compute(&ridges, 1.2, 4.0, &o, NULL), 0);
    double p = mnt_block_period(&ridges, &o, 64, 64);
    assert_true(p >= 8 && p <= 13);
    mnt_orientation_free(&o);
    assert_int_equal(mnt_orientation_compute(&lines, 1.2, 4.0, &o, NULL), 0);
    p = mnt_block_period(&lines, &o, 64, 64);
    assert_true(p == 0 || p > 14);
    mnt_orientation_free(&o);
    mnt_image_free(&ridges);
    mnt_image_free(&lines);
}

static void refuses_a_mismatched_grid(void **state)
{
    (void)state;
    mnt_detector det = detector(model.threshold);
    det.grid = model.grid / 2;
    mnt_detection r;
    mnt_diag d = {0};
    assert_int_equal(mnt_detect(&det, &lat.image, NULL, &r, &d), MNT_ERR_ARG);
    assert_non_null(strstr(d.msg, "grid"));
    mnt_detection_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_true_minutiae),
        cmocka_unit_test(coarse_to_fine_agrees_with_every_cell),
        cmocka_unit_test(block_period_tells_ridges_from_lines),
        cmocka_unit_test(refuses_a_mismatched_grid),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
