#include "gsae.h"
#include "vecmath.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

int mnt_gsae_code_input(const mnt_gsae_config *c)
{
    return c->hidden1 > 0 ? c->hidden1 : c->input;
}

size_t mnt_gsae_param_count(const mnt_gsae_config *c)
{
    size_t D = (size_t)c->input, H = (size_t)c->hidden, H1 = (size_t)(c->hidden1 > 0 ? c->hidden1 : 0);
    size_t P = (size_t)mnt_gsae_code_input(c);
    return H1 * D + H1 + H * P + H + D * H + D + MNT_GSAE_HEADS * (2 * H + 2);
}

void mnt_gsae_tensors_at(const mnt_gsae_config *c, float *base, mnt_gsae_tensors *t)
{
    size_t D = (size_t)c->input, H = (size_t)c->hidden, H1 = (size_t)(c->hidden1 > 0 ? c->hidden1 : 0);
    size_t P = (size_t)mnt_gsae_code_input(c);
    t->w0 = H1 ? base : NULL;          /* H1 x D */
    t->b0 = H1 ? base + H1 * D : NULL; /* H1 */
    t->w1 = base + H1 * D + H1;        /* H x P */
    t->b1 = t->w1 + H * P;             /* H */
    t->w2 = t->b1 + H;       /* D x H */
    t->b2 = t->w2 + D * H;   /* D */
    float *p = t->b2 + D;
    for (int k = 0; k < MNT_GSAE_HEADS; k++) {
        t->wh[k] = p;        /* 2 x H */
        t->bh[k] = p + 2 * H;/* 2 */
        p += 2 * H + 2;
    }
}

int mnt_gsae_new(mnt_gsae *net, const mnt_gsae_config *c, uint64_t seed, mnt_diag *d)
{
    memset(net, 0, sizeof *net);
    if (c->input < 4 || c->input > 65536 || c->hidden < 2 || c->hidden > 8192)
        return mnt_fail(d, MNT_ERR_CONFIG, "network size %d -> %d outside 4..65536 -> 2..8192", c->input, c->hidden);
    if (c->hidden1 < 0 || c->hidden1 > 8192 || (c->hidden1 > 0 && c->hidden1 < 2))
        return mnt_fail(d, MNT_ERR_CONFIG, "hidden1 %d outside 0 or 2..8192", c->hidden1);
    if (c->sigmoid_decoder != 0 && c->sigmoid_decoder != 1)
        return mnt_fail(d, MNT_ERR_CONFIG, "decoder must be linear or sigmoid");
    if (c->k_sparse < 0 || c->k_sparse > c->hidden)
        return mnt_fail(d, MNT_ERR_CONFIG, "k_sparse %d outside 0..hidden", c->k_sparse);
    if (!(c->rho > 0 && c->rho < 1)) return mnt_fail(d, MNT_ERR_CONFIG, "rho %g outside (0, 1)", c->rho);
    net->cfg = *c;
    net->nparams = mnt_gsae_param_count(c);
    net->slab = calloc(4 * net->nparams, sizeof(float));
    if (!net->slab) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for %zu parameters", net->nparams);
    mnt_gsae_tensors_at(c, net->slab, &net->p);
    mnt_gsae_tensors_at(c, net->slab + net->nparams, &net->g);
    net->m = net->slab + 2 * net->nparams;
    net->v = net->slab + 3 * net->nparams;
    /* Glorot-uniform weights, zero biases */
    mnt_rng r;
    mnt_rng_seed(&r, seed, 0x6EAE);
    size_t D = (size_t)c->input, H = (size_t)c->hidden, P = (size_t)mnt_gsae_code_input(c);
    if (net->p.w0) {
        size_t H1 = (size_t)c->hidden1;
        double a0 = sqrt(6.0 / (double)(D + H1));
        for (size_t i = 0; i < H1 * D; i++) net->p.w0[i] = (float)mnt_rng_range(&r, -a0, a0);
    }
    double a1 = sqrt(6.0 / (double)(P + H)), a2 = sqrt(6.0 / (double)(D + H));
    for (size_t i = 0; i < H * P; i++) net->p.w1[i] = (float)mnt_rng_range(&r, -a1, a1);
    for (size_t i = 0; i < D * H; i++) net->p.w2[i] = (float)mnt_rng_range(&r, -a2, a2);
    double ah = sqrt(6.0 / (double)(H + 2));
    for (int k = 0; k < MNT_GSAE_HEADS; k++)
        for (size_t i = 0; i < 2 * H; i++) net->p.wh[k][i] = (float)mnt_rng_range(&r, -ah, ah);
    return MNT_OK;
}

