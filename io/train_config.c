#include "train_config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_tree.h"

void mnt_train_settings_defaults(mnt_train_settings *s)
{
    memset(s, 0, sizeof *s);
    s->model = (mnt_gsae_config){256, 128, 1e-4, 0.5, 0.05, 0.05, 0, 1.0, 1.0, 0, 0};
    mnt_train_defaults(&s->train);
    s->threshold = 0.5;
    s->stride = 4;
    s->nms_radius = 8;
    s->roi_margin = -1;
    s->region_threshold = 0;
}

void mnt_data_sources_free(mnt_data_sources *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i].set);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int mnt_data_sources_add(mnt_data_sources *l, const char *set, double weight, const char *what, mnt_diag *d)
{
    if (l->n >= MNT_TRAIN_MAX_SOURCES)
        return mnt_fail(d, MNT_ERR_CONFIG, "%s: more than %d training sources", what, MNT_TRAIN_MAX_SOURCES);
    size_t len = strlen(set);
    if (!len || len > MNT_MAX_SET_PATH)
        return mnt_fail(d, MNT_ERR_CONFIG, "%s: the set must be a path of 1..%d bytes", what, MNT_MAX_SET_PATH);
    if (!isfinite(weight) || weight < 0)
        return mnt_fail(d, MNT_ERR_CONFIG, "%s: weight %g must be a finite number >= 0", what, weight);
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].set, set))
            return mnt_fail(d, MNT_ERR_CONFIG, "%s: set '%s' is already a training source", what, set);
    mnt_data_source *v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    l->v = v;
    if (!(v[l->n].set = malloc(len + 1))) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    memcpy(v[l->n].set, set, len + 1);
    v[l->n].weight = weight;
    l->n++;
    return MNT_OK;
}

/* The text after the last ':' of arg when it looks like a number, else NULL. */
static const char *weight_suffix(const char *arg)
{
    const char *colon = strrchr(arg, ':');
    if (!colon || !colon[1]) return NULL;
    return strspn(colon + 1, "0123456789.+-eE") == strlen(colon + 1) ? colon + 1 : NULL;
}

int mnt_data_sources_add_arg(mnt_data_sources *l, const char *arg, mnt_diag *d)
{
    const char *w = weight_suffix(arg);
    if (!w) return mnt_data_sources_add(l, arg, 1.0, arg, d);
    char *end;
    errno = 0;
    double weight = strtod(w, &end);
    if (errno || *end || end == w)
        return mnt_fail(d, MNT_ERR_CONFIG, "%s: weight '%s' is not a number", arg, w);
    size_t len = (size_t)(w - 1 - arg);
    char *set = malloc(len + 1);
    if (!set) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    memcpy(set, arg, len);
    set[len] = 0;
    int rc = mnt_data_sources_add(l, set, weight, arg, d);
    free(set);
    return rc;
}

int mnt_data_sources_append(mnt_data_sources *l, const mnt_data_sources *src, const char *what, mnt_diag *d)
{
    for (size_t i = 0; i < src->n; i++) {
        int rc = mnt_data_sources_add(l, src->v[i].set, src->v[i].weight, what, d);
        if (rc) return rc;
    }
    return MNT_OK;
}

int mnt_data_sources_check(const mnt_data_sources *l, mnt_diag *d)
{
    if (!l->n) return mnt_fail(d, MNT_ERR_CONFIG, "no patch sets to train on");
    double sum = 0;
    for (size_t i = 0; i < l->n; i++) sum += l->v[i].weight;
    if (!(sum > 0)) return mnt_fail(d, MNT_ERR_CONFIG, "every training source has weight 0: nothing to train on");
    return MNT_OK;
}

/* One entry of data.sources: {set: FILE, weight: W} (weight optional, 1). */
static int read_source(const mnt_ynode *e, size_t i, mnt_data_sources *l, mnt_diag *d)
{
    char key[64], weight_key[80], what[96];
    snprintf(key, sizeof key, "data.sources[%zu]", i);
    if (e->kind != MNT_Y_MAP)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s must be a mapping {set: FILE, weight: W}", e->line, key);
    for (size_t k = 0; k < e->n; k++)
        if (strcmp(e->items[k].key, "set") && strcmp(e->items[k].key, "weight"))
            return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: unknown setting '%s.%s' (set, weight)", e->items[k].line, key,
                            e->items[k].key);
    const mnt_ynode *set = mnt_yaml_get(e, "set"), *weight = mnt_yaml_get(e, "weight");
    if (!set || set->kind != MNT_Y_SCALAR)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s.set must be the file name of a patch set", set ? set->line : e->line,
                        key);
    double w = 1.0;
    snprintf(weight_key, sizeof weight_key, "%s.weight", key);
    if (weight) {
        int rc = mnt_yaml_number(weight, weight_key, &w, d); /* refuses inf and nan */
        if (rc) return rc;
        if (w < 0) return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s: %g is negative (weights are >= 0)", weight->line, weight_key, w);
    }
    snprintf(what, sizeof what, "line %zu: %s", e->line, key);
    return mnt_data_sources_add(l, set->value, w, what, d);
}

