#include "train_config.h"

#include <stdio.h>
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
}

int mnt_train_settings_load(const char *path, mnt_train_settings *s, mnt_diag *d)
{
    double seed = (double)s->train.seed;
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
        {"detection.threshold", MNT_CFG_NUMBER, &s->threshold},
        {"detection.stride", MNT_CFG_INT, &s->stride},
        {"detection.nms_radius", MNT_CFG_NUMBER, &s->nms_radius},
        {"detection.quality_weight", MNT_CFG_NUMBER, &s->quality_weight},
        {"detection.roi_margin", MNT_CFG_NUMBER, &s->roi_margin},
        {"detection.direction_weight", MNT_CFG_NUMBER, &s->direction_weight},
    };
    int rc = mnt_yaml_load_bind(path, f, sizeof f / sizeof *f, d);
    if (rc) return rc;
    if (seed < 0 || seed > 9e15) return mnt_fail(d, MNT_ERR_CONFIG, "train.seed out of range");
    if (strcmp(decoder, "linear") && strcmp(decoder, "sigmoid"))
        return mnt_fail(d, MNT_ERR_CONFIG, "model.decoder must be linear or sigmoid, not '%s'", decoder);
    s->model.sigmoid_decoder = !strcmp(decoder, "sigmoid");
    if (s->model.hidden1 < 0 || s->model.hidden1 == 1 || s->model.hidden1 > 8192)
        return mnt_fail(d, MNT_ERR_CONFIG, "model.hidden1 must be 0 (one encoder layer) or 2..8192");
    s->train.seed = (uint64_t)seed;
    if ((rc = mnt_train_validate(&s->train, d))) return rc;
    if (s->model.hidden < 2 || s->model.hidden > 8192) return mnt_fail(d, MNT_ERR_CONFIG, "model.hidden outside 2..8192");
    if (!(s->model.rho > 0 && s->model.rho < 1)) return mnt_fail(d, MNT_ERR_CONFIG, "model.rho outside (0, 1)");
    if (s->model.lambda < 0 || s->model.beta < 0 || s->model.lambda_g < 0 || s->model.w_cls < 0)
        return mnt_fail(d, MNT_ERR_CONFIG, "model weights (lambda, beta, lambda_g, w_cls) must be >= 0");
    if (s->model.k_sparse < 0 || s->model.k_sparse > s->model.hidden || s->model.k_alpha < 1 || s->model.k_alpha > 10)
        return mnt_fail(d, MNT_ERR_CONFIG, "model.k_sparse outside 0..hidden or k_alpha outside 1..10");
    if (!(s->threshold >= 0 && s->threshold <= 1) || !(s->quality_weight >= 0 && s->quality_weight <= 1) || s->stride < 1 || s->stride > 64 || !(s->nms_radius > 0 && s->nms_radius < 200) || !(s->roi_margin <= 200) ||
        !(s->direction_weight >= 0 && s->direction_weight <= 1))
        return mnt_fail(d, MNT_ERR_CONFIG, "detection settings out of range");
    return MNT_OK;
}

int mnt_patch_params_load(const char *path, mnt_patch_params *p, mnt_diag *d)
{
    double contrast[2] = {p->contrast_lo, p->contrast_hi};
    const mnt_cfg_field f[] = {
        {"patch.size", MNT_CFG_INT, &p->size},
        {"patch.grid", MNT_CFG_INT, &p->grid},
        {"patch.ridge_smoothing", MNT_CFG_NUMBER, &p->ridge_sigma},
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
