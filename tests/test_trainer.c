/* The trainer's epochs: a mixture of weighted sources draws each source's share, only
 * training patches, in an order that depends on seed, phase and epoch alone; one source
 * is every training patch once; bad mixtures are refused. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include "patchset_file.h"
#include "test_common.h"
#include "trainer.h"

enum { GRID = 4, BATCH = 16 };

/* Images of `per_image` patches each, appended to s as new source images. */
static void add_images(mnt_patch_set *s, int images, int per_image, mnt_rng *r)
{
    float px[GRID * GRID];
    for (int i = 0; i < images; i++) {
        uint32_t src;
        char name[32];
        snprintf(name, sizeof name, "img%zu.png", s->nsources);
        assert_int_equal(mnt_patch_set_add_source(s, name, &src), 0);
        for (int k = 0; k < per_image; k++) {
            for (int j = 0; j < GRID * GRID; j++) px[j] = (float)mnt_rng_uniform(r);
            mnt_patch meta = {(uint8_t)(k % 2), MNT_TYPE_ENDING, MNT_FRAME_IMAGE, 0, src, 10, 10, MNT_REGION_UNKNOWN};
            assert_int_equal(mnt_patch_set_push(s, px, &meta), 0);
        }
    }
}

/* Source A: 40 images x 5 patches (200), source B: 60 images x 10 patches (600). */
static void two_source_set(mnt_patch_set *s)
{
    mnt_rng r;
    mnt_rng_seed(&r, 7, 1);
    mnt_patch_set_init(s, 8, GRID);
    add_images(s, 40, 5, &r);
    add_images(s, 60, 10, &r);
}

static void net_for(mnt_gsae *net)
{
    mnt_gsae_config c = {GRID * GRID, 4, 1e-4, 0, 0.05, 0, 0, 1, 1, 0, 0};
    assert_int_equal(mnt_gsae_new(net, &c, 1, NULL), 0);
}

static mnt_train_config train_config(void)
{
    mnt_train_config c;
    mnt_train_defaults(&c);
    c.batch = BATCH;
    c.val_share = 0.15;
    c.seed = 3;
    return c;
}

/* 1 for patches held out for validation. */
static uint8_t *validation_marks(const mnt_trainer *t)
{
    uint8_t *is_val = calloc(t->set->n, 1);
    assert_non_null(is_val);
    for (size_t i = 0; i < t->nval; i++) is_val[t->val_idx[i]] = 1;
    return is_val;
}

static void weighted_shares(void **state)
{
    (void)state;
    mnt_patch_set set;
    two_source_set(&set);
    mnt_gsae net;
    net_for(&net);
    mnt_train_config cfg = train_config();
    const mnt_train_source src[2] = {{0, 200, 3.0, "A"}, {200, 600, 1.0, "B"}};
    mnt_trainer t;
    mnt_diag d = {0};
    assert_int_equal(mnt_trainer_new(&t, &set, &cfg, &net, src, 2, &d), 0);
    assert_true(t.nval > 0 && t.src[0].ntrain < 200 && t.src[1].ntrain < 600);
    /* draws per epoch: three quarters from A although A holds a quarter of the patches */
    assert_int_equal(t.src[0].draws + t.src[1].draws, t.ntrain);
    assert_true(fabs((double)t.src[0].draws - 0.75 * (double)t.ntrain) <= 1);
    uint8_t *is_val = validation_marks(&t);
    size_t used = (size_t)mnt_trainer_batches(&t) * BATCH, from_a = 0, total = 0, half_a[2] = {0}, half_n[2] = {0};
    unsigned *times = calloc(set.n, sizeof *times);
    assert_non_null(times);
    for (int epoch = 0; epoch < 6; epoch++) {
        mnt_trainer_shuffle(&t, MNT_PHASE_AE, epoch);
        memset(times, 0, set.n * sizeof *times);
        for (size_t k = 0; k < t.ntrain; k++) {
            size_t i = t.perm[k];
            assert_true(i < set.n);
            if (is_val[i]) fail_msg("epoch %d: validation patch %zu drawn", epoch, i);
            times[i]++;
        }
        for (size_t k = 0; k < used; k++) {
            from_a += t.perm[k] < 200;
            half_a[2 * k >= used] += t.perm[k] < 200;
            half_n[2 * k >= used]++;
        }
        total += used;
        /* A is drawn in whole passes: every training patch of A floor or ceil times;
         * B is subsampled: no patch of B twice */
        unsigned lo = (unsigned)(t.src[0].draws / t.src[0].ntrain);
        for (size_t i = 0; i < set.n; i++) {
            if (is_val[i]) continue;
            if (i < 200 && (times[i] < lo || times[i] > lo + 1)) fail_msg("patch %zu of A drawn %u times", i, times[i]);
            if (i >= 200 && times[i] > 1) fail_msg("patch %zu of B drawn %u times", i, times[i]);
        }
    }
    double share_a = (double)from_a / (double)total;
    if (fabs(share_a - 0.75) > 0.02) fail_msg("share of A %.4f, expected 0.75", share_a);
    /* mixed through the epoch, not one source after the other */
    for (int h = 0; h < 2; h++) {
        double share = (double)half_a[h] / (double)half_n[h];
        if (fabs(share - 0.75) > 0.03) fail_msg("share of A in half %d of the epochs %.4f, expected 0.75", h, share);
    }
    free(times);
    free(is_val);
    mnt_trainer_free(&t);
    mnt_gsae_free(&net);
    mnt_patch_set_free(&set);
}

