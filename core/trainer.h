/* Training the GSAE from patch sets: split by source image, deterministic shuffles,
 * three phases (autoencoder, heads on the frozen code, joint fine-tuning), Adam with a
 * cosine learning rate, validation metrics. The state is small and explicit so a
 * checkpoint resumes to exactly the result of an uninterrupted run. */
#ifndef MNT_TRAINER_H
#define MNT_TRAINER_H

#include <stddef.h>
#include <stdint.h>

#include "gsae.h"
#include "patches.h"

typedef enum { MNT_PHASE_AE = 0, MNT_PHASE_HEADS, MNT_PHASE_FINETUNE, MNT_PHASE_DONE } mnt_train_phase;

typedef struct {
    int batch;
    double lr, lr_min;
    int epochs[3];          /* per phase */
    double val_share;       /* share of source images held out */
    int patience;           /* early stopping on validation loss, epochs (0 = off) */
    uint64_t seed;
    double finetune_encoder_lr; /* encoder learning-rate scale in fine-tuning */
} mnt_train_config;

void mnt_train_defaults(mnt_train_config *c);
int mnt_train_validate(const mnt_train_config *c, mnt_diag *d);

/* Everything a checkpoint must hold besides the network slab and Adam moments. */
typedef struct {
    int phase, epoch;         /* current phase and epoch within it */
    long batch_index;         /* next batch within the epoch */
    long global_step;
    double best_val;          /* best validation loss in the current phase */
    int bad_epochs;
} mnt_train_state;

typedef struct {
    double loss, rec, group, ce_minutia;
    double acc_minutia, f1_minutia, acc_type, acc_direction;
    size_t n;
} mnt_train_metrics;

typedef struct {
    const mnt_patch_set *set;
    mnt_train_config cfg;
    size_t *train_idx, *val_idx;
    size_t ntrain, nval;
    float *xbuf;               /* batch patches, normalised */
    int8_t *lab[MNT_GSAE_HEADS], *group;
    mnt_gsae_work work;
    size_t *perm;              /* epoch order of train_idx */
} mnt_trainer;

int mnt_trainer_new(mnt_trainer *t, const mnt_patch_set *set, const mnt_train_config *cfg, const mnt_gsae *net,
                    mnt_diag *d);
void mnt_trainer_free(mnt_trainer *t);

/* Number of batches per epoch of a phase. */
long mnt_trainer_batches(const mnt_trainer *t);
long mnt_trainer_total_steps(const mnt_trainer *t);
/* Orders the epoch's batches (a function of seed, phase and epoch only). */
void mnt_trainer_shuffle(mnt_trainer *t, int phase, int epoch);
/* One optimisation step on batch b of the current order; accumulates into m. */
int mnt_trainer_step(mnt_trainer *t, mnt_gsae *net, int phase, long b, long global_step, mnt_train_metrics *m);
/* Validation metrics (loss of the phase's terms, head accuracies). */
int mnt_trainer_validate(mnt_trainer *t, mnt_gsae *net, int phase, mnt_train_metrics *m);

/* Loads patch i normalised into out (grid^2 floats). */
void mnt_trainer_patch(const mnt_patch_set *set, size_t i, float *out);

#endif
