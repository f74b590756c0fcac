/* The GSAE: BLAS path against the plain-loop reference, and finite-difference
 * gradient checks of every term (reconstruction, decay, KL, l2,1 group, heads,
 * k-sparse), including the zero-row subgradient of the group norm. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gsae.h"
#include "rng.h"
#include "test_common.h"

enum { B = 6, D = 12, H = 5 };

typedef struct {
    float x[B * D];
    int8_t lab[MNT_GSAE_HEADS][B], group[B];
} batch_data;

static void make_batch(batch_data *bd, mnt_gsae_batch *b, uint64_t seed)
{
    mnt_rng r;
    mnt_rng_seed(&r, seed, 3);
    for (int i = 0; i < B * D; i++) bd->x[i] = (float)mnt_rng_normal(&r);
    for (int i = 0; i < B; i++) {
        bd->group[i] = (int8_t)(i % 2);
        bd->lab[0][i] = (int8_t)(i % 2);
        bd->lab[1][i] = (int8_t)(i % 2 ? (i % 3 == 0) : -1);
        bd->lab[2][i] = (int8_t)(i % 2 ? (i / 2) % 2 : -1);
    }
    memset(b, 0, sizeof *b);
    b->n = B;
    b->x = bd->x;
    b->group = bd->group;
    for (int k = 0; k < MNT_GSAE_HEADS; k++) b->label[k] = bd->lab[k];
}

static int g_hidden1, g_sigmoid; /* architecture variant of config() */

static mnt_gsae_config config(double lambda, double beta, double lambda_g, int k, double w_cls)
{
    mnt_gsae_config c = {D, H, lambda, beta, 0.1, lambda_g, k, 1.0, w_cls, g_hidden1, g_sigmoid};
    return c;
}

static void fast_matches_naive_one(void)
{
    mnt_gsae_terms all = {1, 1, 1};
    mnt_gsae_config c = config(1e-2, 0.5, 0.3, 0, 1.0);
    mnt_gsae net;
    assert_int_equal(mnt_gsae_new(&net, &c, 5, NULL), 0);
    batch_data bd;
    mnt_gsae_batch b;
    make_batch(&bd, &b, 9);
    mnt_gsae_work w;
    assert_int_equal(mnt_gsae_work_new(&w, &c, B), 0);
    mnt_gsae_loss lf, ln;
    assert_int_equal(mnt_gsae_forward_backward(&net, &b, &all, &w, &lf), 0);
    float *gn = malloc(net.nparams * sizeof *gn);
    assert_int_equal(mnt_gsae_forward_backward_naive(&net, &b, &all, gn, &ln), 0);
    assert_true(fabs(lf.total - ln.total) < 1e-4 * (1 + fabs(ln.total)));
    const float *gf = net.slab + net.nparams;
    for (size_t i = 0; i < net.nparams; i++)
        if (fabsf(gf[i] - gn[i]) > 1e-4f * (1 + fabsf(gn[i]))) fail_msg("param %zu: fast %g naive %g", i, gf[i], gn[i]);
    free(gn);
    mnt_gsae_work_free(&w);
    mnt_gsae_free(&net);
}

static void fast_matches_naive(void **state)
{
    (void)state;
    for (int v = 0; v < 4; v++) {
        g_hidden1 = v & 1 ? 7 : 0; /* a first encoder layer of 7 units */
        g_sigmoid = v >> 1;        /* sigmoid decoder */
        fast_matches_naive_one();
    }
    g_hidden1 = g_sigmoid = 0;
}