/* data.sources: a list of at most MNT_TRAIN_MAX_SOURCES entries. */
static int read_sources(const mnt_ynode *n, mnt_data_sources *l, mnt_diag *d)
{
    if (n->kind != MNT_Y_SEQ)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: data.sources must be a list of {set: FILE, weight: W}", n->line);
    if (n->n > MNT_TRAIN_MAX_SOURCES)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: data.sources lists %zu sets, at most %d", n->line, n->n,
                        MNT_TRAIN_MAX_SOURCES);
    for (size_t i = 0; i < n->n; i++) {
        int rc = read_source(&n->items[i], i, l, d);
        if (rc) return rc;
    }
    return MNT_OK;
}

/* "line N: KEY: VALUE outside RANGE", the line when the key is in the document. */
static int out_of_range(const mnt_ynode *root, const char *key, double v, const char *range, mnt_diag *d)
{
    char sec[32];
    const char *dot = strchr(key, '.');
    size_t n = dot ? (size_t)(dot - key) : 0;
    const mnt_ynode *node = NULL;
    if (dot && n < sizeof sec) {
        memcpy(sec, key, n);
        sec[n] = 0;
        node = mnt_yaml_get(mnt_yaml_get(root, sec), dot + 1);
    }
    if (node) return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s: %g outside %s", node->line, key, v, range);
    return mnt_fail(d, MNT_ERR_CONFIG, "%s: %g outside %s", key, v, range);
}