void mnt_gsae_free(mnt_gsae *net)
{
    if (!net) return;
    free(net->slab);
    memset(net, 0, sizeof *net);
}

int mnt_gsae_work_new(mnt_gsae_work *w, const mnt_gsae_config *c, int batch)
{
    memset(w, 0, sizeof *w);
    size_t B = (size_t)batch, D = (size_t)c->input, H = (size_t)c->hidden;
    w->cap = batch;
    w->h = malloc(B * H * sizeof(float));
    w->dh = malloc(B * H * sizeof(float));
    w->mask = malloc(B * H * sizeof(float));
    w->xr = malloc(B * D * sizeof(float));
    w->dxr = malloc(B * D * sizeof(float));
    w->logits = malloc(B * 2 * MNT_GSAE_HEADS * sizeof(float));
    w->colsum = malloc((3 * H + MNT_GSAE_HEADS) * sizeof(double));
    w->colgrad = malloc(H * sizeof(float));
    size_t H1 = (size_t)(c->hidden1 > 0 ? c->hidden1 : 1);
    w->a0 = malloc(B * H1 * sizeof(float));
    w->da0 = malloc(B * H1 * sizeof(float));
    w->dlogits = malloc(B * 2 * MNT_GSAE_HEADS * sizeof(float));
    if (!w->h || !w->dh || !w->mask || !w->xr || !w->dxr || !w->logits || !w->dlogits || !w->colsum || !w->colgrad ||
        !w->a0 || !w->da0) {
        mnt_gsae_work_free(w);
        return MNT_ERR_NOMEM;
    }
    return MNT_OK;
}

void mnt_gsae_work_free(mnt_gsae_work *w)
{
    free(w->h);
    free(w->dh);
    free(w->mask);
    free(w->xr);
    free(w->dxr);
    free(w->logits);
    free(w->dlogits);
    free(w->colsum);
    free(w->colgrad);
    free(w->a0);
    free(w->da0);
    memset(w, 0, sizeof *w);
}

static float sigmoidf(float z)
{
    return 1.0f / (1.0f + expf(-z));
}

/* Keeps the k largest entries of each row (mask 1), others 0. */
static void k_sparse_mask(const float *h, int n, int H, int k, float *mask)
{
    for (int b = 0; b < n; b++) {
        const float *row = h + (size_t)b * H;
        float *mr = mask + (size_t)b * H;
        if (k <= 0 || k >= H) {
            for (int j = 0; j < H; j++) mr[j] = 1;
            continue;
        }
        /* the k largest by repeated selection (k and H are small) */
        for (int j = 0; j < H; j++) mr[j] = 0;
        for (int t = 0; t < k; t++) {
            int best = -1;
            for (int j = 0; j < H; j++)
                if (mr[j] == 0.0f && (best < 0 || row[j] > row[best])) best = j;
            mr[best] = 1;
        }
    }
}

/* a (n x H1) = sigmoid(x W0^T + b0) */
static void first_layer(const mnt_gsae *net, const float *x, int n, float *a)
{
    int D = net->cfg.input, H1 = net->cfg.hidden1;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H1, D, 1.0f, x, D, net->p.w0, D, 0.0f, a, H1);
    for (int b = 0; b < n; b++)
        for (int j = 0; j < H1; j++) a[b * H1 + j] = 1.0f / (1.0f + expf(-(a[b * H1 + j] + net->p.b0[j])));
}