/* central differences of the naive loss against its analytic gradient */
static void grad_check(mnt_gsae_config c, mnt_gsae_terms terms, const char *what, int zero_rows)
{
    mnt_gsae net;
    assert_int_equal(mnt_gsae_new(&net, &c, 11, NULL), 0);
    batch_data bd;
    mnt_gsae_batch b;
    make_batch(&bd, &b, 21);
    if (zero_rows) /* unit 0 silent for every sample: its l2,1 rows are zero */
        for (int i = 0; i < D; i++) net.p.w1[i] = 0, net.p.b1[0] = -60;
    float *g = malloc(net.nparams * sizeof *g), *dummy = malloc(net.nparams * sizeof *dummy);
    mnt_gsae_loss l;
    assert_int_equal(mnt_gsae_forward_backward_naive(&net, &b, &terms, g, &l), 0);
    float *params = net.slab;
    int checked = 0;
    for (size_t i = 0; i < net.nparams; i += 1 + i % 3) {
        float keep = params[i];
        double eps = 1e-3 * (1 + fabs(keep));
        mnt_gsae_loss lp, lm;
        params[i] = (float)(keep + eps);
        mnt_gsae_forward_backward_naive(&net, &b, &terms, dummy, &lp);
        params[i] = (float)(keep - eps);
        mnt_gsae_forward_backward_naive(&net, &b, &terms, dummy, &lm);
        params[i] = keep;
        double num = (lp.total - lm.total) / ((double)(float)(keep + eps) - (double)(float)(keep - eps));
        double tol = 2e-3 + 2e-2 * fabs(num);
        if (fabs(num - g[i]) > tol) fail_msg("%s: param %zu analytic %g numeric %g", what, i, g[i], num);
        checked++;
    }
    assert_true(checked > 50);
    free(g);
    free(dummy);
    mnt_gsae_free(&net);
}

static void gradients_match_finite_differences(void **state)
{
    (void)state;
    mnt_gsae_terms ae = {1, 0, 0}, heads = {0, 1, 1}, joint = {1, 1, 1};
    grad_check(config(0, 0, 0, 0, 0), ae, "reconstruction", 0);
    grad_check(config(0.05, 0, 0, 0, 0), ae, "weight decay", 0);
    grad_check(config(0, 0.7, 0, 0, 0), ae, "KL sparsity", 0);
    grad_check(config(0, 0, 0.5, 0, 0), ae, "group l2,1", 0);
    grad_check(config(0, 0, 0.5, 0, 0), ae, "group l2,1 with zero rows", 1);
    grad_check(config(0, 0, 0, 0, 1.0), heads, "heads", 0);
    grad_check(config(1e-3, 0.3, 0.2, 0, 1.0), joint, "joint fine-tuning", 0);
    grad_check(config(1e-3, 0, 0.2, 3, 1.0), joint, "k-sparse", 0);
    g_hidden1 = 7;
    grad_check(config(1e-3, 0.3, 0.2, 0, 1.0), joint, "two encoder layers", 0);
    g_sigmoid = 1;
    grad_check(config(1e-3, 0.3, 0.2, 0, 1.0), joint, "two layers, sigmoid decoder", 0);
    g_hidden1 = 0;
    grad_check(config(0, 0, 0, 0, 0), ae, "sigmoid decoder", 0);
    g_sigmoid = 0;
}

static void adam_reduces_loss(void **state)
{
    (void)state;
    mnt_gsae_config c = config(1e-4, 0.1, 0.05, 0, 1.0);
    mnt_gsae net;
    assert_int_equal(mnt_gsae_new(&net, &c, 1, NULL), 0);
    batch_data bd;
    mnt_gsae_batch b;
    make_batch(&bd, &b, 2);
    mnt_gsae_work w;
    assert_int_equal(mnt_gsae_work_new(&w, &c, B), 0);
    mnt_gsae_terms all = {1, 1, 1};
    mnt_gsae_loss first, l;
    mnt_gsae_forward_backward(&net, &b, &all, &w, &first);
    for (int it = 0; it < 300; it++) {
        mnt_gsae_forward_backward(&net, &b, &all, &w, &l);
        mnt_gsae_adam(&net, 0.01, 1.0);
    }
    assert_true(l.total < 0.5 * first.total);
    /* frozen encoder: Adam leaves W1..b2 alone */
    float w1 = net.p.w1[0], wh = net.p.wh[0][0];
    mnt_gsae_forward_backward(&net, &b, &all, &w, &l);
    mnt_gsae_adam(&net, 0.01, 0.0);
    assert_true(net.p.w1[0] == w1);
    assert_true(net.p.wh[0][0] != wh);
    mnt_gsae_work_free(&w);
    mnt_gsae_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_matches_naive),
        cmocka_unit_test(gradients_match_finite_differences),
        cmocka_unit_test(adam_reduces_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