static void mixture_order_is_a_function_of_phase_and_epoch(void **state)
{
    (void)state;
    mnt_patch_set set;
    two_source_set(&set);
    mnt_gsae net;
    net_for(&net);
    mnt_train_config cfg = train_config();
    const mnt_train_source src[2] = {{0, 200, 1.0, "A"}, {200, 600, 2.0, "B"}};
    mnt_trainer a, b;
    assert_int_equal(mnt_trainer_new(&a, &set, &cfg, &net, src, 2, NULL), 0);
    assert_int_equal(mnt_trainer_new(&b, &set, &cfg, &net, src, 2, NULL), 0);
    size_t bytes = a.ntrain * sizeof *a.perm;
    size_t *first = malloc(bytes);
    assert_non_null(first);
    mnt_trainer_shuffle(&a, MNT_PHASE_FINETUNE, 2);
    memcpy(first, a.perm, bytes);
    /* another trainer (a resumed run) after other epochs: the same order */
    mnt_trainer_shuffle(&b, MNT_PHASE_AE, 0);
    mnt_trainer_shuffle(&b, MNT_PHASE_FINETUNE, 2);
    assert_memory_equal(first, b.perm, bytes);
    mnt_trainer_shuffle(&a, MNT_PHASE_FINETUNE, 3);
    assert_memory_not_equal(first, a.perm, bytes);
    free(first);
    mnt_trainer_free(&a);
    mnt_trainer_free(&b);
    mnt_gsae_free(&net);
    mnt_patch_set_free(&set);
}

/* One source, given or not, whatever its weight: every training patch once, in the
 * order of a trainer without sources, which is the order of earlier versions. */
static void one_source_is_every_patch_once(void **state)
{
    (void)state;
    mnt_patch_set set;
    two_source_set(&set);
    mnt_gsae net;
    net_for(&net);
    mnt_train_config cfg = train_config();
    const mnt_train_source whole = {0, 800, 5.0, "all"};
    mnt_trainer plain, one;
    assert_int_equal(mnt_trainer_new(&plain, &set, &cfg, &net, NULL, 0, NULL), 0);
    assert_int_equal(mnt_trainer_new(&one, &set, &cfg, &net, &whole, 1, NULL), 0);
    mnt_trainer_shuffle(&plain, MNT_PHASE_HEADS, 1);
    mnt_trainer_shuffle(&one, MNT_PHASE_HEADS, 1);
    assert_memory_equal(plain.perm, one.perm, plain.ntrain * sizeof *plain.perm);
    /* the order of the trainer before mixtures existed (pinned), so older recipes
     * still give their models byte for byte */
    const size_t before_mixtures[8] = {283, 494, 243, 394, 599, 512, 225, 575};
    for (int k = 0; k < 8; k++)
        if (plain.perm[k] != before_mixtures[k]) fail_msg("order entry %d: %zu, was %zu", k, (size_t)plain.perm[k], before_mixtures[k]);
    uint8_t *seen = calloc(set.n, 1), *is_val = validation_marks(&plain);
    assert_non_null(seen);
    for (size_t k = 0; k < plain.ntrain; k++) {
        assert_false(seen[plain.perm[k]]);
        assert_false(is_val[plain.perm[k]]);
        seen[plain.perm[k]] = 1;
    }
    free(seen);
    free(is_val);
    mnt_trainer_free(&plain);
    mnt_trainer_free(&one);
    mnt_gsae_free(&net);
    mnt_patch_set_free(&set);
}