int mnt_gsae_encode(const mnt_gsae *net, const float *x, int n, float *codes)
{
    int H = net->cfg.hidden, P = mnt_gsae_code_input(&net->cfg), D = net->cfg.input;
    float *a = NULL;
    if (net->p.w0) {
        a = malloc((size_t)n * P * sizeof *a);
        if (!a) return MNT_ERR_NOMEM;
        /* a (n x H1) = sigmoid(x (n x D) W0^T + b0) */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, P, D, 1.0f, x, D, net->p.w0, D, 0.0f, a, P);
        mnt_sigmoid_rows(a, net->p.b0, n, P);
        x = a;
    }
    /* codes (n x H) = x (n x P) W1^T */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H, P, 1.0f, x, P, net->p.w1, P, 0.0f, codes, H);
    free(a);
    mnt_sigmoid_rows(codes, net->p.b1, n, H);
    int k = net->cfg.k_sparse ? (int)lround(net->cfg.k_alpha * net->cfg.k_sparse) : 0;
    if (k > 0 && k < H) {
        float *mask = malloc((size_t)H * sizeof *mask);
        if (!mask) return MNT_ERR_NOMEM;
        for (int b = 0; b < n; b++) {
            float *row = codes + (size_t)b * H;
            k_sparse_mask(row, 1, H, k, mask);
            for (int j = 0; j < H; j++) row[j] *= mask[j];
        }
        free(mask);
    }
    return MNT_OK;
}

void mnt_gsae_heads(const mnt_gsae *net, const float *codes, int n, int head, float *prob)
{
    int H = net->cfg.hidden;
    const float *W = net->p.wh[head], *bb = net->p.bh[head];
    for (int b = 0; b < n; b++) {
        const float *h = codes + (size_t)b * H;
        float z0 = bb[0], z1 = bb[1];
        for (int j = 0; j < H; j++) {
            z0 += W[j] * h[j];
            z1 += W[H + j] * h[j];
        }
        float m = z0 > z1 ? z0 : z1, e0 = expf(z0 - m), e1 = expf(z1 - m);
        prob[2 * b] = e0 / (e0 + e1);
        prob[2 * b + 1] = e1 / (e0 + e1);
    }
}

int mnt_gsae_forward_backward(mnt_gsae *net, const mnt_gsae_batch *bt, const mnt_gsae_terms *terms,
                              mnt_gsae_work *w, mnt_gsae_loss *loss)
{
    return mnt_gsae_forward_backward_shard(net, bt, terms, w, NULL, loss);
}

