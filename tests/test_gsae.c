/* The GSAE: BLAS path against the plain-loop reference (with and without k-sparse
 * codes, one and two encoder layers), and finite-difference gradient checks of every
 * term (reconstruction, decay, KL, l2,1 group, heads, k-sparse), including the zero-row
 * subgradient of the group norm on rows that are exactly zero. Comparisons are written
 * so that a NaN fails them. */
#include <math.h>
#include <pthread.h>
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
        bd->lab[3][i] = (int8_t)(i % 3 ? (i % 4 == 0) : -1); /* foreground */
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

/* |a - b| <= tol, false for a NaN on either side */
static int close_to(double a, double b, double tol)
{
    return fabs(a - b) <= tol;
}

/* A batch-and-network edit applied before a check (NULL: none). */
typedef void (*prepare_fn)(mnt_gsae *net, batch_data *bd);

/* Exactly zero rows of H_c under the k-sparse mask (k = H - 2 = 3 of 5 units kept):
 * unit 0 is silent for class 0, unit 2 for class 1, unit 1 for every sample. The code
 * layer's inputs 0 and 1 follow the class (patch pixels 0 and 1 set to +-2, passed on
 * by two saturated first-layer units when there are two layers); units 0 and 2 read
 * only them, unit 1 reads nothing and has a bias of -10. Silent units sit near
 * sigmoid(-8), at least 20 times below every other activation, so the mask drops
 * exactly them and a perturbation of the parameters never changes it. Rows of H_c
 * that are zero: class 0: units 0, 1; class 1: units 1, 2. */
static void silence_units_per_class(mnt_gsae *net, batch_data *bd)
{
    const mnt_gsae_config *c = &net->cfg;
    const int P = mnt_gsae_code_input(c);
    for (int b = 0; b < B; b++) {
        float sign = bd->group[b] == 1 ? 1.0f : -1.0f;
        bd->x[b * D + 0] = 2 * sign;  /* high for class 1 */
        bd->x[b * D + 1] = -2 * sign; /* high for class 0 */
    }
    /* the code layer's input k is high for one class: pixel k, or first-layer unit k */
    float weight = 4, bias = 0;
    if (net->p.w0) {
        for (int k = 0; k < 2; k++) {
            memset(net->p.w0 + (size_t)k * D, 0, D * sizeof(float));
            net->p.w0[(size_t)k * D + k] = 4;
            net->p.b0[k] = 0;
        }
        weight = 16, bias = -8; /* input ~0 or ~1 -> z ~ -8 or +8 */
    }
    const int unit_of_input[2] = {0, 2};
    for (int k = 0; k < 2; k++) {
        float *row = net->p.w1 + (size_t)unit_of_input[k] * P;
        memset(row, 0, P * sizeof(float));
        row[k] = weight;
        net->p.b1[unit_of_input[k]] = bias;
    }
    memset(net->p.w1 + P, 0, P * sizeof(float)); /* unit 1 */
    net->p.b1[1] = -10;
}

static mnt_gsae_config zero_row_config(double w_cls)
{
    return (mnt_gsae_config){D, H, 1e-3, 0, 0.1, 0.5, H - 2, 1.0, w_cls, g_hidden1, g_sigmoid};
}

