/* Patch extraction, sampling rules, patch-set and model files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "enhance.h"
#include "latent.h"
#include "model_file.h"
#include "mnt_math.h"
#include "patches.h"
#include "rng.h"
#include "patchset_file.h"
#include "synth.h"
#include "test_common.h"

static void extraction_rotates_and_mirrors(void **state)
{
    (void)state;
    mnt_image im;
    assert_int_equal(mnt_image_alloc(&im, 64, 64, 0, NULL), 0);
    /* a bright pixel block right of the centre */
    for (int y = 30; y < 34; y++)
        for (int x = 44; x < 48; x++) im.px[y * 64 + x] = 1;
    float p[16 * 16];
    mnt_patch_extract(&im, 32, 32, 0, 0, 32, 16, p);
    assert_true(p[7 * 16 + 14] > 0.5f); /* at +14 px -> column 14 */
    /* rotated by 90 degrees CCW: the patch +x axis points up and its +y axis right,
     * so the block lands at +14 px along +y */
    mnt_patch_extract(&im, 32, 32, MNT_PI / 2, 0, 32, 16, p);
    assert_true(p[7 * 16 + 14] < 0.5f);
    assert_true(p[14 * 16 + 7] > 0.5f || p[14 * 16 + 8] > 0.5f);
    /* mirrored: the block moves to the left */
    mnt_patch_extract(&im, 32, 32, 0, 1, 32, 16, p);
    assert_true(p[7 * 16 + 1] > 0.5f || p[8 * 16 + 1] > 0.5f);
    mnt_image_free(&im);
}

/* the pixel paths of the detector (plain and mirrored) give the very floats of the
 * bilinear extraction at angle 0, inside and across the clamped edges */
static void pixel_extraction_equals_bilinear(void **state)
{
    (void)state;
    mnt_image im;
    assert_int_equal(mnt_image_alloc(&im, 45, 38, 0, NULL), 0);
    mnt_rng r;
    mnt_rng_seed(&r, 5, 1);
    for (int i = 0; i < 45 * 38; i++) im.px[i] = (float)mnt_rng_uniform(&r);
    const int centres[][2] = {{22, 19}, {0, 0}, {44, 37}, {3, 30}, {40, 2}};
    float a[16 * 16], b[16 * 16];
    for (int k = 0; k < 5; k++)
        for (int mirror = 0; mirror < 2; mirror++) {
            int cx = centres[k][0], cy = centres[k][1];
            mnt_patch_extract(&im, cx, cy, 0, mirror, 32, 16, a);
            if (mirror) mnt_patch_extract_pixels_mirrored(&im, cx, cy, 32, 16, b);
            else mnt_patch_extract_pixels(&im, cx, cy, 32, 16, b);
            assert_memory_equal(a, b, sizeof a);
        }
    mnt_image_free(&im);
}

/* the context window: the pixel path equals the bilinear one (plain, mirrored, at the
 * clamped edges); its second part is the c x c mean of the window c times as large on
 * a grid c times as fine, computed here the plain way; the parts are normalised apart;
 * contexts that cannot be cut are refused */