int mnt_gsae_forward_backward_shard(mnt_gsae *net, const mnt_gsae_batch *bt, const mnt_gsae_terms *terms,
                                    mnt_gsae_work *w, const mnt_gsae_shard *shard, mnt_gsae_loss *loss)
{
    const mnt_gsae_config *c = &net->cfg;
    const int B = bt->n, D = c->input, H = c->hidden, P = mnt_gsae_code_input(c), H1 = c->hidden1;
    /* N: the global batch, the normaliser of every mean */
    const int N = shard ? shard->total : B;
    if (B < 1 || B > w->cap || N < B) return MNT_ERR_ARG;
    memset(loss, 0, sizeof *loss);
    /* zero the gradients the products below do not overwrite (beta = 0 writes W1, W2) */
    {
        float *g = net->slab + net->nparams;
        size_t HD = (size_t)H * D, HP = (size_t)H * P;
        int w1_written = terms->autoencoder || terms->through_encoder, w2_written = terms->autoencoder;
        if (net->g.w0) {
            if (!w1_written) memset(net->g.w0, 0, (size_t)H1 * D * sizeof(float));
            memset(net->g.b0, 0, (size_t)H1 * sizeof(float));
        }
        if (!w1_written) memset(net->g.w1, 0, HP * sizeof(float));
        memset(net->g.b1, 0, (size_t)H * sizeof(float));
        if (!w2_written) memset(net->g.w2, 0, HD * sizeof(float));
        memset(net->g.b2, 0, (net->nparams - (size_t)(net->g.b2 - g)) * sizeof(float));
    }
    const float *X = bt->x;
    float *h = w->h, *dh = w->dh;
    /* A: the code layer's input, the patches or the first layer's output */
    const float *A = X;
    if (net->p.w0) {
        first_layer(net, X, B, w->a0);
        A = w->a0;
    }

    /* code: h (B x H) = sigmoid(A W1^T + b1), k-sparse mask in training */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, H, P, 1.0f, A, P, net->p.w1, P, 0.0f, h, H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) h[b * H + j] = sigmoidf(h[b * H + j] + net->p.b1[j]);
    const int sparse = c->k_sparse > 0 && c->k_sparse < H;
    if (sparse) {
        k_sparse_mask(h, B, H, c->k_sparse, w->mask);
        for (size_t i = 0; i < (size_t)B * H; i++) h[i] *= w->mask[i];
    }
    memset(dh, 0, (size_t)B * H * sizeof(float));

    /* batch statistics, over the global batch: column sums of the code (KL, in row
     * order: cache-friendly), each class's column sums of squares (l2,1), labelled
     * samples per head */
    const int want_kl = terms->autoencoder && c->beta > 0, want_group = terms->autoencoder && c->lambda_g > 0 && bt->group;
    double *rh = w->colsum, *s2c[2] = {w->colsum + H, w->colsum + 2 * (size_t)H}, *nlab = w->colsum + 3 * (size_t)H;
    memset(w->colsum, 0, (3 * (size_t)H + MNT_GSAE_HEADS) * sizeof *w->colsum);
    if (want_kl)
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) rh[j] += h[b * H + j];
    if (want_group)
        for (int cls = 0; cls < 2; cls++)
            for (int b = 0; b < B; b++)
                if (bt->group[b] == cls)
                    for (int j = 0; j < H; j++) s2c[cls][j] += (double)h[b * H + j] * h[b * H + j];
    if (terms->heads)
        for (int k = 0; k < MNT_GSAE_HEADS; k++)
            if (bt->label[k])
                for (int b = 0; b < B; b++) nlab[k] += bt->label[k][b] >= 0;
    if (shard) {
        int rc = shard->sum_f64(shard->ctx, w->colsum, 3 * (size_t)H + MNT_GSAE_HEADS);
        if (rc) return rc;
    }
    /* this shard's sums of the losses: reconstruction, heads' cross-entropies, correct */
    double part[1 + 2 * MNT_GSAE_HEADS] = {0};

    if (terms->autoencoder) {
        /* decoder: xr (B x D) = h W2^T + b2 */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, D, H, 1.0f, h, H, net->p.w2, H, 0.0f, w->xr, D);
        double rec = 0;
        for (int b = 0; b < B; b++)
            for (int i = 0; i < D; i++) {
                float out = w->xr[b * D + i] + net->p.b2[i], target = X[b * D + i], slope = 1.0f;
                if (c->sigmoid_decoder) {
                    out = 1.0f / (1.0f + expf(-out));
                    target = (target + 3.0f) / 6.0f;
                    target = target < 0.01f ? 0.01f : target > 0.99f ? 0.99f : target;
                    slope = out * (1 - out);
                }
                float diff = out - target;
                rec += (double)diff * diff;
                w->dxr[b * D + i] = diff * slope / (float)N;
                net->g.b2[i] += diff * slope / (float)N;
            }
        part[0] = rec;
        /* dW2 (D x H) = dxr^T h ; dh += dxr W2 */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, B, 1.0f, w->dxr, D, h, H, 0.0f, net->g.w2, H);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, D, 1.0f, w->dxr, D, net->p.w2, H, 1.0f, dh, H);
        /* weight decay (its gradient is added after the shards' gradients are summed) */
        float wd0 = net->p.w0 ? cblas_sdot(H1 * D, net->p.w0, 1, net->p.w0, 1) : 0.0f;
        float wd1 = cblas_sdot(H * P, net->p.w1, 1, net->p.w1, 1), wd2 = cblas_sdot(H * D, net->p.w2, 1, net->p.w2, 1);
        loss->decay = 0.5 * c->lambda * ((double)wd0 + wd1 + wd2);
        /* KL sparsity on the mean activations */
        if (want_kl) {
            float *gk = w->colgrad;
            for (int j = 0; j < H; j++) {
                double r = rh[j] / N;
                r = r < 1e-6 ? 1e-6 : r > 1 - 1e-6 ? 1 - 1e-6 : r;
                loss->kl += c->beta * (c->rho * log(c->rho / r) + (1 - c->rho) * log((1 - c->rho) / (1 - r)));
                gk[j] = (float)(c->beta * (-c->rho / r + (1 - c->rho) / (1 - r)) / N);
            }
            for (int b = 0; b < B; b++)
                for (int j = 0; j < H; j++) dh[b * H + j] += gk[j];
        }
        /* group sparsity: l2,1 norm of each class's codes; subgradient 0 at a zero row */
        if (want_group)
            for (int cls = 0; cls < 2; cls++) {
                const double *s2 = s2c[cls];
                float *scale = w->colgrad;
                for (int j = 0; j < H; j++) {
                    double nrm = sqrt(s2[j]);
                    loss->group += c->lambda_g * nrm / N;
                    scale[j] = nrm > 0 ? (float)(c->lambda_g / N / nrm) : 0.0f;
                }
                for (int b = 0; b < B; b++)
                    if (bt->group[b] == cls)
                        for (int j = 0; j < H; j++) dh[b * H + j] += scale[j] * h[b * H + j];
            }
    }

    if (terms->heads)
        for (int k = 0; k < MNT_GSAE_HEADS; k++) {
            const int8_t *lab = bt->label[k];
            int nl = (int)nlab[k];
            if (!lab || !nl) continue;
            const float *W = net->p.wh[k], *bb = net->p.bh[k];
            float *gW = net->g.wh[k], *gb = net->g.bh[k];
            double ce = 0;
            int correct = 0;
            for (int b = 0; b < B; b++) {
                if (lab[b] < 0) continue;
                const float *hb = h + (size_t)b * H;
                float z[2] = {bb[0], bb[1]};
                for (int j = 0; j < H; j++) {
                    z[0] += W[j] * hb[j];
                    z[1] += W[H + j] * hb[j];
                }
                float m = z[0] > z[1] ? z[0] : z[1];
                double e0 = exp(z[0] - m), e1 = exp(z[1] - m), p1 = e1 / (e0 + e1), p[2] = {1 - p1, p1};
                ce -= log(p[lab[b]] < 1e-12 ? 1e-12 : p[lab[b]]);
                correct += (p1 > 0.5) == (lab[b] == 1);
                float dz[2] = {(float)(c->w_cls * (p[0] - (lab[b] == 0)) / nl), (float)(c->w_cls * (p[1] - (lab[b] == 1)) / nl)};
                for (int o = 0; o < 2; o++) {
                    gb[o] += dz[o];
                    for (int j = 0; j < H; j++) gW[o * H + j] += dz[o] * hb[j];
                }
                if (terms->through_encoder)
                    for (int j = 0; j < H; j++) dh[b * H + j] += dz[0] * W[j] + dz[1] * W[H + j];
            }
            part[1 + k] = ce;
            part[1 + MNT_GSAE_HEADS + k] = correct;
            loss->counted[k] = nl;
        }

    if (terms->autoencoder || terms->through_encoder) {
        /* back through the sigmoid and the k-sparse mask: dz = dh h (1 - h) */
        for (size_t i = 0; i < (size_t)B * H; i++) dh[i] *= h[i] * (1 - h[i]);
        if (sparse)
            for (size_t i = 0; i < (size_t)B * H; i++) dh[i] *= w->mask[i];
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++) net->g.b1[j] += dh[b * H + j];
        /* dW1 (H x P) = dz^T A */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, P, B, 1.0f, dh, H, A, P, 0.0f, net->g.w1, P);
        if (net->p.w0) {
            /* through the first layer: da (B x H1) = dz W1, dz0 = da a (1 - a), dW0 = dz0^T X */
            float *da = w->da0;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H1, H, 1.0f, dh, H, net->p.w1, P, 0.0f, da, H1);
            for (size_t i = 0; i < (size_t)B * H1; i++) da[i] *= w->a0[i] * (1 - w->a0[i]);
            for (int b = 0; b < B; b++)
                for (int j = 0; j < H1; j++) net->g.b0[j] += da[b * H1 + j];
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H1, D, B, 1.0f, da, H1, X, D, 0.0f, net->g.w0, D);
        }
    }
    if (shard) {
        /* the gradient the terms reach: everything before the heads with the autoencoder
         * or through the encoder, the heads with the heads (the rest is 0 everywhere) */
        float *g = net->slab + net->nparams;
        size_t heads = (size_t)(net->g.wh[0] - g);
        size_t lo = terms->autoencoder || terms->through_encoder ? 0 : heads, hi = terms->heads ? net->nparams : heads;
        int rc = hi > lo ? shard->sum_f32(shard->ctx, g + lo, hi - lo) : MNT_OK;
        if (!rc) rc = shard->sum_f64(shard->ctx, part, sizeof part / sizeof *part);
        if (rc) return rc;
    }
    if (terms->autoencoder) {
        /* weight decay, once */
        cblas_saxpy(H * D, (float)c->lambda, net->p.w2, 1, net->g.w2, 1);
        cblas_saxpy(H * P, (float)c->lambda, net->p.w1, 1, net->g.w1, 1);
        if (net->p.w0) cblas_saxpy(H1 * D, (float)c->lambda, net->p.w0, 1, net->g.w0, 1);
    }
    loss->rec = 0.5 * part[0] / N;
    for (int k = 0; k < MNT_GSAE_HEADS; k++) {
        if (!loss->counted[k]) continue;
        loss->ce[k] = c->w_cls * part[1 + k] / loss->counted[k];
        loss->correct[k] = (int)part[1 + MNT_GSAE_HEADS + k];
    }
    loss->total = loss->rec + loss->decay + loss->kl + loss->group;
    for (int k = 0; k < MNT_GSAE_HEADS; k++) loss->total += loss->ce[k];
    return MNT_OK;
}