static void fast_matches_naive_one(mnt_gsae_config c, prepare_fn prepare)
{
    mnt_gsae_terms all = {1, 1, 1};
    mnt_gsae net;
    assert_int_equal(mnt_gsae_new(&net, &c, 5, NULL), 0);
    batch_data bd;
    mnt_gsae_batch b;
    make_batch(&bd, &b, 9);
    if (prepare) prepare(&net, &bd);
    mnt_gsae_work w;
    assert_int_equal(mnt_gsae_work_new(&w, &c, B), 0);
    mnt_gsae_loss lf, ln;
    assert_int_equal(mnt_gsae_forward_backward(&net, &b, &all, &w, &lf), 0);
    float *gn = malloc(net.nparams * sizeof *gn);
    assert_int_equal(mnt_gsae_forward_backward_naive(&net, &b, &all, gn, &ln), 0);
    if (!close_to(lf.total, ln.total, 1e-4 * (1 + fabs(ln.total))))
        fail_msg("k %d hidden1 %d: loss fast %g naive %g", c.k_sparse, c.hidden1, lf.total, ln.total);
    if (!close_to(lf.group, ln.group, 1e-4 * (1 + fabs(ln.group))))
        fail_msg("k %d hidden1 %d: group term fast %g naive %g", c.k_sparse, c.hidden1, lf.group, ln.group);
    const float *gf = net.slab + net.nparams;
    for (size_t i = 0; i < net.nparams; i++)
        if (!close_to(gf[i], gn[i], 1e-4 * (1 + fabsf(gn[i]))))
            fail_msg("k %d hidden1 %d sigmoid %d: param %zu: fast %g naive %g", c.k_sparse, c.hidden1,
                     c.sigmoid_decoder, i, gf[i], gn[i]);
    free(gn);
    mnt_gsae_work_free(&w);
    mnt_gsae_free(&net);
}

static void fast_matches_naive(void **state)
{
    (void)state;
    for (int v = 0; v < 8; v++) {
        g_hidden1 = v & 1 ? 7 : 0; /* a first encoder layer of 7 units */
        g_sigmoid = (v >> 1) & 1;  /* sigmoid decoder */
        int k = v >> 2 ? 3 : 0;    /* k-sparse code: 3 of 5 units kept */
        fast_matches_naive_one(config(1e-2, 0.5, 0.3, k, 1.0), NULL);
    }
    g_hidden1 = g_sigmoid = 0;
}

/* central differences of the naive loss against its analytic gradient */
static void grad_check(mnt_gsae_config c, mnt_gsae_terms terms, const char *what, prepare_fn prepare)
{
    mnt_gsae net;
    assert_int_equal(mnt_gsae_new(&net, &c, 11, NULL), 0);
    batch_data bd;
    mnt_gsae_batch b;
    make_batch(&bd, &b, 21);
    if (prepare) prepare(&net, &bd);
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
        if (!close_to(num, g[i], tol)) fail_msg("%s: param %zu analytic %g numeric %g", what, i, g[i], num);
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
    grad_check(config(0, 0, 0, 0, 0), ae, "reconstruction", NULL);
    grad_check(config(0.05, 0, 0, 0, 0), ae, "weight decay", NULL);
    grad_check(config(0, 0.7, 0, 0, 0), ae, "KL sparsity", NULL);
    grad_check(config(0, 0, 0.5, 0, 0), ae, "group l2,1", NULL);
    grad_check(config(0, 0, 0, 0, 1.0), heads, "heads", NULL);
    grad_check(config(1e-3, 0.3, 0.2, 0, 1.0), joint, "joint fine-tuning", NULL);
    grad_check(config(1e-3, 0, 0.2, 3, 1.0), joint, "k-sparse", NULL);
    g_hidden1 = 7;
    grad_check(config(1e-3, 0.3, 0.2, 0, 1.0), joint, "two encoder layers", NULL);
    grad_check(config(1e-3, 0, 0.2, 3, 1.0), joint, "two layers, k-sparse", NULL);
    g_sigmoid = 1;
    grad_check(config(1e-3, 0.3, 0.2, 0, 1.0), joint, "two layers, sigmoid decoder", NULL);
    g_hidden1 = 0;
    grad_check(config(0, 0, 0, 0, 0), ae, "sigmoid decoder", NULL);
    g_sigmoid = 0;
}

/* Rows of H_c that silence_units_per_class makes zero, by class. */
static int row_is_zero_by_design(int cls, int unit)
{
    return unit == 1 || unit == (cls == 0 ? 0 : 2);
}