static void context_window_is_the_pooled_larger_window(void **state)
{
    (void)state;
    mnt_image im;
    assert_int_equal(mnt_image_alloc(&im, 90, 77, 0, NULL), 0);
    mnt_rng r;
    mnt_rng_seed(&r, 9, 1);
    for (int i = 0; i < 90 * 77; i++) im.px[i] = (float)mnt_rng_uniform(&r);
    assert_int_equal(mnt_patch_values(16, 0), 256);
    assert_int_equal(mnt_patch_values(16, 2), 512);
    assert_true(mnt_patch_context_valid(16, 0) && mnt_patch_context_valid(16, 2) && mnt_patch_context_valid(16, 4));
    assert_false(mnt_patch_context_valid(16, 1) || mnt_patch_context_valid(16, 5) || mnt_patch_context_valid(32, 3));
    const int centres[][2] = {{45, 38}, {0, 0}, {89, 76}, {5, 70}};
    for (int c = 2; c <= 4; c++)
        for (int k = 0; k < 4; k++)
            for (int mirror = 0; mirror < 2; mirror++) {
                int cx = centres[k][0], cy = centres[k][1];
                float a[512], b[512], fine[64 * 64], want[256];
                mnt_patch_cut(&im, cx, cy, 0, mirror, 32, 16, c, a);
                mnt_patch_cut_pixels(&im, cx, cy, mirror, 32, 16, c, b);
                assert_memory_equal(a, b, sizeof a);
                mnt_patch_cut_upright(&im, cx, cy, mirror, 32, 16, c, b);
                assert_memory_equal(a, b, sizeof a);
                /* an odd step (24 px on 8 samples) has no pixel path: the bilinear one */
                float odd[128], odd_ref[128];
                mnt_patch_cut_upright(&im, cx, cy, mirror, 24, 8, c, odd);
                mnt_patch_cut(&im, cx, cy, 0, mirror, 24, 8, c, odd_ref);
                assert_memory_equal(odd, odd_ref, sizeof odd);
                float first[256];
                mnt_patch_extract(&im, cx, cy, 0, mirror, 32, 16, first);
                assert_memory_equal(a, first, sizeof first);
                mnt_patch_extract(&im, cx, cy, 0, mirror, 32 * c, 16 * c, fine);
                for (int j = 0; j < 16; j++)
                    for (int i = 0; i < 16; i++) {
                        double sum = 0;
                        for (int y = 0; y < c; y++)
                            for (int x = 0; x < c; x++) sum += fine[(j * c + y) * 16 * c + i * c + x];
                        want[j * 16 + i] = (float)(sum / (c * c));
                    }
                for (int i = 0; i < 256; i++) assert_true(fabsf(a[256 + i] - want[i]) < 1e-6f);
                /* a rotated context window is the rotated larger window, pooled */
                mnt_patch_cut(&im, cx, cy, 1.0, mirror, 32, 16, c, a);
                mnt_patch_extract(&im, cx, cy, 1.0, mirror, 32 * c, 16 * c, fine);
                double s0 = 0;
                for (int y = 0; y < c; y++)
                    for (int x = 0; x < c; x++) s0 += fine[y * 16 * c + x];
                assert_true(fabsf(a[256] - (float)(s0 / (c * c))) < 1e-6f);
                mnt_patch_normalise_parts(b, 16, c);
                for (int part = 0; part < 2; part++) {
                    double m = 0, v = 0;
                    for (int i = 0; i < 256; i++) m += b[part * 256 + i];
                    m /= 256;
                    for (int i = 0; i < 256; i++) v += (b[part * 256 + i] - m) * (b[part * 256 + i] - m);
                    assert_true(fabs(m) < 1e-5 && fabs(v / 256 - 1) < 1e-4);
                }
            }
    mnt_patch_params pp;
    mnt_patch_defaults(&pp);
    mnt_diag d = {0};
    pp.context = 3;
    pp.grid = 32;
    assert_int_equal(mnt_patch_validate(&pp, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "patch.context"));
    mnt_image_free(&im);
}

/* smoothing along ridges four grid points at a time gives the floats of the plain
 * loop, for every factor and up to the borders, on a noisy print with turning ridges */
static void smoothing_along_ridges_equals_plain_version(void **state)
{
    (void)state;
    const int w = 97, h = 83;
    mnt_image im;
    assert_int_equal(mnt_image_alloc(&im, w, h, 0, NULL), 0);
    mnt_rng r;
    mnt_rng_seed(&r, 8, 2);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            im.px[y * w + x] = (float)(0.5 + 0.4 * cos(0.02 * (x - 40) * (x - 40) * 0.1 + 0.7 * y) + 0.1 * mnt_rng_normal(&r));
    mnt_orientation o;
    assert_int_equal(mnt_orientation_compute(&im, 1.2, 4.0, &o, NULL), 0);
    const double sigmas[] = {1.0, 3.0, 10.0};
    for (int f = 1; f <= 3; f++)
        for (int k = 0; k < 3; k++) {
            mnt_image a, b;
            assert_int_equal(mnt_enhance_along_ridges(&im, &o, sigmas[k], f, &a, NULL), 0);
            assert_int_equal(mnt_enhance_along_ridges_reference(&im, &o, sigmas[k], f, &b, NULL), 0);
            assert_memory_equal(a.px, b.px, sizeof(float) * w * h);
            mnt_image_free(&a);
            mnt_image_free(&b);
        }
    mnt_orientation_free(&o);
    mnt_image_free(&im);
}

/* the orientation, coherence and energy read from the kept tensor equal the planes the
 * former per-pixel loop filled (with its fmod), float for float */