static int apply_settings(const mnt_ynode *root, mnt_train_settings *s, mnt_diag *d)
{
    double seed = (double)s->train.seed;
    const mnt_ynode *sources = NULL;
    char decoder[64];
    snprintf(decoder, sizeof decoder, "%s", s->model.sigmoid_decoder ? "sigmoid" : "linear");
    const mnt_cfg_field f[] = {
        {"model.hidden", MNT_CFG_INT, &s->model.hidden},
        {"model.hidden1", MNT_CFG_INT, &s->model.hidden1},
        {"model.decoder", MNT_CFG_STRING, decoder},
        {"model.lambda", MNT_CFG_NUMBER, &s->model.lambda},
        {"model.beta", MNT_CFG_NUMBER, &s->model.beta},
        {"model.rho", MNT_CFG_NUMBER, &s->model.rho},
        {"model.lambda_g", MNT_CFG_NUMBER, &s->model.lambda_g},
        {"model.k_sparse", MNT_CFG_INT, &s->model.k_sparse},
        {"model.k_alpha", MNT_CFG_NUMBER, &s->model.k_alpha},
        {"model.w_cls", MNT_CFG_NUMBER, &s->model.w_cls},
        {"train.batch", MNT_CFG_INT, &s->train.batch},
        {"train.lr", MNT_CFG_NUMBER, &s->train.lr},
        {"train.lr_min", MNT_CFG_NUMBER, &s->train.lr_min},
        {"train.epochs_autoencoder", MNT_CFG_INT, &s->train.epochs[0]},
        {"train.epochs_heads", MNT_CFG_INT, &s->train.epochs[1]},
        {"train.epochs_finetune", MNT_CFG_INT, &s->train.epochs[2]},
        {"train.val_share", MNT_CFG_NUMBER, &s->train.val_share},
        {"train.patience", MNT_CFG_INT, &s->train.patience},
        {"train.seed", MNT_CFG_NUMBER, &seed},
        {"train.finetune_encoder_lr", MNT_CFG_NUMBER, &s->train.finetune_encoder_lr},
        {"train.finetune_autoencoder", MNT_CFG_INT, &s->train.finetune_autoencoder},
        {"detection.threshold", MNT_CFG_NUMBER, &s->threshold},
        {"detection.stride", MNT_CFG_INT, &s->stride},
        {"detection.nms_radius", MNT_CFG_NUMBER, &s->nms_radius},
        {"detection.quality_weight", MNT_CFG_NUMBER, &s->quality_weight},
        {"detection.roi_margin", MNT_CFG_NUMBER, &s->roi_margin},
        {"detection.direction_weight", MNT_CFG_NUMBER, &s->direction_weight},
        {"detection.region_threshold", MNT_CFG_NUMBER, &s->region_threshold},
        {"data.sources", MNT_CFG_NODE, &sources},
    };
    int rc = mnt_yaml_bind(root, f, sizeof f / sizeof *f, d);
    if (rc) return rc;
    if (sources && (rc = read_sources(sources, &s->data, d))) return rc;
    if (seed < 0 || seed > 9e15) return out_of_range(root, "train.seed", seed, "0..9e15", d);
    if (strcmp(decoder, "linear") && strcmp(decoder, "sigmoid"))
        return mnt_fail(d, MNT_ERR_CONFIG, "model.decoder must be linear or sigmoid, not '%s'", decoder);
    s->model.sigmoid_decoder = !strcmp(decoder, "sigmoid");
    if (s->model.hidden1 < 0 || s->model.hidden1 == 1 || s->model.hidden1 > 8192)
        return mnt_fail(d, MNT_ERR_CONFIG, "model.hidden1 must be 0 (one encoder layer) or 2..8192");
    s->train.seed = (uint64_t)seed;
    if ((rc = mnt_train_validate(&s->train, d))) return rc;
    /* each value on its own: the message names the key at fault and its range only */
    const struct { const char *key; double v; int ok; const char *range; } checks[] = {
        {"model.hidden", s->model.hidden, s->model.hidden >= 2 && s->model.hidden <= 8192, "2..8192"},
        {"model.rho", s->model.rho, s->model.rho > 0 && s->model.rho < 1, "(0, 1)"},
        {"model.lambda", s->model.lambda, s->model.lambda >= 0, ">= 0"},
        {"model.beta", s->model.beta, s->model.beta >= 0, ">= 0"},
        {"model.lambda_g", s->model.lambda_g, s->model.lambda_g >= 0, ">= 0"},
        {"model.w_cls", s->model.w_cls, s->model.w_cls >= 0, ">= 0"},
        {"model.k_sparse", s->model.k_sparse, s->model.k_sparse >= 0 && s->model.k_sparse <= s->model.hidden,
         "0..model.hidden"},
        {"model.k_alpha", s->model.k_alpha, s->model.k_alpha >= 1 && s->model.k_alpha <= 10, "1..10"},
        {"detection.threshold", s->threshold, s->threshold >= 0 && s->threshold <= 1, "0..1"},
        {"detection.quality_weight", s->quality_weight, s->quality_weight >= 0 && s->quality_weight <= 1, "0..1"},
        {"detection.stride", s->stride, s->stride >= 1 && s->stride <= 64, "1..64"},
        {"detection.nms_radius", s->nms_radius, s->nms_radius > 0 && s->nms_radius < 200, "(0, 200)"},
        {"detection.roi_margin", s->roi_margin, s->roi_margin <= 200, "at most 200"},
        {"detection.direction_weight", s->direction_weight, s->direction_weight >= 0 && s->direction_weight <= 1, "0..1"},
        {"detection.region_threshold", s->region_threshold, s->region_threshold >= 0 && s->region_threshold < 1, "[0, 1)"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
        if (!checks[i].ok) return out_of_range(root, checks[i].key, checks[i].v, checks[i].range, d);
    return MNT_OK;
}


int mnt_train_settings_parse(const char *text, size_t len, mnt_train_settings *s, mnt_diag *d)
{
    mnt_ynode *root;
    int rc = mnt_yaml_parse(text, len, &root, d);
    if (rc) return rc;
    rc = apply_settings(root, s, d);
    mnt_yaml_free(root);
    return rc;
}

int mnt_train_settings_load(const char *path, mnt_train_settings *s, mnt_diag *d)
{
    mnt_ynode *root;
    int rc = mnt_yaml_load_file(path, &root, d);
    if (rc) return rc == MNT_ERR_NOTFOUND ? rc : MNT_ERR_CONFIG;
    rc = apply_settings(root, s, d);
    mnt_yaml_free(root);
    return rc;
}

void mnt_train_settings_free(mnt_train_settings *s)
{
    mnt_data_sources_free(&s->data);
}

int mnt_patch_params_load(const char *path, mnt_patch_params *p, mnt_diag *d)
{
    double contrast[2] = {p->contrast_lo, p->contrast_hi};
    const mnt_cfg_field f[] = {
        {"patch.size", MNT_CFG_INT, &p->size},
        {"patch.grid", MNT_CFG_INT, &p->grid},
        {"patch.ridge_smoothing", MNT_CFG_NUMBER, &p->ridge_sigma},
        {"patch.orientation_smoothing", MNT_CFG_NUMBER, &p->orientation_sigma},
        {"patch.context", MNT_CFG_INT, &p->context},
        {"sampling.pos_radius", MNT_CFG_NUMBER, &p->pos_radius},
        {"sampling.neg_radius", MNT_CFG_NUMBER, &p->neg_radius},
        {"sampling.neg_per_pos", MNT_CFG_NUMBER, &p->neg_per_pos},
        {"sampling.share_foreground", MNT_CFG_NUMBER, &p->share_foreground},
        {"sampling.share_ridge", MNT_CFG_NUMBER, &p->share_ridge},
        {"sampling.share_clutter", MNT_CFG_NUMBER, &p->share_clutter},
        {"sampling.share_border", MNT_CFG_NUMBER, &p->share_border},
        {"sampling.oriented", MNT_CFG_INT, &p->oriented},
        {"augment.rotations", MNT_CFG_INT, &p->rotations},
        {"augment.mirror_prob", MNT_CFG_NUMBER, &p->mirror_prob},
        {"augment.contrast", MNT_CFG_PAIR, contrast},
        {"augment.brightness", MNT_CFG_NUMBER, &p->brightness},
        {"augment.noise", MNT_CFG_NUMBER, &p->noise},
    };
    int rc = mnt_yaml_load_bind(path, f, sizeof f / sizeof *f, d);
    if (rc) return rc;
    p->contrast_lo = contrast[0];
    p->contrast_hi = contrast[1];
    return mnt_patch_validate(p, d);
}
