#include "trainer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnt_math.h"
#include "rng.h"

void mnt_train_defaults(mnt_train_config *c)
{
    *c = (mnt_train_config){128, 2e-3, 1e-4, {4, 3, 3}, 0.15, 3, 1, 0.1, 1};
}

int mnt_train_validate(const mnt_train_config *c, mnt_diag *d)
{
    if (c->batch < 2 || c->batch > 8192) return mnt_fail(d, MNT_ERR_CONFIG, "train.batch %d outside 2..8192", c->batch);
    if (!(c->lr > 0 && c->lr < 1 && c->lr_min >= 0 && c->lr_min <= c->lr))
        return mnt_fail(d, MNT_ERR_CONFIG, "train.lr %g / lr_min %g invalid", c->lr, c->lr_min);
    for (int i = 0; i < 3; i++)
        if (c->epochs[i] < 0 || c->epochs[i] > 10000) return mnt_fail(d, MNT_ERR_CONFIG, "train epochs outside 0..10000");
    if (!(c->val_share >= 0 && c->val_share < 0.9)) return mnt_fail(d, MNT_ERR_CONFIG, "train.val_share outside 0..0.9");
    if (c->patience < 0) return mnt_fail(d, MNT_ERR_CONFIG, "train.patience must be >= 0");
    if (!(c->finetune_encoder_lr >= 0 && c->finetune_encoder_lr <= 1))
        return mnt_fail(d, MNT_ERR_CONFIG, "train.finetune_encoder_lr outside 0..1");
    if (c->finetune_autoencoder != 0 && c->finetune_autoencoder != 1)
        return mnt_fail(d, MNT_ERR_CONFIG, "train.finetune_autoencoder must be 0 or 1");
    return MNT_OK;
}

void mnt_trainer_pixels(const uint8_t *px, int grid, int context, float *out)
{
    size_t n = (size_t)mnt_patch_values(grid, context);
    for (size_t k = 0; k < n; k++) out[k] = px[k] / 255.0f;
    mnt_patch_normalise_parts(out, grid, context);
}

void mnt_trainer_patch(const mnt_patch_set *set, size_t i, float *out)
{
    size_t g2 = (size_t)mnt_patch_values(set->grid, set->context);
    mnt_trainer_pixels(set->pool + i * g2, set->grid, set->context, out);
}

static int set_read(void *ctx, size_t first, size_t count, mnt_patch *meta, uint8_t *px)
{
    const mnt_patch_set *set = ctx;
    if (first > set->n || count > set->n - first) return MNT_ERR_ARG;
    memcpy(meta, set->p + first, count * sizeof *meta);
    size_t g2 = (size_t)mnt_patch_values(set->grid, set->context);
    if (px) memcpy(px, set->pool + first * g2, count * g2);
    return MNT_OK;
}

void mnt_patch_set_reader(const mnt_patch_set *set, mnt_patch_reader *r)
{
    *r = (mnt_patch_reader){set->n, set->nsources, set->grid, set->context, set_read, (void *)(uintptr_t)set};
}

void mnt_trainer_free(mnt_trainer *t)
{
    free(t->train_idx); /* val_idx lies in it */
    free(t->xbuf);
    free(t->pxbuf);
    free(t->perm);
    free(t->src);
    free(t->pass);
    free(t->group);
    for (int k = 0; k < MNT_GSAE_HEADS; k++) free(t->lab[k]);
    mnt_gsae_work_free(&t->work);
    memset(t, 0, sizeof *t);
}

/* The sources partition the set's patches into consecutive ranges, with finite
 * weights >= 0 that are not all 0. */