static void orientation_read_where_needed_equals_planes(void **state)
{
    (void)state;
    const int w = 61, h = 47;
    mnt_image im;
    assert_int_equal(mnt_image_alloc(&im, w, h, 0, NULL), 0);
    mnt_rng r;
    mnt_rng_seed(&r, 9, 4);
    for (int i = 0; i < w * h; i++) im.px[i] = (float)(0.5 + 0.3 * sin(0.05 * (i % w) * (i / w) * 0.2) + 0.2 * mnt_rng_uniform(&r));
    for (int x = 0; x < w; x++) im.px[20 * w + x] = 0.5f; /* a flat row: zero tensor parts */
    mnt_orientation o;
    assert_int_equal(mnt_orientation_compute(&im, 1.2, 4.0, &o, NULL), 0);
    for (size_t i = 0; i < (size_t)w * h; i++) {
        double a = o.gxx[i] - o.gyy[i], b = 2.0 * o.gxy[i];
        double disp = fmod(-(0.5 * atan2(b, a) + MNT_PI / 2), MNT_PI);
        if (disp < 0) disp += MNT_PI;
        double e = o.gxx[i] + o.gyy[i];
        float theta = (float)disp, coherence = (float)(e > 1e-12 ? sqrt(a * a + b * b) / e : 0), energy = (float)e;
        float got[3] = {mnt_orientation_theta(&o, i), mnt_orientation_coherence(&o, i), mnt_orientation_energy(&o, i)};
        float want[3] = {theta, coherence, energy};
        assert_memory_equal(got, want, sizeof got);
    }
    /* the fmod's edge: atan2 = +pi (gxy = +0, gxx < gyy) gives -0, as fmod(-pi, pi) does */
    float gx = -1, gy = 1, gz = 0.0f;
    mnt_orientation edge = {1, 1, &gx, &gy, &gz};
    double disp = fmod(-(0.5 * atan2(0.0, -2.0) + MNT_PI / 2), MNT_PI);
    if (disp < 0) disp += MNT_PI;
    float t = mnt_orientation_theta(&edge, 0), want_t = (float)disp;
    assert_true(signbit(want_t) && want_t == 0);
    assert_memory_equal(&t, &want_t, sizeof t);
    mnt_orientation_free(&o);
    mnt_image_free(&im);
}

/* Recomputes the checksum after a test edits an encoded patch set. */
static void reseal(mnt_buf *b)
{
    uLong crc = crc32(0L, b->data, (uInt)(b->len - 4));
    b->data[b->len - 4] = (uint8_t)(crc >> 24);
    b->data[b->len - 3] = (uint8_t)(crc >> 16);
    b->data[b->len - 2] = (uint8_t)(crc >> 8);
    b->data[b->len - 1] = (uint8_t)crc;
}

/* One version back: drops the header field the next version added (4: the orientation
 * smoothing at bytes 18..19, 5: the context at bytes 20..21), version byte and checksum
 * updated. */
static void as_version(mnt_buf *b, unsigned version)
{
    size_t at = version == 4 ? 20 : 18;
    memmove(b->data + at, b->data + at + 2, b->len - at - 2);
    b->len -= 2;
    b->data[11] = (uint8_t)version;
    reseal(b);
}