/* The codes of the fast forward pass: the designed rows exactly zero, the others not. */
static void assert_zero_rows(const mnt_gsae_work *w, const batch_data *bd)
{
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            float hv = w->h[b * H + j];
            if (row_is_zero_by_design(bd->group[b], j) ? hv != 0.0f : !(hv > 0.0f))
                fail_msg("sample %d (class %d) unit %d: code %g", b, bd->group[b], j, hv);
        }
}

/* Gradient of one batch by the fast path (fast = 1) or the naive reference. */
static void gradient_of(mnt_gsae *net, const mnt_gsae_batch *b, mnt_gsae_work *w, int fast, float *grad)
{
    mnt_gsae_terms ae = {1, 0, 0};
    mnt_gsae_loss l;
    if (fast) {
        assert_int_equal(mnt_gsae_forward_backward(net, b, &ae, w, &l), 0);
        memcpy(grad, net->slab + net->nparams, net->nparams * sizeof *grad);
    } else {
        assert_int_equal(mnt_gsae_forward_backward_naive(net, b, &ae, grad, &l), 0);
    }
}

/* The group term's gradient from class 0 alone: the batch's gradient minus that of the
 * same batch with class 0 left out of the l2,1 term. For class 0's zero rows (units 0
 * and 1) every encoder parameter of the unit must receive exactly 0; its one non-zero
 * row (unit 2) must receive something, or the check could not see a contribution. */
static void class0_group_contribution(mnt_gsae *net, batch_data *bd, const mnt_gsae_batch *b, mnt_gsae_work *w,
                                      int fast)
{
    const int P = mnt_gsae_code_input(&net->cfg);
    float *with = malloc(net->nparams * sizeof *with), *without = malloc(net->nparams * sizeof *without);
    assert_non_null(with);
    assert_non_null(without);
    gradient_of(net, b, w, fast, with);
    int8_t keep[B];
    memcpy(keep, bd->group, sizeof keep);
    for (int i = 0; i < B; i++)
        if (bd->group[i] == 0) bd->group[i] = -1;
    gradient_of(net, b, w, fast, without);
    memcpy(bd->group, keep, sizeof keep);
    mnt_gsae_tensors gw, go;
    mnt_gsae_tensors_at(&net->cfg, with, &gw);
    mnt_gsae_tensors_at(&net->cfg, without, &go);
    for (int unit = 0; unit < 3; unit++) {
        double diff = fabs((double)gw.b1[unit] - go.b1[unit]);
        for (int i = 0; i < P; i++) diff += fabs((double)gw.w1[unit * P + i] - go.w1[unit * P + i]);
        int zero_row = row_is_zero_by_design(0, unit);
        if (zero_row ? !(diff == 0) : !(diff > 0))
            fail_msg("%s path: class 0's group term gives unit %d (row %s) a gradient of size %g", fast ? "fast" : "naive",
                     unit, zero_row ? "zero" : "non-zero", diff);
    }
    free(with);
    free(without);
}

/* The l2,1 subgradient at rows of H_c that are exactly zero (k-sparse masking): 0 for
 * those rows, no NaN from 0/0, and elsewhere the fast path, the naive reference and
 * finite differences agree. */