static int check_sources(const mnt_patch_reader *set, const mnt_train_source *src, size_t n, mnt_diag *d)
{
    if (n > MNT_TRAIN_MAX_SOURCES)
        return mnt_fail(d, MNT_ERR_CONFIG, "%zu training sources, at most %d", n, MNT_TRAIN_MAX_SOURCES);
    size_t next = 0;
    double sum = 0;
    for (size_t s = 0; s < n; s++) {
        if (src[s].first != next || src[s].count > set->n - next)
            return mnt_fail(d, MNT_ERR_ARG, "training source %zu: patches %zu..+%zu do not follow the previous source's",
                            s, src[s].first, src[s].count);
        next += src[s].count;
        if (!isfinite(src[s].weight) || src[s].weight < 0)
            return mnt_fail(d, MNT_ERR_CONFIG, "training source %s: weight %g is not a finite number >= 0",
                            src[s].name ? src[s].name : "?", src[s].weight);
        sum += src[s].weight;
    }
    if (n && next != set->n)
        return mnt_fail(d, MNT_ERR_ARG, "training sources cover %zu of %zu patches", next, set->n);
    if (n && !(sum > 0)) return mnt_fail(d, MNT_ERR_CONFIG, "every training source has weight 0");
    return MNT_OK;
}

/* Holds out whole source images: patches of one image never straddle the split. The
 * labels are scanned in chunks (bounded memory for sets read on demand). */