/* Adam on a contiguous range with one step size; float arithmetic so it vectorises
 * (it is a third of a training step otherwise). */
static void adam_range(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                       float step, float eps)
{
    const float b1 = 0.9f, b2 = 0.999f;
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= step * m[i] / (sqrtf(v[i]) + eps);
    }
}

void mnt_gsae_adam(mnt_gsae *net, double lr, double encoder_lr_scale)
{
    net->adam_t++;
    double c1 = 1 - pow(0.9, (double)net->adam_t), c2 = 1 - pow(0.999, (double)net->adam_t);
    /* bias corrections folded into the step and epsilon */
    double step = lr * sqrt(c2) / c1;
    float eps = (float)(1e-8 * sqrt(c2));
    size_t n_enc = (size_t)(net->p.b2 + net->cfg.input - net->slab); /* W0, b0, W1, b1, W2, b2 */
    float *p = net->slab, *g = net->slab + net->nparams;
    if (encoder_lr_scale > 0) adam_range(p, g, net->m, net->v, n_enc, (float)(step * encoder_lr_scale), eps);
    adam_range(p + n_enc, g + n_enc, net->m + n_enc, net->v + n_enc, net->nparams - n_enc, (float)step, eps);
}

void mnt_patch_normalise(float *x, int d)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < d; i++) {
        s += x[i];
        s2 += (double)x[i] * x[i];
    }
    double mean = s / d, var = s2 / d - mean * mean;
    double inv = var > 1e-8 ? 1.0 / sqrt(var) : 0.0;
    for (int i = 0; i < d; i++) x[i] = (float)((x[i] - mean) * inv);
}