/* The first image every one of whose patches is held out, as a patch range. */
static void held_out_image(const mnt_patch_set *set, const mnt_trainer *t, size_t *first, size_t *count)
{
    uint8_t *is_val = validation_marks(t);
    for (size_t i = 0; i < set->n; i++) {
        if (!is_val[i]) continue;
        size_t j = i;
        while (j < set->n && set->p[j].source == set->p[i].source) j++;
        *first = i;
        *count = j - i;
        free(is_val);
        return;
    }
    fail_msg("no image held out");
}

static void bad_mixtures_refused(void **state)
{
    (void)state;
    mnt_patch_set set;
    two_source_set(&set);
    mnt_gsae net;
    net_for(&net);
    mnt_train_config cfg = train_config();
    struct { mnt_train_source src[3]; size_t n; int rc; const char *needle; } bad[] = {
        {{{0, 200, -1, "A"}, {200, 600, 1, "B"}}, 2, MNT_ERR_CONFIG, "training source A: weight -1"},
        {{{0, 200, NAN, "A"}, {200, 600, 1, "B"}}, 2, MNT_ERR_CONFIG, "not a finite number"},
        {{{0, 200, 1, "A"}, {200, 600, INFINITY, "B"}}, 2, MNT_ERR_CONFIG, "not a finite number"},
        {{{0, 200, 0, "A"}, {200, 600, 0, "B"}}, 2, MNT_ERR_CONFIG, "every training source has weight 0"},
        {{{0, 200, 1, "A"}, {300, 500, 1, "B"}}, 2, MNT_ERR_ARG, "do not follow"},
        {{{0, 200, 1, "A"}, {200, 500, 1, "B"}}, 2, MNT_ERR_ARG, "cover 700 of 800"},
        {{{0, 200, 1, "A"}, {200, 700, 1, "B"}}, 2, MNT_ERR_ARG, "do not follow"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mnt_trainer t;
        mnt_diag d = {0};
        int rc = mnt_trainer_new(&t, &set, &cfg, &net, bad[i].src, bad[i].n, &d);
        if (rc != bad[i].rc) fail_msg("mixture %zu: rc %d", i, rc);
        if (!strstr(d.msg, bad[i].needle)) fail_msg("mixture %zu: '%s' lacks '%s'", i, d.msg, bad[i].needle);
    }
    mnt_train_source many[MNT_TRAIN_MAX_SOURCES + 1];
    for (size_t s = 0; s <= MNT_TRAIN_MAX_SOURCES; s++) many[s] = (mnt_train_source){s, s < MNT_TRAIN_MAX_SOURCES ? 1 : 800 - s, 1, "s"};
    mnt_trainer t;
    mnt_diag d = {0};
    assert_int_equal(mnt_trainer_new(&t, &set, &cfg, &net, many, MNT_TRAIN_MAX_SOURCES + 1, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "at most 64"));
    /* a weighted source whose every image is held out has nothing to draw from */
    assert_int_equal(mnt_trainer_new(&t, &set, &cfg, &net, NULL, 0, NULL), 0);
    size_t first = 0, count = 0;
    held_out_image(&set, &t, &first, &count);
    mnt_trainer_free(&t);
    mnt_train_source split[3] = {{0, first, 1, "before"}, {first, count, 1, "held-out"}, {first + count, 800 - first - count, 1, "after"}};
    assert_int_equal(mnt_trainer_new(&t, &set, &cfg, &net, split, 3, &d), MNT_ERR_CONFIG);
    assert_non_null(strstr(d.msg, "training source held-out has weight 1 but no training patches"));
    split[1].weight = 0; /* validation only: fine */
    assert_int_equal(mnt_trainer_new(&t, &set, &cfg, &net, split, 3, &d), 0);
    assert_int_equal(t.src[1].draws, 0);
    mnt_trainer_free(&t);
    mnt_gsae_free(&net);
    mnt_patch_set_free(&set);
}

/* Fine-tuning without the autoencoder's terms (the "no AE" ablation) never moves the
 * decoder, which only the reconstruction reaches; with them it does. */
static void finetune_without_autoencoder_leaves_the_decoder(void **state)
{
    (void)state;
    mnt_patch_set set;
    two_source_set(&set);
    for (int with_ae = 0; with_ae < 2; with_ae++) {
        mnt_gsae net;
        net_for(&net);
        mnt_train_config cfg = train_config();
        cfg.finetune_autoencoder = with_ae;
        mnt_trainer t;
        assert_int_equal(mnt_trainer_new(&t, &set, &cfg, &net, NULL, 0, NULL), 0);
        size_t nd = (size_t)net.cfg.input * net.cfg.hidden;
        float *before = malloc(nd * sizeof *before);
        assert_non_null(before);
        memcpy(before, net.p.w2, nd * sizeof *before);
        mnt_train_metrics m;
        memset(&m, 0, sizeof m);
        mnt_trainer_shuffle(&t, MNT_PHASE_FINETUNE, 0);
        for (long b = 0; b < 5; b++) assert_int_equal(mnt_trainer_step(&t, &net, MNT_PHASE_FINETUNE, b, b, &m), 0);
        int moved = memcmp(before, net.p.w2, nd * sizeof *before) != 0;
        assert_int_equal(moved, with_ae);
        free(before);
        mnt_trainer_free(&t);
        mnt_gsae_free(&net);
    }
    mnt_patch_set_free(&set);
}

/* Unlabelled patches reach the autoencoder only: training the heads on a set of them
 * alone leaves every head exactly where it was. */
static void unlabelled_patches_train_no_head(void **state)
{
    (void)state;
    mnt_patch_set set;
    mnt_rng r;
    mnt_rng_seed(&r, 9, 1);
    mnt_patch_set_init(&set, 8, GRID);
    add_images(&set, 30, 6, &r);
    for (size_t i = 0; i < set.n; i++) set.p[i].cls = MNT_PATCH_UNLABELLED;
    mnt_gsae net;
    net_for(&net);
    mnt_train_config cfg = train_config();
    mnt_trainer t;
    assert_int_equal(mnt_trainer_new(&t, &set, &cfg, &net, NULL, 0, NULL), 0);
    size_t head_floats = (size_t)MNT_GSAE_HEADS * (2 * (size_t)net.cfg.hidden + 2);
    float *before = malloc(head_floats * sizeof *before);
    assert_non_null(before);
    memcpy(before, net.p.wh[0], head_floats * sizeof *before);
    mnt_train_metrics m;
    memset(&m, 0, sizeof m);
    mnt_trainer_shuffle(&t, MNT_PHASE_HEADS, 0);
    for (long b = 0; b < 3; b++) assert_int_equal(mnt_trainer_step(&t, &net, MNT_PHASE_HEADS, b, b, &m), 0);
    assert_memory_equal(before, net.p.wh[0], head_floats * sizeof *before);
    free(before);
    mnt_trainer_free(&t);
    mnt_gsae_free(&net);
    mnt_patch_set_free(&set);
}

/* A set read on demand from its file (two files: the sources numbered on) holds
 * what the set in memory holds, and trains the same split and order. */
static void streamed_set_reads_what_memory_holds(void **state)
{
    (void)state;
    mnt_patch_set set;
    two_source_set(&set);
    /* the file keeps the first 200 patches (source A), the second the rest */
    mnt_patch_set a, b;
    mnt_patch_set_init(&a, 8, GRID);
    mnt_patch_set_init(&b, 8, GRID);
    float px[GRID * GRID];
    for (size_t i = 0; i < set.n; i++) {
        mnt_patch_set *dst = i < 200 ? &a : &b;
        mnt_patch meta = set.p[i];
        uint32_t base = i < 200 ? 0 : 40, idx;
        while (dst->nsources <= meta.source - base) assert_int_equal(mnt_patch_set_add_source(dst, set.sources[dst->nsources + base], &idx), 0);
        meta.source -= base;
        for (int k = 0; k < GRID * GRID; k++) px[k] = set.pool[i * GRID * GRID + (size_t)k] / 255.0f;
        assert_int_equal(mnt_patch_set_push(dst, px, &meta), 0);
    }
    char pa[64], pb[64];
    snprintf(pa, sizeof pa, "/tmp/test_trainer_%d_a.mps", (int)getpid());
    snprintf(pb, sizeof pb, "/tmp/test_trainer_%d_b.mps", (int)getpid());
    assert_int_equal(mnt_patchset_write(pa, &a, NULL), 0);
    assert_int_equal(mnt_patchset_write(pb, &b, NULL), 0);
    const char *paths[2] = {pa, pb};
    mnt_patchset_stream st;
    size_t failed;
    mnt_diag d = {0};
    assert_int_equal(mnt_patchset_stream_open(&st, paths, 2, &failed, &d), 0);
    assert_int_equal(st.n, set.n);
    assert_int_equal(st.nsources, set.nsources);
    mnt_patch meta;
    uint8_t pix[GRID * GRID];
    for (size_t i = 0; i < set.n; i++) {
        assert_int_equal(mnt_patchset_stream_read(&st, i, 1, &meta, pix), 0);
        assert_int_equal(meta.source, set.p[i].source);
        assert_int_equal(meta.cls, set.p[i].cls);
        assert_memory_equal(pix, set.pool + i * GRID * GRID, GRID * GRID);
    }
    assert_int_equal(mnt_patchset_stream_read(&st, set.n - 1, 2, &meta, pix), MNT_ERR_ARG);
    /* the same trainer either way */
    mnt_gsae net;
    net_for(&net);
    mnt_train_config cfg = train_config();
    mnt_patch_reader rd = {st.n, st.nsources, st.grid, st.context, mnt_patchset_stream_read, &st};
    mnt_trainer mem, disk;
    assert_int_equal(mnt_trainer_new(&mem, &set, &cfg, &net, NULL, 0, NULL), 0);
    assert_int_equal(mnt_trainer_new_reader(&disk, &rd, &cfg, &net, NULL, 0, NULL), 0);
    assert_int_equal(mem.ntrain, disk.ntrain);
    assert_memory_equal(mem.train_idx, disk.train_idx, mem.ntrain * sizeof *mem.train_idx);
    mnt_trainer_shuffle(&mem, MNT_PHASE_AE, 1);
    mnt_trainer_shuffle(&disk, MNT_PHASE_AE, 1);
    assert_memory_equal(mem.perm, disk.perm, mem.ntrain * sizeof *mem.perm);
    mnt_trainer_free(&mem);
    mnt_trainer_free(&disk);
    mnt_patchset_stream_close(&st);
    /* a file cut short is refused when opened */
    assert_int_equal(truncate(pb, 300), 0);
    assert_int_not_equal(mnt_patchset_stream_open(&st, paths, 2, &failed, &d), 0);
    assert_int_equal(failed, 1);
    unlink(pa);
    unlink(pb);
    mnt_gsae_free(&net);
    mnt_patch_set_free(&a);
    mnt_patch_set_free(&b);
    mnt_patch_set_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weighted_shares),
        cmocka_unit_test(mixture_order_is_a_function_of_phase_and_epoch),
        cmocka_unit_test(one_source_is_every_patch_once),
        cmocka_unit_test(finetune_without_autoencoder_leaves_the_decoder),
        cmocka_unit_test(unlabelled_patches_train_no_head),
        cmocka_unit_test(bad_mixtures_refused),
        cmocka_unit_test(streamed_set_reads_what_memory_holds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
