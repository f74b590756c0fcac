/* Model files: "MNTMODEL" | u32 version | u32 card length | YAML model card |
 * u32 has_state | [training state] | u32 nparams | params (f32) | [Adam m, v] |
 * u32 CRC-32 of everything before. Big-endian. The card's `architecture` and
 * `detection` sections configure the network and extraction; the rest (training,
 * data, validation) is provenance. The loader refuses foreign, corrupt or
 * inconsistent files with the reason. */
#ifndef MNT_MODEL_FILE_H
#define MNT_MODEL_FILE_H

#include "bytes.h"
#include "detect.h"
#include "gsae.h"
#include "trainer.h"

enum { MNT_MODEL_VERSION = 1 };

typedef struct {
    mnt_gsae net;
    int patch_size, grid;
    int context;           /* multi-scale input (patches.h mnt_patch_cut), 0 = none */
    double threshold;      /* detection threshold on the minutia probability */
    int stride;            /* dense scoring stride, pixels */
    double nms_radius;     /* pixels */
    double quality_weight; /* weight of the local ridge quality in the score (0..1) */
    double ridge_sigma;    /* smoothing along ridges before cutting patches, pixels (0 = off) */
    double orientation_sigma; /* structure tensor smoothing for the orientation, pixels */
    double roi_margin;     /* detections this close to the region's edge are dropped, pixels */
    double direction_weight; /* weight of the direction head's certainty in the score (0..1) */
    double region_threshold; /* > 0: the region is where the foreground head reaches this; 0: segmented */
    char *card;            /* YAML text */
    int has_state;
    mnt_train_state state;
} mnt_model;

/* The detector of a model with the settings it carries (callers override the ones a
 * run changes, such as the threshold). */
mnt_detector mnt_model_detector(const mnt_model *m);

/* The provenance sections of a card: what follows the generated ones (the first
 * top-level key after `detection:`), "" when there is none. */
const char *mnt_model_card_provenance(const char *card);

/* Card text from the fields + free-form provenance sections (YAML text, may be NULL). */
int mnt_model_make_card(mnt_model *m, const char *provenance, mnt_diag *d);
int mnt_model_encode(const mnt_model *m, int with_state, mnt_buf *out, mnt_diag *d);
int mnt_model_decode(const uint8_t *data, size_t len, mnt_model *m, mnt_diag *d);
int mnt_model_write(const char *path, const mnt_model *m, int with_state, mnt_diag *d);
int mnt_model_read(const char *path, mnt_model *m, mnt_diag *d);
void mnt_model_free(mnt_model *m);

#endif