static int split_by_image(mnt_trainer *t, mnt_diag *d)
{
    const mnt_patch_reader *set = &t->rd;
    enum { CHUNK = 4096 };
    mnt_rng r;
    mnt_rng_seed(&r, t->cfg.seed, 0x5B17);
    uint8_t *is_val = calloc(set->nsources + 1, 1);
    mnt_patch *meta = malloc(CHUNK * sizeof *meta);
    if (!is_val || !meta) {
        free(is_val);
        free(meta);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    for (size_t s = 0; s < set->nsources; s++) is_val[s] = mnt_rng_uniform(&r) < t->cfg.val_share;
    int rc = MNT_OK;
    for (size_t first = 0; first < set->n && !rc; first += CHUNK) {
        size_t count = set->n - first < CHUNK ? set->n - first : CHUNK;
        if ((rc = set->read(set->ctx, first, count, meta, NULL))) {
            rc = mnt_fail(d, rc, "cannot read the labels of patches %zu..%zu", first, first + count - 1);
            break;
        }
        for (size_t k = 0; k < count; k++) {
            size_t i = first + k;
            if (meta[k].source >= set->nsources) {
                rc = mnt_fail(d, MNT_ERR_FORMAT, "patch %zu names source image %u of %zu", i, (unsigned)meta[k].source,
                              set->nsources);
                break;
            }
            /* training patches from the front, validation patches from the back */
            if (is_val[meta[k].source]) t->train_idx[set->n - ++t->nval] = (mnt_patch_index)i;
            else t->train_idx[t->ntrain++] = (mnt_patch_index)i;
        }
    }
    free(meta);
    free(is_val);
    /* the validation patches in ascending order, after the training ones */
    t->val_idx = t->train_idx + t->ntrain;
    for (size_t a = 0, b = t->nval; a + 1 < b; a++, b--) {
        mnt_patch_index tmp = t->val_idx[a];
        t->val_idx[a] = t->val_idx[b - 1];
        t->val_idx[b - 1] = tmp;
    }
    return rc;
}

/* Draws per epoch of each source: cumulative rounding of total * weight / sum, so they
 * add up to total, each within 1 of its exact share, and a weight of 0 gets none. */
static void allot_draws(mnt_trainer_source *src, size_t n, size_t total)
{
    double sum = 0, cum = 0;
    for (size_t s = 0; s < n; s++) sum += src[s].weight;
    size_t given = 0;
    for (size_t s = 0; s < n; s++) {
        cum += src[s].weight;
        size_t upto = s + 1 == n ? total : (size_t)llround((double)total * (cum / sum));
        if (upto > total) upto = total;
        if (upto < given) upto = given;
        src[s].draws = upto - given;
        given = upto;
    }
}

/* Each source's training patches (train_idx is ascending, the ranges consecutive) and
 * its draws per epoch; a source with a positive weight must have training patches. */
static int locate_sources(mnt_trainer *t, const mnt_train_source *src, size_t n, mnt_diag *d)
{
    mnt_train_source whole = {0, t->rd.n, 1.0, NULL};
    if (!n) {
        src = &whole;
        n = 1;
    }
    t->src = calloc(n, sizeof *t->src);
    if (!t->src) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    t->nsrc = n;
    size_t k = 0;
    for (size_t s = 0; s < n; s++) {
        mnt_trainer_source *ts = &t->src[s];
        ts->weight = src[s].weight;
        ts->train_first = k;
        while (k < t->ntrain && t->train_idx[k] < src[s].first + src[s].count) k++;
        ts->ntrain = k - ts->train_first;
        if (ts->weight > 0 && !ts->ntrain)
            return mnt_fail(d, MNT_ERR_CONFIG,
                            "training source %s has weight %g but no training patches (every image of it is held out "
                            "for validation); lower train.val_share or give it weight 0",
                            src[s].name ? src[s].name : "?", ts->weight);
    }
    allot_draws(t->src, n, t->ntrain);
    /* scratch for one pass over a source (mixtures only) */
    size_t most = 0;
    for (size_t s = 0; s < n && n > 1; s++)
        if (t->src[s].ntrain > most) most = t->src[s].ntrain;
    if (!(t->pass = malloc((most + 1) * sizeof *t->pass))) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    return MNT_OK;
}

int mnt_trainer_new(mnt_trainer *t, const mnt_patch_set *set, const mnt_train_config *cfg, const mnt_gsae *net,
                    const mnt_train_source *sources, size_t nsources, mnt_diag *d)
{
    mnt_patch_reader r;
    mnt_patch_set_reader(set, &r);
    int rc = mnt_trainer_new_reader(t, &r, cfg, net, sources, nsources, d);
    if (!rc) t->set = set;
    return rc;
}

int mnt_trainer_new_reader(mnt_trainer *t, const mnt_patch_reader *set, const mnt_train_config *cfg, const mnt_gsae *net,
                           const mnt_train_source *sources, size_t nsources, mnt_diag *d)
{
    memset(t, 0, sizeof *t);
    int rc = mnt_train_validate(cfg, d);
    if (rc) return rc;
    if ((rc = check_sources(set, sources, nsources, d))) return rc;
    if (mnt_patch_values(set->grid, set->context) != net->cfg.input)
        return mnt_fail(d, MNT_ERR_CONFIG, "patches of %dx%d (context %d) do not fit a network input of %d", set->grid,
                        set->grid, set->context, net->cfg.input);
    t->rd = *set;
    t->cfg = *cfg;
    t->shards = (mnt_train_shards){0, 1, NULL, NULL, NULL};
    if (set->n > UINT32_MAX) return mnt_fail(d, MNT_ERR_LIMIT, "%zu patches exceed the trainer's limit", set->n);
    t->train_idx = malloc((set->n + 1) * sizeof *t->train_idx);
    t->perm = malloc((set->n + 1) * sizeof *t->perm);
    t->xbuf = malloc((size_t)cfg->batch * net->cfg.input * sizeof *t->xbuf);
    t->pxbuf = malloc((size_t)net->cfg.input);
    t->group = malloc((size_t)cfg->batch);
    for (int k = 0; k < MNT_GSAE_HEADS; k++) t->lab[k] = malloc((size_t)cfg->batch);
    if (!t->train_idx || !t->perm || !t->pxbuf || !t->xbuf || !t->group || !t->lab[0] || !t->lab[1] ||
        !t->lab[2] || mnt_gsae_work_new(&t->work, &net->cfg, cfg->batch)) {
        mnt_trainer_free(t);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for training");
    }
    if ((rc = split_by_image(t, d)) || (rc = locate_sources(t, sources, nsources, d))) {
        mnt_trainer_free(t);
        return rc;
    }
    if (t->ntrain < (size_t)cfg->batch) {
        size_t n = t->ntrain;
        mnt_trainer_free(t);
        return mnt_fail(d, MNT_ERR_CONFIG, "only %zu training patches, fewer than one batch of %d", n, cfg->batch);
    }
    return MNT_OK;
}

int mnt_trainer_set_shards(mnt_trainer *t, const mnt_train_shards *s, mnt_diag *d)
{
    if (s->size < 1 || s->rank < 0 || s->rank >= s->size || (s->size > 1 && (!s->sum_f64 || !s->sum_f32)))
        return mnt_fail(d, MNT_ERR_ARG, "shard %d of %d is not valid", s->rank, s->size);
    if (s->size > t->cfg.batch)
        return mnt_fail(d, MNT_ERR_CONFIG, "%d processes for batches of %d: every process needs at least one patch of a batch",
                        s->size, t->cfg.batch);
    t->shards = *s;
    return MNT_OK;
}

long mnt_trainer_batches(const mnt_trainer *t)
{
    return (long)(t->ntrain / (size_t)t->cfg.batch);
}

long mnt_trainer_total_steps(const mnt_trainer *t)
{
    return mnt_trainer_batches(t) * (t->cfg.epochs[0] + t->cfg.epochs[1] + t->cfg.epochs[2]);
}

/* Fisher-Yates from the back. */
static void shuffle_indices(mnt_patch_index *a, size_t n, mnt_rng *r)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(mnt_rng_uniform(r) * (double)i);
        mnt_patch_index tmp = a[i - 1];
        a[i - 1] = a[j];
        a[j] = tmp;
    }
}

