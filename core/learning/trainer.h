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
    int finetune_autoencoder;   /* 1: fine-tuning keeps the autoencoder's terms; 0: heads only (no AE) */
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
    double acc_minutia, f1_minutia, acc_type, acc_direction, acc_foreground;
    size_t n;
} mnt_train_metrics;

/* A source of training patches in a mixture: the patches [first, first + count) of the
 * set (one input patch set) and its weight. An epoch draws as many patches as there
 * are training patches in all; source s gets round(that * weight_s / sum of weights)
 * of them (largest remainder), drawn as passes over its own training patches in a
 * random order (each patch once per pass: no repeats before every patch of the source
 * was drawn), then the whole epoch is shuffled. The order is a function of the seed,
 * the phase and the epoch only. With one source an epoch is every training patch once,
 * as without a mixture. Validation is not weighted: every held-out patch counts once. */
typedef struct {
    size_t first, count;
    double weight;        /* finite, >= 0; not all 0 */
    const char *name;     /* for messages (may be NULL) */
} mnt_train_source;

enum { MNT_TRAIN_MAX_SOURCES = 64 };

/* A source as the trainer uses it: its training patches are
 * train_idx[train_first, train_first + ntrain), of which draws go into each epoch. */
typedef struct {
    double weight;
    size_t train_first, ntrain, draws;
} mnt_trainer_source;

/* Where the trainer finds its patches: an in-memory set (mnt_trainer_new) or records
 * read on demand from files larger than memory (io/patchset_file.h, streams). read
 * fills meta[0..count) with the label fields of patches first..first+count-1 and, when
 * px is not NULL, px with their mnt_patch_values(grid, context) pixels each; 0 or an
 * error code. */
typedef struct {
    size_t n, nsources;
    int grid, context;
    int (*read)(void *ctx, size_t first, size_t count, mnt_patch *meta, uint8_t *px);
    void *ctx;
} mnt_patch_reader;

/* Data-parallel training (app/train_mpi.c): this process is shard `rank` of `size`.
 * Every shard holds the same parameters and draws the same epoch order; a global batch
 * of cfg.batch patches is split into `size` contiguous sub-batches (shard r takes
 * [batch * r / size, batch * (r + 1) / size)), the batch-level statistics, gradients
 * and losses are summed over the shards (sum_f64, sum_f32: see mnt_gsae_shard) and
 * every shard takes the same Adam step, so the weights equal one process's up to the
 * order of float sums. Validation batches are dealt round-robin and the metrics
 * summed. size 1 (the default) is one process, bit for bit as without shards. */
typedef struct {
    int rank, size;
    int (*sum_f64)(void *ctx, double *v, size_t n);
    int (*sum_f32)(void *ctx, float *v, size_t n);
    void *ctx;
} mnt_train_shards;

/* A patch's index in the set (sets hold at most 50 million patches): 4 bytes a patch
 * for the split and 4 for the epoch order are all the trainer keeps per patch. */
typedef uint32_t mnt_patch_index;

typedef struct {
    const mnt_patch_set *set;  /* the in-memory set (NULL when reading on demand) */
    mnt_patch_reader rd;
    mnt_train_config cfg;
    mnt_train_shards shards;
    mnt_patch_index *train_idx, *val_idx; /* ascending; one array: val_idx = train_idx + ntrain */
    size_t ntrain, nval;
    mnt_trainer_source *src;   /* nsrc sources, in the order of the patch ranges */
    size_t nsrc;
    mnt_patch_index *pass;     /* scratch: one pass over a source's training patches */
    float *xbuf;               /* batch patches, normalised */
    uint8_t *pxbuf;            /* one patch's pixels as read */
    int8_t *lab[MNT_GSAE_HEADS], *group;
    mnt_gsae_work work;
    mnt_patch_index *perm;     /* epoch order of train_idx */
} mnt_trainer;

/* sources: a partition of the set's patches into consecutive ranges, in order, with
 * their weights (nsources <= MNT_TRAIN_MAX_SOURCES); NULL / 0: the whole set is one
 * source. A source with a positive weight needs at least one training patch. */
int mnt_trainer_new(mnt_trainer *t, const mnt_patch_set *set, const mnt_train_config *cfg, const mnt_gsae *net,
                    const mnt_train_source *sources, size_t nsources, mnt_diag *d);
/* The same on a reader (the patches it reads must outlive t). The same patches give
 * the same training, bit for bit, whichever way they are read. */
int mnt_trainer_new_reader(mnt_trainer *t, const mnt_patch_reader *r, const mnt_train_config *cfg, const mnt_gsae *net,
                           const mnt_train_source *sources, size_t nsources, mnt_diag *d);
/* A reader over an in-memory set. */
void mnt_patch_set_reader(const mnt_patch_set *set, mnt_patch_reader *r);
void mnt_trainer_free(mnt_trainer *t);
/* Makes t one shard of a data-parallel run (size <= cfg.batch). */
int mnt_trainer_set_shards(mnt_trainer *t, const mnt_train_shards *s, mnt_diag *d);

/* Number of batches per epoch of a phase. */
long mnt_trainer_batches(const mnt_trainer *t);
long mnt_trainer_total_steps(const mnt_trainer *t);
/* Orders (and, with several sources, draws) the epoch's patches into perm: a function
 * of seed, phase and epoch only. */
void mnt_trainer_shuffle(mnt_trainer *t, int phase, int epoch);
/* One optimisation step on batch b of the current order; accumulates into m. */
int mnt_trainer_step(mnt_trainer *t, mnt_gsae *net, int phase, long b, long global_step, mnt_train_metrics *m);
/* Validation metrics (loss of the phase's terms, head accuracies). */
int mnt_trainer_validate(mnt_trainer *t, mnt_gsae *net, int phase, mnt_train_metrics *m);

/* Loads patch i normalised into out (mnt_patch_values(grid, context) floats). */
void mnt_trainer_patch(const mnt_patch_set *set, size_t i, float *out);
/* Normalises the pixels of one patch as read into out (what mnt_trainer_patch does). */
void mnt_trainer_pixels(const uint8_t *px, int grid, int context, float *out);

#endif