static void group_term_at_zero_rows(void **state)
{
    (void)state;
    mnt_gsae_terms ae = {1, 0, 0}, joint = {1, 1, 1};
    for (int layers = 1; layers <= 2; layers++) {
        g_hidden1 = layers == 2 ? 7 : 0;
        mnt_gsae_config c = zero_row_config(0);
        mnt_gsae net;
        assert_int_equal(mnt_gsae_new(&net, &c, 11, NULL), 0);
        batch_data bd;
        mnt_gsae_batch b;
        make_batch(&bd, &b, 21);
        silence_units_per_class(&net, &bd);
        mnt_gsae_work w;
        assert_int_equal(mnt_gsae_work_new(&w, &c, B), 0);
        mnt_gsae_loss l;
        assert_int_equal(mnt_gsae_forward_backward(&net, &b, &ae, &w, &l), 0);
        assert_zero_rows(&w, &bd);
        assert_true(l.group > 0);
        /* unit 1 is zero in both classes: its encoder row and bias get exactly 0 */
        const int P = mnt_gsae_code_input(&c);
        for (int fast = 0; fast <= 1; fast++) {
            float *grad = malloc(net.nparams * sizeof *grad);
            assert_non_null(grad);
            gradient_of(&net, &b, &w, fast, grad);
            mnt_gsae_tensors g;
            mnt_gsae_tensors_at(&c, grad, &g);
            if (!(g.b1[1] == 0)) fail_msg("layers %d fast %d: gradient of b1[1] %g", layers, fast, g.b1[1]);
            for (int i = 0; i < P; i++)
                if (!(g.w1[P + i] == 0)) fail_msg("layers %d fast %d: gradient of w1[1][%d] %g", layers, fast, i, g.w1[P + i]);
            free(grad);
            class0_group_contribution(&net, &bd, &b, &w, fast);
        }
        mnt_gsae_work_free(&w);
        mnt_gsae_free(&net);
        fast_matches_naive_one(zero_row_config(1.0), silence_units_per_class);
        grad_check(zero_row_config(0), ae, "group l2,1 at zero rows", silence_units_per_class);
        grad_check(zero_row_config(1.0), joint, "joint, group l2,1 at zero rows", silence_units_per_class);
    }
    g_hidden1 = 0;
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

/* Two shards of one batch in two threads (what two MPI processes do): the sums meet at
 * a barrier and both add shard 0's vector to shard 1's in that order. */
typedef struct {
    pthread_barrier_t bar;
    void *v[2];
    double tmpd[2][4 * H + MNT_GSAE_HEADS + 16];
    float tmpf[2][4096];
} shard_meet;

typedef struct {
    shard_meet *meet;
    int rank, lo, hi;
    const batch_data *bd;
    mnt_gsae net;
    mnt_gsae_loss loss;
    int rc;
} shard_job;

static int meet_sum(shard_job *j, void *v, size_t n, size_t elem)
{
    shard_meet *m = j->meet;
    m->v[j->rank] = v;
    pthread_barrier_wait(&m->bar);
    for (size_t i = 0; i < n; i++) {
        if (elem == sizeof(double)) m->tmpd[j->rank][i] = ((double *)m->v[0])[i] + ((double *)m->v[1])[i];
        else m->tmpf[j->rank][i] = ((float *)m->v[0])[i] + ((float *)m->v[1])[i];
    }
    pthread_barrier_wait(&m->bar);
    memcpy(v, elem == sizeof(double) ? (void *)m->tmpd[j->rank] : (void *)m->tmpf[j->rank], n * elem);
    pthread_barrier_wait(&m->bar);
    return 0;
}

static int sum_d(void *ctx, double *v, size_t n) { return n > 4 * H + MNT_GSAE_HEADS + 16 ? -1 : meet_sum(ctx, v, n, sizeof *v); }
static int sum_f(void *ctx, float *v, size_t n) { return n > 4096 ? -1 : meet_sum(ctx, v, n, sizeof *v); }

static void *shard_main(void *arg)
{
    shard_job *j = arg;
    mnt_gsae_batch b;
    memset(&b, 0, sizeof b);
    b.n = j->hi - j->lo;
    b.x = j->bd->x + (size_t)j->lo * D;
    b.group = j->bd->group + j->lo;
    for (int k = 0; k < MNT_GSAE_HEADS; k++) b.label[k] = j->bd->lab[k] + j->lo;
    mnt_gsae_work w;
    if (mnt_gsae_work_new(&w, &j->net.cfg, B)) {
        j->rc = -1;
        return NULL;
    }
    mnt_gsae_terms all = {1, 1, 1};
    mnt_gsae_shard sh = {B, sum_d, sum_f, j};
    j->rc = mnt_gsae_forward_backward_shard(&j->net, &b, &all, &w, &sh, &j->loss);
    mnt_gsae_work_free(&w);
    return NULL;
}

/* Shards of a batch (2 + 4 samples) give the whole batch's gradient and loss: every
 * batch-level term (KL mean activations, class l2,1 norms, heads' label counts) on the
 * global batch, the decay once. Two layers and one. */
static void shards_equal_the_whole_batch(void **state)
{
    (void)state;
    for (g_hidden1 = 0; g_hidden1 <= 7; g_hidden1 += 7) {
        mnt_gsae_config c = config(1e-2, 0.7, 0.4, 0, 2.0);
        batch_data bd;
        mnt_gsae_batch b;
        make_batch(&bd, &b, 21);
        mnt_gsae whole;
        assert_int_equal(mnt_gsae_new(&whole, &c, 5, NULL), 0);
        assert_true(whole.nparams <= 4096);
        mnt_gsae_work w;
        assert_int_equal(mnt_gsae_work_new(&w, &c, B), 0);
        mnt_gsae_terms all = {1, 1, 1};
        mnt_gsae_loss lw;
        assert_int_equal(mnt_gsae_forward_backward(&whole, &b, &all, &w, &lw), 0);
        shard_meet meet;
        pthread_barrier_init(&meet.bar, NULL, 2);
        shard_job jobs[2];
        memset(jobs, 0, sizeof jobs);
        for (int r = 0; r < 2; r++) {
            jobs[r].meet = &meet;
            jobs[r].rank = r;
            jobs[r].lo = r ? 2 : 0;
            jobs[r].hi = r ? B : 2;
            jobs[r].bd = &bd;
        }
        pthread_t th[2];
        for (int r = 0; r < 2; r++) {
            assert_int_equal(mnt_gsae_new(&jobs[r].net, &c, 5, NULL), 0);
            assert_int_equal(pthread_create(&th[r], NULL, shard_main, &jobs[r]), 0);
        }
        for (int r = 0; r < 2; r++) pthread_join(th[r], NULL);
        pthread_barrier_destroy(&meet.bar);
        const float *gw = whole.slab + whole.nparams;
        double big = 0;
        for (size_t i = 0; i < whole.nparams; i++) big = fmax(big, fabs(gw[i]));
        for (int r = 0; r < 2; r++) {
            assert_int_equal(jobs[r].rc, 0);
            const float *gs = jobs[r].net.slab + jobs[r].net.nparams;
            for (size_t i = 0; i < whole.nparams; i++)
                if (!close_to(gs[i], gw[i], 1e-5 * big)) fail_msg("hidden1 %d shard %d: gradient %zu %g, whole batch %g", g_hidden1, r, i, (double)gs[i], (double)gw[i]);
            if (!close_to(jobs[r].loss.total, lw.total, 1e-6 * fabs(lw.total)) || !close_to(jobs[r].loss.kl, lw.kl, 1e-9) ||
                !close_to(jobs[r].loss.group, lw.group, 1e-9) || !close_to(jobs[r].loss.rec, lw.rec, 1e-6))
                fail_msg("hidden1 %d shard %d: loss %g (kl %g group %g), whole batch %g (kl %g group %g)", g_hidden1, r,
                         jobs[r].loss.total, jobs[r].loss.kl, jobs[r].loss.group, lw.total, lw.kl, lw.group);
            for (int k = 0; k < MNT_GSAE_HEADS; k++) {
                assert_int_equal(jobs[r].loss.counted[k], lw.counted[k]);
                assert_int_equal(jobs[r].loss.correct[k], lw.correct[k]);
            }
            mnt_gsae_free(&jobs[r].net);
        }
        mnt_gsae_work_free(&w);
        mnt_gsae_free(&whole);
    }
    g_hidden1 = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_matches_naive),
        cmocka_unit_test(gradients_match_finite_differences),
        cmocka_unit_test(group_term_at_zero_rows),
        cmocka_unit_test(adam_reduces_loss),
        cmocka_unit_test(shards_equal_the_whole_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