static void sampling_respects_truth(void **state)
{
    (void)state;
    mnt_synth_params sp;
    mnt_synth_defaults(&sp);
    sp.width = 320;
    sp.height = 384;
    mnt_synth_print s;
    assert_int_equal(mnt_synth_print_make(&sp, 5, &s, NULL), 0);
    mnt_latent_params lp;
    mnt_latent_defaults(&lp);
    mnt_latent lat;
    assert_int_equal(mnt_latent_render(&lp, MNT_LEVEL_BAD, &s, 5, &lat, NULL), 0);
    mnt_patch_params pp;
    mnt_patch_defaults(&pp);
    pp.ridge_sigma = 1.5;
    mnt_patch_set set;
    mnt_patch_set_init(&set, pp.size, pp.grid);
    uint32_t src;
    assert_int_equal(mnt_patch_set_add_source(&set, "a.png", &src), 0);
    mnt_rng rng;
    mnt_rng_seed(&rng, 1, 1);
    const mnt_view *t = &s.truth.views[0];
    /* the set must have been made for the same smoothing */
    assert_int_equal(mnt_patch_sample(&pp, &lat.image, lat.visible, t, src, &rng, &set, NULL), MNT_ERR_ARG);
    set.ridge_sigma = 1.5;
    assert_int_equal(mnt_patch_sample(&pp, &lat.image, lat.visible, t, src, &rng, &set, NULL), 0);
    size_t visible = 0, pos = 0, neg = 0, ridge = 0, background = 0;
    for (size_t i = 0; i < t->n; i++) visible += !t->m[i].hidden;
    for (size_t i = 0; i < set.n; i++) {
        const mnt_patch *p = &set.p[i];
        double nearest_visible = 1e9, nearest_any = 1e9;
        for (size_t k = 0; k < t->n; k++) {
            double dd = hypot(t->m[k].x - p->x, t->m[k].y - p->y);
            nearest_any = fmin(nearest_any, dd);
            if (!t->m[k].hidden) nearest_visible = fmin(nearest_visible, dd);
        }
        /* the region label says where the centre lies (the foreground head learns it) */
        int inside = lat.visible[(size_t)p->y * lat.image.width + (size_t)p->x] != 0;
        if (p->cls) assert_int_equal(p->region, MNT_REGION_FOREGROUND);
        else assert_int_equal(p->region, inside ? MNT_REGION_FOREGROUND : MNT_REGION_BACKGROUND);
        background += p->region == MNT_REGION_BACKGROUND;
        if (p->cls) {
            assert_true(nearest_visible <= pp.pos_radius + 1e-3); /* never near hidden only */
            if (p->frame == MNT_FRAME_RIDGE) ridge++;
            else pos++;
        } else {
            assert_true(nearest_any >= pp.neg_radius); /* far from hidden ones too */
            neg++;
        }
    }
    assert_int_equal(pos, visible * (size_t)pp.rotations);
    assert_int_equal(ridge, 2 * visible);
    assert_true(neg > pos); /* neg_per_pos = 2 */
    assert_true(background > 0 && background < neg);
    /* round trip of the set file */
    mnt_buf b = {0};
    assert_int_equal(mnt_patchset_encode(&set, &b, NULL), 0);
    mnt_patch_set back;
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, NULL), 0);
    assert_int_equal(back.n, set.n);
    assert_true(back.ridge_sigma == 1.5);
    assert_memory_equal(back.pool, set.pool, set.n * 256);
    for (size_t i = 0; i < set.n; i++) {
        const mnt_patch *a = &set.p[i], *c = &back.p[i];
        assert_true(a->cls == c->cls && a->type == c->type && a->frame == c->frame && a->region == c->region && a->angle == c->angle &&
                    a->source == c->source && a->x == c->x && a->y == c->y);
    }
    assert_string_equal(back.sources[0], "a.png");
    mnt_patch_set_free(&back);
    /* malformed sets are refused */
    mnt_diag d = {0};
    for (size_t n = 0; n < 64; n++) assert_int_not_equal(mnt_patchset_decode(b.data, n, &back, &d), 0);
    b.data[40] ^= 1;
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "checksum"));
    b.data[40] ^= 1;
    b.data[11] = 9; /* version 9 */
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, &d), MNT_ERR_UNSUPPORTED);
    /* the orientation smoothing round-trips; format 4 had no context (read as none),
     * format 3 no orientation smoothing (read as the legacy 4 px) */
    b.data[11] = 5;
    reseal(&b);
    as_version(&b, 4);
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, &d), 0);
    assert_true(back.orientation_sigma == set.orientation_sigma);
    assert_int_equal(back.context, 0);
    mnt_patch_set_free(&back);
    as_version(&b, 3);
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, &d), 0);
    assert_true(back.orientation_sigma == MNT_ORIENTATION_SIGMA_LEGACY);
    mnt_patch_set_free(&back);
    /* format 2 had no region: its byte must be 0 and reads as unknown; format 3
     * refuses region values past background */
    size_t first = b.len - 4 - set.n * (20 + 256) + 3; /* region byte of patch 0 */
    b.data[11] = 2;
    for (size_t i = 0; i < set.n; i++) b.data[first + i * (20 + 256)] = 0;
    reseal(&b);
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, &d), 0);
    assert_int_equal(back.p[0].region, MNT_REGION_UNKNOWN);
    mnt_patch_set_free(&back);
    b.data[first] = MNT_REGION_FOREGROUND;
    reseal(&b);
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, &d), MNT_ERR_FORMAT);
    b.data[11] = 3;
    b.data[first] = 3;
    reseal(&b);
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "region 3"));
    /* without a mask the sampler uses the segmented region: the blank margin around
     * the print gives background negatives */
    mnt_patch_set own;
    mnt_patch_set_init(&own, pp.size, pp.grid);
    own.ridge_sigma = 1.5;
    assert_int_equal(mnt_patch_set_add_source(&own, "a.png", &src), 0);
    assert_int_equal(mnt_patch_sample(&pp, &s.image, NULL, t, src, &rng, &own, NULL), 0);
    size_t own_bg = 0;
    for (size_t i = 0; i < own.n; i++) own_bg += own.p[i].region == MNT_REGION_BACKGROUND;
    assert_true(own_bg > 0);
    mnt_patch_set_free(&own);
    /* unlabelled patches: as many as asked, inside the segmented region, class
     * "unlabelled", kept by the file format */
    mnt_patch_set un;
    mnt_patch_set_init(&un, pp.size, pp.grid);
    un.ridge_sigma = 1.5;
    assert_int_equal(mnt_patch_set_add_source(&un, "b.png", &src), 0);
    assert_int_equal(mnt_patch_sample_unlabelled(&pp, &lat.image, 40, src, &rng, &un, NULL), 0);
    assert_int_equal(un.n, 40);
    for (size_t i = 0; i < un.n; i++) {
        assert_int_equal(un.p[i].cls, MNT_PATCH_UNLABELLED);
        assert_int_equal(un.p[i].region, MNT_REGION_UNKNOWN);
    }
    mnt_buf ub = {0};
    assert_int_equal(mnt_patchset_encode(&un, &ub, NULL), 0);
    mnt_patch_set unback;
    assert_int_equal(mnt_patchset_decode(ub.data, ub.len, &unback, NULL), 0);
    assert_int_equal(unback.p[7].cls, MNT_PATCH_UNLABELLED);
    mnt_patch_set_free(&unback);
    as_version(&ub, 2); /* format 2 knew no unlabelled class */
    assert_int_equal(mnt_patchset_decode(ub.data, ub.len, &unback, &d), MNT_ERR_FORMAT);
    mnt_buf_free(&ub);
    mnt_patch_set_free(&un);
    mnt_buf_free(&b);
    mnt_patch_set_free(&set);
    mnt_latent_free(&lat);
    mnt_synth_print_free(&s);
}

