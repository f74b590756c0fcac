/* Substrates and blotches: each texture is zero-mean with about the asked strength,
 * seeded, and periodic where it should be; blotches stay within their opacity and grey
 * ranges and compose over each other. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latent_substrate.h"
#include "test_common.h"

enum { W = 240, H = 200 };

static void stats(const float *t, double *mean, double *sd)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < W * H; i++) s += t[i], s2 += (double)t[i] * t[i];
    *mean = s / (W * H);
    *sd = sqrt(s2 / (W * H) - *mean * *mean);
}

/* Strongest 2-D autocorrelation at a shift of 3..30 px, relative to the variance
 * (pixels sampled every second row and column). */
static double best_autocorrelation(const float *t)
{
    double best = 0, var = 0;
    for (int y = 30; y < H - 30; y += 2)
        for (int x = 30; x < W - 30; x += 2) var += (double)t[y * W + x] * t[y * W + x];
    for (int dy = 0; dy <= 30; dy++)
        for (int dx = -30; dx <= 30; dx++) {
            if (dx * dx + dy * dy < 9 || dx * dx + dy * dy > 900) continue;
            double acc = 0;
            for (int y = 30; y < H - 30; y += 2)
                for (int x = 30; x < W - 30; x += 2) acc += (double)t[y * W + x] * t[(y + dy) * W + x + dx];
            best = fmax(best, acc / var);
        }
    return best;
}

static void textures_have_their_strength(void **state)
{
    (void)state;
    float *a = malloc(sizeof(float) * W * H), *b = malloc(sizeof(float) * W * H);
    assert_non_null(a);
    assert_non_null(b);
    for (int kind = 0; kind < 3; kind++)
        for (int seed = 1; seed <= 4; seed++) {
            mnt_rng r;
            memset(a, 0, sizeof(float) * W * H);
            mnt_rng_seed(&r, (uint64_t)seed, 7);
            assert_int_equal(mnt_substrate_add((mnt_substrate_kind)kind, a, W, H, 0.05, &r), 0);
            double mean, sd;
            stats(a, &mean, &sd);
            if (!(sd > 0.025 && sd < 0.08)) fail_msg("kind %d seed %d: sd %.4f for strength 0.05", kind, seed, sd);
            if (fabs(mean) > 0.02) fail_msg("kind %d seed %d: mean %.4f", kind, seed, mean);
            /* woven and grating repeat; fibre grain does not */
            double ac = best_autocorrelation(a);
            if (kind != MNT_SUBSTRATE_FIBRE && ac < 0.6) fail_msg("kind %d seed %d: not periodic (%.2f)", kind, seed, ac);
            if (kind == MNT_SUBSTRATE_FIBRE && ac > 0.3) fail_msg("fibre seed %d: periodic (%.2f)", seed, ac);
            /* the same generator state gives the same texture, another one another */
            memset(b, 0, sizeof(float) * W * H);
            mnt_rng_seed(&r, (uint64_t)seed, 7);
            assert_int_equal(mnt_substrate_add((mnt_substrate_kind)kind, b, W, H, 0.05, &r), 0);
            assert_memory_equal(a, b, sizeof(float) * W * H);
            memset(b, 0, sizeof(float) * W * H);
            mnt_rng_seed(&r, (uint64_t)seed + 100, 7);
            assert_int_equal(mnt_substrate_add((mnt_substrate_kind)kind, b, W, H, 0.05, &r), 0);
            assert_true(memcmp(a, b, sizeof(float) * W * H) != 0);
        }
    free(a);
    free(b);
}

static void blotches_compose(void **state)
{
    (void)state;
    float *op = calloc(W * H, sizeof(float)), *col = calloc(W * H, sizeof(float));
    assert_non_null(op);
    assert_non_null(col);
    mnt_rng r;
    mnt_rng_seed(&r, 3, 3);
    assert_int_equal(mnt_blotches_add(op, col, W, H, 0, &r), 0);
    for (int i = 0; i < W * H; i++) assert_true(op[i] == 0);
    assert_int_equal(mnt_blotches_add(op, col, W, H, 6, &r), 0);
    int covered = 0, opaque = 0;
    for (int i = 0; i < W * H; i++) {
        assert_true(op[i] >= 0 && op[i] <= 1);
        if (op[i] > 0) {
            covered++;
            assert_true(col[i] >= 0.05f - 1e-6f && col[i] <= 0.45f + 1e-6f);
        }
        opaque += op[i] > 0.69f;
    }
    assert_true(covered > 500);
    assert_true(opaque > 0);
    /* more blotches only ever cover more */
    float *before = malloc(sizeof(float) * W * H);
    assert_non_null(before);
    memcpy(before, op, sizeof(float) * W * H);
    assert_int_equal(mnt_blotches_add(op, col, W, H, 4, &r), 0);
    for (int i = 0; i < W * H; i++) assert_true(op[i] >= before[i] - 1e-6f);
    free(before);
    free(op);
    free(col);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(textures_have_their_strength),
        cmocka_unit_test(blotches_compose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
