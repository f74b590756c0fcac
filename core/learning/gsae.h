/* Supervised group-sparse autoencoder (Sankaran et al. 2017) with classifier heads.
 *
 *   a   = sigmoid(W0 x + b0)                 optional first encoder layer, D -> H1
 *   h   = sigmoid(W1 a + b1)                 code layer, H1 (or D) -> H (optionally k-sparse)
 *   x'  = W2 h + b2                          linear decoder, H -> D, or
 *   x'  = sigmoid(W2 h + b2)                 sigmoid decoder, reconstructing (x + 3) / 6
 *                                            clamped to [0.01, 0.99] (patches are
 *                                            normalised to unit variance)
 *   c   = softmax(Wc h + bc)                 minutia / non-minutia
 *   t   = softmax(Wt h + bt)                 ending / bifurcation (minutia patches)
 *   s   = softmax(Wd h + bd)                 direction: along / against the local
 *                                            ridge orientation (patches rotated into it)
 *   f   = softmax(Wf h + bf)                 foreground: print ridges / background
 *   cost = 1/(2B) sum ||x' - x||^2 + lambda/2 (||W1||^2 + ||W2||^2)
 *        + beta sum_j KL(rho || rho_hat_j) + lambda_g / B sum_class sum_j ||H_class,j||_2
 *        + w_cls * cross-entropies of the heads
 * All parameters, gradients and Adam moments live in one slab. Every dense product
 * goes through cblas_sgemm; gsae_naive.c keeps a plain-loop reference of the same
 * forward and backward, tested against it. */
#ifndef MNT_GSAE_H
#define MNT_GSAE_H

#include <stddef.h>
#include <stdint.h>

#include "mnt_error.h"

typedef struct {
    int input;        /* D = patch side^2 */
    int hidden;       /* H */
    double lambda;    /* weight decay */
    double beta, rho; /* KL sparsity */
    double lambda_g;  /* group sparsity */
    int k_sparse;     /* 0 = off; else keep the k largest activations in training */
    double k_alpha;   /* at test time keep alpha * k */
    double w_cls;     /* weight of the heads' cross-entropy */
    int hidden1;      /* 0: one encoder layer; else the size of a first sigmoid layer */
    int sigmoid_decoder; /* 0: linear decoder, 1: sigmoid decoder */
} mnt_gsae_config;

/* The foreground head (print ridges against background and clutter) is last, so a
 * model from before it is a prefix of the slab (io/model_file.c reads those). */
enum { MNT_GSAE_HEADS = 4, MNT_HEAD_MINUTIA = 0, MNT_HEAD_TYPE = 1, MNT_HEAD_DIRECTION = 2, MNT_HEAD_FOREGROUND = 3 };

/* Parameter tensors in slab order. */
typedef struct {
    float *w0, *b0;   /* first encoder layer (NULL when hidden1 = 0): H1 x D, H1 */
    float *w1, *b1, *w2, *b2, *wh[MNT_GSAE_HEADS], *bh[MNT_GSAE_HEADS];
} mnt_gsae_tensors;

typedef struct {
    mnt_gsae_config cfg;
    size_t nparams;
    float *slab;            /* params | grads | adam m | adam v */
    mnt_gsae_tensors p, g;
    float *m, *v;
    long adam_t;
} mnt_gsae;

size_t mnt_gsae_param_count(const mnt_gsae_config *c);
int mnt_gsae_new(mnt_gsae *net, const mnt_gsae_config *c, uint64_t seed, mnt_diag *d);
void mnt_gsae_free(mnt_gsae *net);
/* Points t at the tensors inside a flat parameter vector. */
void mnt_gsae_tensors_at(const mnt_gsae_config *c, float *base, mnt_gsae_tensors *t);

/* What a training step optimises. */
typedef struct {
    int autoencoder;      /* reconstruction + decay + KL + group terms */
    int heads;            /* cross-entropy of the heads */
    int through_encoder;  /* heads' gradient reaches the encoder (fine-tuning) */
} mnt_gsae_terms;