/* a set sampled with a context window holds two parts per patch and keeps its context
 * through the file; a context that does not fit the grid is refused when read */
static void context_patch_set_round_trips(void **state)
{
    (void)state;
    mnt_synth_params sp;
    mnt_synth_defaults(&sp);
    sp.width = 256;
    sp.height = 288;
    mnt_synth_print s;
    assert_int_equal(mnt_synth_print_make(&sp, 7, &s, NULL), 0);
    mnt_patch_set sets[2];
    for (int k = 0; k < 2; k++) {
        mnt_patch_params pp;
        mnt_patch_defaults(&pp);
        pp.context = k ? 2 : 0;
        mnt_patch_set_init(&sets[k], pp.size, pp.grid);
        sets[k].context = pp.context;
        uint32_t src;
        assert_int_equal(mnt_patch_set_add_source(&sets[k], "a.png", &src), 0);
        mnt_rng rng;
        mnt_rng_seed(&rng, 3, 1);
        assert_int_equal(mnt_patch_sample(&pp, &s.image, NULL, &s.truth.views[0], src, &rng, &sets[k], NULL), 0);
    }
    /* the patches' noise draws differ with twice the values, so the counts only match
     * roughly: the context changes what a patch holds, not where patches are taken */
    assert_true(sets[0].n > 20 && sets[1].n > 20);
    assert_true(sets[1].n * 10 > sets[0].n * 9 && sets[1].n * 9 < sets[0].n * 10);
    mnt_buf b = {0};
    assert_int_equal(mnt_patchset_encode(&sets[1], &b, NULL), 0);
    mnt_patch_set back;
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, NULL), 0);
    assert_int_equal(back.context, 2);
    assert_int_equal(back.n, sets[1].n);
    assert_memory_equal(back.pool, sets[1].pool, back.n * 512);
    mnt_patch_set_free(&back);
    b.data[21] = 5; /* context 5 */
    reseal(&b);
    mnt_diag d = {0};
    assert_int_equal(mnt_patchset_decode(b.data, b.len, &back, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "context"));
    mnt_buf_free(&b);
    for (int k = 0; k < 2; k++) mnt_patch_set_free(&sets[k]);
    mnt_synth_print_free(&s);
}