/* A source's draws into out: passes over its training patches, each pass the first
 * entries of a fresh random order (partial Fisher-Yates), so no patch repeats before
 * every one of them was drawn. */
static void draw_source(mnt_trainer *t, const mnt_trainer_source *s, mnt_rng *r, mnt_patch_index *out)
{
    const mnt_patch_index *own = t->train_idx + s->train_first;
    for (size_t done = 0; done < s->draws;) {
        size_t take = s->draws - done < s->ntrain ? s->draws - done : s->ntrain;
        memcpy(t->pass, own, s->ntrain * sizeof *t->pass);
        for (size_t i = 0; i < take; i++) {
            size_t j = i + (size_t)(mnt_rng_uniform(r) * (double)(s->ntrain - i));
            mnt_patch_index tmp = t->pass[i];
            t->pass[i] = t->pass[j];
            t->pass[j] = tmp;
        }
        memcpy(out + done, t->pass, take * sizeof *out);
        done += take;
    }
}

void mnt_trainer_shuffle(mnt_trainer *t, int phase, int epoch)
{
    mnt_rng r;
    mnt_rng_seed(&r, t->cfg.seed ^ ((uint64_t)phase << 40) ^ ((uint64_t)epoch << 20), 0x5A1E);
    if (t->nsrc <= 1) { /* every training patch once */
        memcpy(t->perm, t->train_idx, t->ntrain * sizeof *t->perm);
        shuffle_indices(t->perm, t->ntrain, &r);
        return;
    }
    size_t pos = 0;
    for (size_t s = 0; s < t->nsrc; s++) {
        draw_source(t, &t->src[s], &r, t->perm + pos);
        pos += t->src[s].draws;
    }
    shuffle_indices(t->perm, pos, &r);
}

/* Labels of patch i per head: minutia and foreground (image-frame patches whose
 * region is known), type and direction (ridge-frame minutia patches); group = class
 * for the l2,1 term. */
static void labels(const mnt_patch *p, int8_t lab[MNT_GSAE_HEADS], int8_t *group)
{
    lab[MNT_HEAD_MINUTIA] = -1;
    lab[MNT_HEAD_TYPE] = -1;
    lab[MNT_HEAD_DIRECTION] = -1;
    lab[MNT_HEAD_FOREGROUND] = -1;
    *group = -1;
    if (p->cls == MNT_PATCH_UNLABELLED) return; /* the autoencoder's terms only */
    if (p->frame == MNT_FRAME_IMAGE) {
        lab[MNT_HEAD_MINUTIA] = (int8_t)p->cls;
        if (p->region != MNT_REGION_UNKNOWN) lab[MNT_HEAD_FOREGROUND] = (int8_t)(p->region == MNT_REGION_FOREGROUND);
        *group = (int8_t)p->cls;
    } else if (p->cls == 1) {
        if (p->type == MNT_TYPE_ENDING || p->type == MNT_TYPE_BIFURCATION)
            lab[MNT_HEAD_TYPE] = (int8_t)(p->type == MNT_TYPE_BIFURCATION);
        /* direction along +x of the ridge frame (within 90 degrees) or against it */
        lab[MNT_HEAD_DIRECTION] = (int8_t)(p->angle < 90 || p->angle >= 270);
    }
}