/* A batch: B patches of D floats (normalised), labels per head (-1 = no label). */
typedef struct {
    int n;
    const float *x;          /* B x D */
    const int8_t *label[MNT_GSAE_HEADS];
    const int8_t *group;     /* class used by the l2,1 term (-1 = none) */
} mnt_gsae_batch;

typedef struct {
    double total, rec, decay, kl, group, ce[MNT_GSAE_HEADS];
    int correct[MNT_GSAE_HEADS], counted[MNT_GSAE_HEADS];
} mnt_gsae_loss;

/* Scratch for one batch size. */
typedef struct {
    int cap;
    float *h, *xr, *dh, *dxr, *logits, *dlogits;
    float *mask; /* k-sparse kept units */
    float *a0, *da0; /* first encoder layer output and its gradient (B x H1) */
    double *colsum; /* 3H + heads: batch statistics (per-unit sums, per-class sums of
                       squares, labelled samples per head) */
    float *colgrad; /* H: per-unit gradient factors */
} mnt_gsae_work;

int mnt_gsae_work_new(mnt_gsae_work *w, const mnt_gsae_config *c, int batch);
void mnt_gsae_work_free(mnt_gsae_work *w);

/* Forward and backward of one batch: fills net->g (overwrites) and loss. */
int mnt_gsae_forward_backward(mnt_gsae *net, const mnt_gsae_batch *b, const mnt_gsae_terms *terms,
                              mnt_gsae_work *w, mnt_gsae_loss *loss);
/* A batch that is one shard of a global batch split over several workers (MPI ranks,
 * app/train_mpi.c): sum_f64 / sum_f32 replace a vector by its sum over every shard (each
 * shard then holds the same sum) and return 0, or an error code. Every shard calls them
 * in the same order. The batch-level statistics (column sums of the code for the KL
 * term's mean activation, each class's sums of squares for the l2,1 norms, the heads'
 * labelled samples) are summed before the backward pass, the normaliser is the global
 * batch size, and the gradient (the slab's part the terms reach) and the losses are
 * summed after it; the weight decay gradient is added once, after the sum. So every
 * shard ends with the global batch's gradient and loss, equal to one process's up to
 * the order of float sums. */
typedef struct {
    int total; /* samples of the global batch */
    int (*sum_f64)(void *ctx, double *v, size_t n);
    int (*sum_f32)(void *ctx, float *v, size_t n);
    void *ctx;
} mnt_gsae_shard;

/* As mnt_gsae_forward_backward for a shard (NULL: the whole batch, the same result
 * bit for bit). */
int mnt_gsae_forward_backward_shard(mnt_gsae *net, const mnt_gsae_batch *b, const mnt_gsae_terms *terms,
                                    mnt_gsae_work *w, const mnt_gsae_shard *shard, mnt_gsae_loss *loss);
/* Plain-loop reference of the same (tests). grads receives nparams floats. */
int mnt_gsae_forward_backward_naive(const mnt_gsae *net, const mnt_gsae_batch *b, const mnt_gsae_terms *terms,
                                    float *grads, mnt_gsae_loss *loss);

/* Adam step on the whole slab (frozen encoder when encoder_lr_scale = 0). */
void mnt_gsae_adam(mnt_gsae *net, double lr, double encoder_lr_scale);

/* Inference: codes (n x H) and head probabilities (n x 2 each, may be NULL). The
 * encoder's sigmoids are vecmath.h's (vectorised; training keeps libm's expf). */
int mnt_gsae_encode(const mnt_gsae *net, const float *x, int n, float *codes);
/* Input size of the code layer: hidden1, or the patch size D when there is one layer. */
int mnt_gsae_code_input(const mnt_gsae_config *c);
void mnt_gsae_heads(const mnt_gsae *net, const float *codes, int n, int head, float *prob);

/* Normalises a patch in place to zero mean, unit variance (flat patches stay 0). */
void mnt_patch_normalise(float *x, int d);

#endif