/* Smoothing along ridges: on noisy parallel ridges it removes most of the noise and
 * keeps the ridges (smoothing across them would wash them out). */
static void smoothing_along_ridges_removes_noise(void **state)
{
    (void)state;
    const int w = 96, h = 96;
    mnt_image clean, noisy;
    assert_int_equal(mnt_image_alloc(&clean, w, h, 0, NULL), 0);
    assert_int_equal(mnt_image_alloc(&noisy, w, h, 0, NULL), 0);
    mnt_rng r;
    mnt_rng_seed(&r, 3, 3);
    double a = MNT_RAD(30); /* ridges run at 30 degrees (CCW as displayed) */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            /* phase across the ridges: along the normal (sin a, cos a) in pixel coordinates */
            double v = 0.5 + 0.4 * cos(2 * MNT_PI / 10 * (x * sin(a) + y * cos(a)));
            clean.px[y * w + x] = (float)v;
            noisy.px[y * w + x] = (float)(v + 0.3 * mnt_rng_normal(&r));
        }
    mnt_orientation o;
    assert_int_equal(mnt_orientation_compute(&clean, 1.2, 4.0, &o, NULL), 0);
    assert_true(fabs(mnt_orientation_theta(&o, 48 * w + 48) - a) < MNT_RAD(3));
    mnt_image out;
    mnt_diag d = {0};
    assert_int_equal(mnt_enhance_along_ridges(&noisy, &o, 3.0, 1, &out, &d), 0);
    double before = 0, after = 0;
    for (int y = 16; y < h - 16; y++)
        for (int x = 16; x < w - 16; x++) {
            size_t i = (size_t)y * w + x;
            before += (noisy.px[i] - clean.px[i]) * (noisy.px[i] - clean.px[i]);
            after += (out.px[i] - clean.px[i]) * (out.px[i] - clean.px[i]);
        }
    assert_true(after < 0.2 * before); /* about 1 / (sigma sqrt(4 pi)) = 0.09 of the noise power */
    mnt_image_free(&out);
    /* on every other pixel: exact on that grid, nearly as good between */
    mnt_image coarse;
    assert_int_equal(mnt_enhance_along_ridges(&noisy, &o, 3.0, 2, &coarse, &d), 0);
    double on_grid = 0, between = 0;
    for (int y = 16; y < h - 16; y++)
        for (int x = 16; x < w - 16; x++) {
            size_t i = (size_t)y * w + x;
            double e = (coarse.px[i] - clean.px[i]) * (coarse.px[i] - clean.px[i]);
            if (x % 2 == 1 && y % 2 == 1) on_grid += e;
            else between += e;
        }
    assert_true(on_grid < 0.25 * 0.25 * before);
    assert_true(between < 0.25 * 0.75 * before + 0.1 * 0.75 * before);
    mnt_image_free(&coarse);
    assert_int_equal(mnt_enhance_along_ridges(&noisy, &o, 0, 1, &out, &d), MNT_ERR_ARG);
    assert_non_null(strstr(d.msg, "sigma"));
    mnt_orientation_free(&o);
    mnt_image_free(&clean);
    mnt_image_free(&noisy);
}

/* An encoded model (no training state) rewritten as the file a model with only its
 * first np3 parameters would be: count, weights and checksum. */
static void without_last_head(const mnt_buf *b, size_t np, size_t np3, mnt_buf *out)
{
    mnt_buf_put(out, b->data, b->len - 4 - 4 * np - 4);
    mnt_buf_u32(out, (uint32_t)np3);
    mnt_buf_put(out, b->data + b->len - 4 - 4 * np, 4 * np3);
    mnt_buf_u32(out, (uint32_t)crc32(0L, out->data, (uInt)out->len));
}

