/* The region of interest: the learned one (core/detection/region.c), with a foreground head wired to
 * answer "textured" for patches with ridges and "background" for flat ones, the region
 * covers the ridged half of an image and not the flat half, through mnt_detect too;
 * and the segmentation's hysteresis (core/detection/segment.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "gsae.h"
#include "mnt_math.h"
#include "patches.h"
#include "region.h"
#include "rng.h"
#include "segment.h"
#include "test_common.h"

enum { W = 256, H = 192, PAIRS = 16 };

/* Code units in pairs (w, -w) with a negative bias: a flat patch (normalised to 0)
 * leaves every unit near 0, a ridged one lifts one unit of most pairs near 1; the
 * foreground head reads the sum of the code. */
static void wire_net(mnt_gsae *net)
{
    mnt_gsae_config c = {256, 2 * PAIRS, 1e-4, 0, 0.05, 0, 0, 1, 1, 0, 0};
    assert_int_equal(mnt_gsae_new(net, &c, 7, NULL), 0);
    memset(net->p.w1, 0, (size_t)c.hidden * c.input * sizeof(float));
    mnt_rng r;
    mnt_rng_seed(&r, 3, 4);
    for (int j = 0; j < PAIRS; j++)
        for (int i = 0; i < c.input; i++) {
            float v = (float)(0.5 * mnt_rng_normal(&r));
            net->p.w1[(2 * j) * c.input + i] = v;
            net->p.w1[(2 * j + 1) * c.input + i] = -v;
        }
    for (int j = 0; j < c.hidden; j++) net->p.b1[j] = -4.0f;
    float *wf = net->p.wh[MNT_HEAD_FOREGROUND], *bf = net->p.bh[MNT_HEAD_FOREGROUND];
    for (int j = 0; j < c.hidden; j++) {
        wf[j] = 0;                    /* background logit */
        wf[c.hidden + j] = 2.0f;      /* foreground logit */
    }
    bf[0] = 0;
    bf[1] = -4.0f;
}

/* Ridges of period 9 px on the left half, flat grey on the right. */
static void half_ridged(mnt_image *im)
{
    assert_int_equal(mnt_image_alloc(im, W, H, (size_t)W * H, NULL), 0);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            im->px[(size_t)y * W + x] = x < W / 2 ? (float)(0.5 + 0.4 * cos(2 * MNT_PI * (x + 0.3 * y) / 9.0)) : 0.6f;
}

static void region_covers_ridges_only(void **state)
{
    (void)state;
    mnt_gsae net;
    wire_net(&net);
    mnt_image im;
    half_ridged(&im);
    uint8_t *roi = malloc((size_t)W * H);
    float prob[(W / 16) * (H / 16)];
    mnt_region_params rp = {&net, 32, 16, 16, 0.5, 0};
    assert_int_equal(mnt_region_learned(&rp, &im, roi, prob, NULL), 0);
    /* far from the boundary: ridges inside, flat outside; the blocks' probabilities agree */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            if (x < W / 2 - 48) assert_int_equal(roi[(size_t)y * W + x], 1);
            if (x >= W / 2 + 48) assert_int_equal(roi[(size_t)y * W + x], 0);
        }
    assert_true(prob[2 * (W / 16) + 1] > 0.9f);
    assert_true(prob[2 * (W / 16) + W / 16 - 2] < 0.1f);
    /* mnt_detect with the learned region finds the same region */
    mnt_detector det = {&net, 32, 16, 0.5, 4, 8, 256, 0, 0, 0, 0, 0.5, MNT_ORIENTATION_SIGMA_LEGACY, 0};
    mnt_detection r;
    assert_int_equal(mnt_detect(&det, &im, NULL, &r, NULL), 0);
    mnt_image src;
    mnt_orientation o;
    assert_int_equal(mnt_orientation_compute(&im, 1.2, MNT_ORIENTATION_SIGMA_LEGACY, &o, NULL), 0);
    assert_int_equal(mnt_patch_source(&im, 32, 16, 0, &o, &src, NULL), 0);
    assert_int_equal(mnt_region_learned(&rp, &src, roi, NULL, NULL), 0);
    assert_memory_equal(r.roi, roi, (size_t)W * H);
    /* bad arguments are refused with a message */
    mnt_diag d = {0};
    mnt_region_params bad = rp;
    bad.threshold = 1.5;
    assert_int_equal(mnt_region_learned(&bad, &im, roi, NULL, &d), MNT_ERR_ARG);
    assert_non_null(strstr(d.msg, "threshold"));
    bad = rp;
    bad.grid = 8;
    assert_int_equal(mnt_region_learned(&bad, &im, roi, NULL, &d), MNT_ERR_ARG);
    mnt_detection_free(&r);
    mnt_orientation_free(&o);
    mnt_image_free(&src);
    mnt_image_free(&im);
    free(roi);
    mnt_gsae_free(&net);
}

/* Hysteresis in the segmentation: faint ridges (contrast 0.3 of the clear ones, so
 * energy 0.09 of theirs: under the 0.12 bar, over 0.7 of it) join the region where they
 * touch the clear ridges and only there. Columns: clear | faint | flat | faint. */
static void hysteresis_brings_in_touching_faint_ridges(void **state)
{
    (void)state;
    enum { SW = 320, SH = 160 };
    mnt_image im;
    assert_int_equal(mnt_image_alloc(&im, SW, SH, (size_t)SW * SH, NULL), 0);
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++) {
            double amp = x < 96 ? 0.4 : x < 176 ? 0.12 : x < 224 ? 0 : 0.12;
            im.px[(size_t)y * SW + x] = (float)(0.5 + amp * cos(2 * MNT_PI * (x + 0.2 * y) / 9.0));
        }
    mnt_orientation o;
    assert_int_equal(mnt_orientation_compute(&im, 1.2, 4.0, &o, NULL), 0);
    uint8_t *with = malloc((size_t)SW * SH), *without = malloc((size_t)SW * SH);
    mnt_segment_params sp;
    mnt_segment_defaults(&sp);
    assert_true(sp.weak_share > 0);
    assert_int_equal(mnt_segment(&im, &o, &sp, with, NULL), 0);
    sp.weak_share = 0;
    assert_int_equal(mnt_segment(&im, &o, &sp, without, NULL), 0);
    int y = SH / 2;
    assert_int_equal(with[(size_t)y * SW + 48], 1);        /* clear ridges */
    assert_int_equal(without[(size_t)y * SW + 48], 1);
    assert_int_equal(with[(size_t)y * SW + 150], 1);       /* faint, touching: in */
    assert_int_equal(without[(size_t)y * SW + 150], 0);    /* ... only by hysteresis */
    assert_int_equal(with[(size_t)y * SW + 290], 0);       /* faint, apart: out */
    free(with);
    free(without);
    mnt_orientation_free(&o);
    mnt_image_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(region_covers_ridges_only),
                                       cmocka_unit_test(hysteresis_brings_in_touching_faint_ridges)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
