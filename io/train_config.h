/* YAML configs of `minutiae patches` (patches.yaml) and `minutiae train`
 * (train.yaml). Every key optional, unknown keys are errors. */
#ifndef MNT_TRAIN_CONFIG_H
#define MNT_TRAIN_CONFIG_H

#include "gsae.h"
#include "patches.h"
#include "trainer.h"

/* A patch set to train on and its weight (docs/training.md, "Mixing sources"). */
typedef struct {
    char *set;     /* path as given, relative to the current directory */
    double weight; /* finite, >= 0 */
} mnt_data_source;

/* The sources of a training run: the command line's sets first, then data.sources of
 * the config; at most MNT_TRAIN_MAX_SOURCES, each set once. */
typedef struct {
    mnt_data_source *v;
    size_t n;
} mnt_data_sources;

enum { MNT_MAX_SET_PATH = 4095 };

void mnt_data_sources_free(mnt_data_sources *l);
/* Appends a source; `what` names it in messages ("line 4: data.sources[0]"). */
int mnt_data_sources_add(mnt_data_sources *l, const char *set, double weight, const char *what, mnt_diag *d);
/* A command-line set: SET, or SET:WEIGHT when the text after the last ':' is a number
 * (only digits, '.', '+', '-', 'e', 'E'); the weight is then required to be a finite
 * number >= 0. Without one the weight is 1. */
int mnt_data_sources_add_arg(mnt_data_sources *l, const char *arg, mnt_diag *d);
/* Appends every source of src (duplicates of l's refused); `what` names src in
 * messages ("data.sources"). */
int mnt_data_sources_append(mnt_data_sources *l, const mnt_data_sources *src, const char *what, mnt_diag *d);
/* At least one source and not every weight 0. */
int mnt_data_sources_check(const mnt_data_sources *l, mnt_diag *d);

typedef struct {
    mnt_gsae_config model;
    mnt_train_config train;
    double threshold, nms_radius, quality_weight; /* detection defaults for the model card */
    double roi_margin;                            /* ... (negative: the NMS radius) */
    double direction_weight;
    double region_threshold; /* learned region's threshold when the sets teach background; 0 = segmented */
    int stride;
    mnt_data_sources data; /* data.sources */
} mnt_train_settings;

void mnt_train_settings_defaults(mnt_train_settings *s);
/* Parses a train.yaml text / file into s (keys absent keep their values; data.sources
 * are appended to s->data). */
int mnt_train_settings_parse(const char *text, size_t len, mnt_train_settings *s, mnt_diag *d);
int mnt_train_settings_load(const char *path, mnt_train_settings *s, mnt_diag *d);
void mnt_train_settings_free(mnt_train_settings *s);
int mnt_patch_params_load(const char *path, mnt_patch_params *p, mnt_diag *d);

#endif