static void model_file_round_trip_and_rejections(void **state)
{
    (void)state;
    mnt_model m;
    memset(&m, 0, sizeof m);
    mnt_gsae_config c = {256, 16, 1e-4, 0.5, 0.05, 0.1, 0, 1, 1, 0, 0};
    assert_int_equal(mnt_gsae_new(&m.net, &c, 3, NULL), 0);
    m.patch_size = 32;
    m.grid = 16;
    m.threshold = 0.42;
    m.stride = 4;
    m.nms_radius = 8;
    m.ridge_sigma = 2.5;
    m.orientation_sigma = 7.5;
    m.roi_margin = 3;
    m.direction_weight = 0.75;
    m.state.phase = 1;
    m.state.global_step = 77;
    m.net.adam_t = 77;
    for (size_t i = 0; i < m.net.nparams; i++) m.net.m[i] = (float)i * 1e-3f;
    assert_int_equal(mnt_model_make_card(&m, "training:\n  note: test\n", NULL), 0);
    /* the generated sections end where the provenance begins (calibrate keeps it) */
    assert_string_equal(mnt_model_card_provenance(m.card), "training:\n  note: test\n");
    assert_string_equal(mnt_model_card_provenance("format: x\ndetection:\n  a: 1\n"), "");
    for (int with_state = 0; with_state < 2; with_state++) {
        mnt_buf b = {0};
        assert_int_equal(mnt_model_encode(&m, with_state, &b, NULL), 0);
        mnt_model back;
        mnt_diag d = {0};
        assert_int_equal(mnt_model_decode(b.data, b.len, &back, &d), 0);
        assert_int_equal(back.net.nparams, m.net.nparams);
        assert_memory_equal(back.net.slab, m.net.slab, m.net.nparams * sizeof(float));
        assert_true(fabs(back.threshold - 0.42) < 1e-9);
        assert_true(fabs(back.ridge_sigma - 2.5) < 1e-9);
        assert_true(fabs(back.orientation_sigma - 7.5) < 1e-9);
        assert_true(fabs(back.roi_margin - 3) < 1e-9);
        assert_true(fabs(back.direction_weight - 0.75) < 1e-9);
        assert_int_equal(back.has_state, with_state);
        if (with_state) {
            assert_int_equal(back.state.global_step, 77);
            assert_memory_equal(back.net.m, m.net.m, m.net.nparams * sizeof(float));
        }
        assert_non_null(strstr(back.card, "note: test"));
        mnt_model_free(&back);
        /* corrupt, truncated, foreign */
        b.data[b.len / 2] ^= 0x10;
        assert_int_equal(mnt_model_decode(b.data, b.len, &back, &d), MNT_ERR_FORMAT);
        assert_non_null(strstr(d.msg, "checksum"));
        b.data[b.len / 2] ^= 0x10;
        assert_int_not_equal(mnt_model_decode(b.data, b.len - 1, &back, &d), 0);
        assert_int_equal(mnt_model_decode((const uint8_t *)"MNTPATCH....", 12, &back, &d), MNT_ERR_FORMAT);
        mnt_buf_free(&b);
    }
    /* a card asking for a large architecture over a tiny model's weights is refused
     * before the room for those weights is allocated (fuzzing: a few bytes asked for
     * gigabytes) */
    {
        const char *from[] = {"input: 256\n", "hidden: 16\n", "size: 32\n", "grid: 16\n"};
        const char *to[] = {"input: 4096\n", "hidden: 4096\n", "size: 64\n", "grid: 64\n"};
        char big[4096];
        snprintf(big, sizeof big, "%s", m.card);
        for (int k = 0; k < 4; k++) {
            char *at = strstr(big, from[k]), rest[4096];
            assert_non_null(at);
            snprintf(rest, sizeof rest, "%s", at + strlen(from[k]));
            snprintf(at, sizeof big - (size_t)(at - big), "%s%s", to[k], rest);
        }
        char *card = m.card;
        m.card = big;
        mnt_buf b = {0};
        assert_int_equal(mnt_model_encode(&m, 0, &b, NULL), 0);
        m.card = card;
        mnt_model back;
        mnt_diag d = {0};
        assert_int_equal(mnt_model_decode(b.data, b.len, &back, &d), MNT_ERR_FORMAT);
        assert_non_null(strstr(d.msg, "architecture needs at least"));
        mnt_buf_free(&b);
    }
    mnt_model_free(&m);
    /* a two-layer encoder with a sigmoid decoder survives the round trip */
    mnt_model m2;
    memset(&m2, 0, sizeof m2);
    mnt_gsae_config c2 = {256, 12, 1e-4, 0.5, 0.05, 0.1, 0, 1, 1, 20, 1};
    assert_int_equal(mnt_gsae_new(&m2.net, &c2, 4, NULL), 0);
    m2.patch_size = 32;
    m2.grid = 16;
    m2.threshold = 0.5;
    m2.stride = 4;
    m2.nms_radius = 8;
    m2.orientation_sigma = MNT_ORIENTATION_SIGMA_LEGACY;
    assert_int_equal(mnt_model_make_card(&m2, NULL, NULL), 0);
    mnt_buf b2 = {0};
    assert_int_equal(mnt_model_encode(&m2, 0, &b2, NULL), 0);
    mnt_model back2;
    assert_int_equal(mnt_model_decode(b2.data, b2.len, &back2, NULL), 0);
    assert_int_equal(back2.net.cfg.hidden1, 20);
    assert_int_equal(back2.net.cfg.sigmoid_decoder, 1);
    assert_true(back2.ridge_sigma == 0);
    assert_memory_equal(back2.net.slab, m2.net.slab, m2.net.nparams * sizeof(float));
    mnt_model_free(&back2);
    /* a model from before the foreground head (three heads: its slab is a prefix)
     * loads with that head zeroed and the segmented region; asking it for the learned
     * region is refused */
    size_t head = 2 * (size_t)c2.hidden + 2, np3 = m2.net.nparams - head;
    mnt_buf legacy = {0};
    without_last_head(&b2, m2.net.nparams, np3, &legacy);
    assert_int_equal(mnt_model_decode(legacy.data, legacy.len, &back2, NULL), 0);
    assert_memory_equal(back2.net.slab, m2.net.slab, np3 * sizeof(float));
    for (size_t i = np3; i < back2.net.nparams; i++) assert_true(back2.net.slab[i] == 0.0f);
    assert_true(back2.region_threshold == 0);
    mnt_model_free(&back2);
    mnt_buf_free(&legacy);
    m2.region_threshold = 0.5;
    assert_int_equal(mnt_model_make_card(&m2, NULL, NULL), 0);
    mnt_buf_free(&b2);
    assert_int_equal(mnt_model_encode(&m2, 0, &b2, NULL), 0);
    assert_int_equal(mnt_model_decode(b2.data, b2.len, &back2, NULL), 0);
    assert_true(fabs(back2.region_threshold - 0.5) < 1e-9);
    mnt_model_free(&back2);
    without_last_head(&b2, m2.net.nparams, np3, &legacy);
    mnt_diag dl = {0};
    assert_int_equal(mnt_model_decode(legacy.data, legacy.len, &back2, &dl), MNT_ERR_FORMAT);
    assert_non_null(strstr(dl.msg, "foreground head"));
    mnt_buf_free(&legacy);
    mnt_buf_free(&b2);
    mnt_model_free(&m2);
}

