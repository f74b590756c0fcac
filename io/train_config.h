/* YAML configs of `minutiae patches` (patches.yaml) and `minutiae train`
 * (train.yaml). Every key optional, unknown keys are errors. */
#ifndef MNT_TRAIN_CONFIG_H
#define MNT_TRAIN_CONFIG_H

#include "gsae.h"
#include "patches.h"
#include "trainer.h"

typedef struct {
    mnt_gsae_config model;
    mnt_train_config train;
    double threshold, nms_radius, quality_weight; /* detection defaults for the model card */
    double roi_margin;                            /* ... (negative: the NMS radius) */
    double direction_weight;
    int stride;
} mnt_train_settings;

void mnt_train_settings_defaults(mnt_train_settings *s);
int mnt_train_settings_load(const char *path, mnt_train_settings *s, mnt_diag *d);
int mnt_patch_params_load(const char *path, mnt_patch_params *p, mnt_diag *d);

#endif