static int fill_batch(mnt_trainer *t, const mnt_patch_index *idx, int n, mnt_gsae_batch *b, int input)
{
    for (int k = 0; k < n; k++) {
        mnt_patch p;
        int rc = t->rd.read(t->rd.ctx, idx[k], 1, &p, t->pxbuf);
        if (rc) return rc;
        int8_t lab[MNT_GSAE_HEADS], g;
        labels(&p, lab, &g);
        for (int h = 0; h < MNT_GSAE_HEADS; h++) t->lab[h][k] = lab[h];
        t->group[k] = g;
        mnt_trainer_pixels(t->pxbuf, t->rd.grid, t->rd.context, t->xbuf + (size_t)k * input);
    }
    memset(b, 0, sizeof *b);
    b->n = n;
    b->x = t->xbuf;
    b->group = t->group;
    for (int h = 0; h < MNT_GSAE_HEADS; h++) b->label[h] = t->lab[h];
    return MNT_OK;
}

static mnt_gsae_terms phase_terms(const mnt_train_config *c, int phase)
{
    mnt_gsae_terms terms = {phase == MNT_PHASE_AE || (phase == MNT_PHASE_FINETUNE && c->finetune_autoencoder),
                            phase != MNT_PHASE_AE, phase == MNT_PHASE_FINETUNE};
    return terms;
}

static void accumulate(mnt_train_metrics *m, const mnt_gsae_loss *l, int n)
{
    m->loss += l->total * n;
    m->rec += l->rec * n;
    m->group += l->group * n;
    m->ce_minutia += l->ce[MNT_HEAD_MINUTIA] * n;
    m->n += (size_t)n;
}

int mnt_trainer_step(mnt_trainer *t, mnt_gsae *net, int phase, long b, long global_step, mnt_train_metrics *m)
{
    int B = t->cfg.batch;
    const mnt_train_shards *sh = &t->shards;
    /* this shard's contiguous part of the global batch */
    int lo = (int)((long)B * sh->rank / sh->size), hi = (int)((long)B * (sh->rank + 1) / sh->size);
    mnt_gsae_batch batch;
    int rc = fill_batch(t, t->perm + (size_t)b * B + lo, hi - lo, &batch, net->cfg.input);
    if (rc) return rc;
    mnt_gsae_terms terms = phase_terms(&t->cfg, phase);
    mnt_gsae_loss l;
    mnt_gsae_shard gs = {B, sh->sum_f64, sh->sum_f32, sh->ctx};
    rc = mnt_gsae_forward_backward_shard(net, &batch, &terms, &t->work, sh->size > 1 ? &gs : NULL, &l);
    if (rc) return rc;
    if (!isfinite(l.total)) return MNT_ERR_NUMERIC;
    long total = mnt_trainer_total_steps(t);
    double frac = total > 1 ? (double)global_step / (double)(total - 1) : 0;
    double lr = t->cfg.lr_min + 0.5 * (t->cfg.lr - t->cfg.lr_min) * (1 + cos(MNT_PI * (frac > 1 ? 1 : frac)));
    double enc = phase == MNT_PHASE_AE ? 1.0 : phase == MNT_PHASE_HEADS ? 0.0 : t->cfg.finetune_encoder_lr;
    mnt_gsae_adam(net, lr, enc);
    for (size_t i = 0; i < net->nparams; i++)
        if (!isfinite(net->slab[i])) return MNT_ERR_NUMERIC;
    accumulate(m, &l, B);
    return MNT_OK;
}