/* An out-of-range setting is named alone, with its value and range (issue 10 item 10). */
static void validation_names_the_key(void **state)
{
    (void)state;
    mnt_patch_params p;
    mnt_diag d = {0};
    mnt_patch_defaults(&p);
    assert_int_equal(mnt_patch_validate(&p, &d), 0);
    p.noise = 2;
    assert_int_equal(mnt_patch_validate(&p, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "augment.noise: 2 outside"));
    assert_null(strstr(d.msg, "brightness"));
    mnt_patch_defaults(&p);
    p.share_ridge = -1;
    assert_int_equal(mnt_patch_validate(&p, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "sampling.share_ridge: -1 outside"));
    mnt_patch_defaults(&p);
    p.pos_radius = p.neg_radius + 1;
    assert_int_equal(mnt_patch_validate(&p, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "sampling.neg_radius"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validation_names_the_key),
        cmocka_unit_test(extraction_rotates_and_mirrors),
        cmocka_unit_test(pixel_extraction_equals_bilinear),
        cmocka_unit_test(context_window_is_the_pooled_larger_window),
        cmocka_unit_test(orientation_read_where_needed_equals_planes),
        cmocka_unit_test(smoothing_along_ridges_equals_plain_version),
        cmocka_unit_test(sampling_respects_truth),
        cmocka_unit_test(context_patch_set_round_trips),
        cmocka_unit_test(smoothing_along_ridges_removes_noise),
        cmocka_unit_test(model_file_round_trip_and_rejections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