int mnt_trainer_validate(mnt_trainer *t, mnt_gsae *net, int phase, mnt_train_metrics *m)
{
    memset(m, 0, sizeof *m);
    int B = t->cfg.batch, D = net->cfg.input, H = net->cfg.hidden;
    float *codes = malloc((size_t)B * H * sizeof *codes), *prob = malloc((size_t)B * 2 * sizeof *prob);
    if (!codes || !prob) {
        free(codes);
        free(prob);
        return MNT_ERR_NOMEM;
    }
    size_t tp = 0, fp = 0, fn = 0, correct[MNT_GSAE_HEADS] = {0}, counted[MNT_GSAE_HEADS] = {0};
    mnt_gsae_terms terms = phase_terms(&t->cfg, phase);
    const mnt_patch_index *idx = t->nval ? t->val_idx : t->train_idx;
    size_t n = t->nval ? t->nval : t->ntrain;
    const mnt_train_shards *sh = &t->shards;
    /* batches dealt round-robin over the shards */
    for (size_t start = (size_t)B * sh->rank; start < n; start += (size_t)B * sh->size) {
        int nb = (int)(n - start < (size_t)B ? n - start : (size_t)B);
        mnt_gsae_batch batch;
        int rc = fill_batch(t, idx + start, nb, &batch, D);
        mnt_gsae_loss l;
        /* the loss of this phase's terms, without touching the parameters */
        if (!rc) rc = mnt_gsae_forward_backward(net, &batch, &terms, &t->work, &l);
        if (rc) {
            free(codes);
            free(prob);
            return rc;
        }
        accumulate(m, &l, nb);
        mnt_gsae_encode(net, t->xbuf, nb, codes);
        for (int h = 0; h < MNT_GSAE_HEADS; h++) {
            mnt_gsae_heads(net, codes, nb, h, prob);
            for (int k = 0; k < nb; k++) {
                int lab = t->lab[h][k];
                if (lab < 0) continue;
                int pred = prob[2 * k + 1] > 0.5f;
                counted[h]++;
                correct[h] += pred == lab;
                if (h == MNT_HEAD_MINUTIA) {
                    tp += pred && lab;
                    fp += pred && !lab;
                    fn += !pred && lab;
                }
            }
        }
    }
    free(codes);
    free(prob);
    if (sh->size > 1) {
        double v[9 + 2 * MNT_GSAE_HEADS] = {m->loss, m->rec, m->group, m->ce_minutia, (double)m->n, (double)tp, (double)fp, (double)fn, 0};
        for (int h = 0; h < MNT_GSAE_HEADS; h++) {
            v[9 + h] = (double)correct[h];
            v[9 + MNT_GSAE_HEADS + h] = (double)counted[h];
        }
        int rc = sh->sum_f64(sh->ctx, v, sizeof v / sizeof *v);
        if (rc) return rc;
        m->loss = v[0];
        m->rec = v[1];
        m->group = v[2];
        m->ce_minutia = v[3];
        m->n = (size_t)v[4];
        tp = (size_t)v[5];
        fp = (size_t)v[6];
        fn = (size_t)v[7];
        for (int h = 0; h < MNT_GSAE_HEADS; h++) {
            correct[h] = (size_t)v[9 + h];
            counted[h] = (size_t)v[9 + MNT_GSAE_HEADS + h];
        }
    }
    if (m->n) {
        m->loss /= (double)m->n;
        m->rec /= (double)m->n;
        m->group /= (double)m->n;
        m->ce_minutia /= (double)m->n;
    }
    m->acc_minutia = counted[0] ? (double)correct[0] / (double)counted[0] : 0;
    m->acc_type = counted[1] ? (double)correct[1] / (double)counted[1] : 0;
    m->acc_direction = counted[2] ? (double)correct[2] / (double)counted[2] : 0;
    m->acc_foreground = counted[3] ? (double)correct[3] / (double)counted[3] : 0;
    m->f1_minutia = tp ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : 0;
    return MNT_OK;
}
