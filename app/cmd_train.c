/* minutiae train: trains the GSAE and its heads from patch sets. */
#include <cblas.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "embedded_model.h"
#include "commands.h"
#include "fs_util.h"
#include "model_file.h"
#include "patchset_file.h"
#include "train_config.h"
#include "train_mpi.h"
#include "yaml_tree.h"

static const char *HELP =
    "usage: minutiae train SET[:WEIGHT]... -o MODEL [OPTIONS]\n\n"
    "Trains the supervised group-sparse autoencoder on patch sets (from 'minutiae\n"
    "patches') in three phases: the autoencoder (reconstruction, weight decay, KL and\n"
    "group sparsity), the heads on the frozen code, then joint fine-tuning. Holds out\n"
    "whole source images for validation, stops a phase early when validation stops\n"
    "improving, prints a progress line and writes MODEL.log.csv. A checkpoint\n"
    "(MODEL.ckpt) is written every --checkpoint-every steps and on Ctrl-C; --resume\n"
    "continues from it to exactly the result of an uninterrupted run.\n\n"
    "Several sets are a mixture: each epoch draws as many patches as there are\n"
    "training patches, set s contributing the share WEIGHT_s / sum of the weights.\n"
    "A set's weight is the number after its last ':' (SET:2.5), else 1; the config's\n"
    "data.sources ({set: FILE, weight: W}, paths relative to the current directory)\n"
    "follow the command line's sets. One set: every training patch once per epoch.\n\n"
    "Started by mpirun (a build with -DMNT_MPI=ON), the processes split every batch and\n"
    "sum their gradients: the weights of one process within float tolerance; rank 0\n"
    "prints and writes (docs/scale-out.md).\n\n"
    "options:\n"
    "  -o MODEL             output model file\n"
    "  --config FILE        train.yaml (see models/train.yaml)\n"
    "  --epochs N           epochs of every phase (overrides the config)\n"
    "  --resume             continue from MODEL.ckpt\n"
    "  --init MODEL         fine-tune MODEL (a file, or 'default' for the embedded one) on\n"
    "                       the sets: its architecture and detection settings, the\n"
    "                       config's training terms, heads then fine-tuning phases (no\n"
    "                       autoencoder pre-training); its card is kept under history\n"
    "  --threads N          BLAS threads (default: all cores / processes on the node)\n"
    "  --checkpoint-every N steps between checkpoints (default 200)\n"
    "  --max-steps N        stop after N steps with a checkpoint, as Ctrl-C does\n"
    "  --note TEXT          provenance line for the model card (data.note)\n"
    "  --stream             read patches from the sets' files on demand (bounded memory;\n"
    "                       automatic when the sets add up to more than 2 GiB)\n"
    "  -q                   no progress line\n"
    "  -h, --help           this help\n";

enum { OPT_OUT = 1, OPT_CONFIG, OPT_EPOCHS, OPT_RESUME, OPT_THREADS, OPT_CKPT, OPT_MAXSTEPS, OPT_QUIET, OPT_HELP, OPT_NOTE, OPT_STREAM,
       OPT_INIT };

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static const char *PHASE_NAMES[] = {"autoencoder", "heads", "finetune", "done"};

/* Below this validation F1 of the minutia head a model is not worth shipping. */
#define LOW_VALIDATION_F1 0.1

/* Merges several sets (same geometry) into one. */
static int merge_sets(mnt_patch_set *dst, const mnt_patch_set *src, mnt_diag *d)
{
    if (dst->grid != src->grid || dst->size != src->size || dst->ridge_sigma != src->ridge_sigma ||
        dst->orientation_sigma != src->orientation_sigma || dst->context != src->context)
        return mnt_fail(d, MNT_ERR_FORMAT, "patch geometry %d/%d (ridge smoothing %g, context %d) differs from the first set's %d/%d (%g, %d)",
                        src->size, src->grid, src->ridge_sigma, src->context, dst->size, dst->grid, dst->ridge_sigma, dst->context);
    uint32_t base = (uint32_t)dst->nsources;
    for (size_t i = 0; i < src->nsources; i++) {
        uint32_t idx;
        if (mnt_patch_set_add_source(dst, src->sources[i], &idx)) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    size_t g2 = (size_t)mnt_patch_values(src->grid, src->context);
    float *px = malloc(g2 * sizeof *px);
    if (!px) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < src->n; i++) {
        for (size_t k = 0; k < g2; k++) px[k] = src->pool[i * g2 + k] / 255.0f;
        mnt_patch meta = src->p[i];
        meta.source += base;
        if (mnt_patch_set_push(dst, px, &meta)) {
            free(px);
            return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        }
    }
    free(px);
    return MNT_OK;
}

/* Reads every source's set into all, one after the other; ranges[i] receives the
 * patches of source i. On failure *failed names the set. */
static int load_sources(const mnt_data_sources *l, mnt_patch_set *all, mnt_train_source *ranges, const char **failed,
                        mnt_diag *d)
{
    for (size_t i = 0; i < l->n; i++) {
        mnt_patch_set s;
        int rc;
        *failed = l->v[i].set;
        if ((rc = mnt_patchset_read(l->v[i].set, &s, d))) {
            if (i) mnt_patch_set_free(all);
            return rc;
        }
        ranges[i] = (mnt_train_source){i ? all->n : 0, s.n, l->v[i].weight, l->v[i].set};
        if (i == 0) {
            *all = s;
            continue;
        }
        rc = merge_sets(all, &s, d);
        mnt_patch_set_free(&s);
        if (rc) {
            mnt_patch_set_free(all);
            return rc;
        }
    }
    return MNT_OK;
}

/* The training patches: one in-memory set (the sources merged), or the sets' files
 * read on demand (--stream, or sets too large for memory). The fields a run needs
 * carry the names of mnt_patch_set's. */
typedef struct {
    int streamed;
    mnt_patch_set set;
    mnt_patchset_stream stream;
    mnt_patch_reader rd;
    int size, grid, context;
    double ridge_sigma, orientation_sigma;
    size_t n, nsources;
    int has_background;
} train_data;

/* Sets whose files add up to more than this are streamed without --stream. */
#define STREAM_ABOVE ((long long)2 << 30)

static void data_free(train_data *td)
{
    if (td->streamed) mnt_patchset_stream_close(&td->stream);
    else mnt_patch_set_free(&td->set);
}

static int data_load(train_data *td, const mnt_data_sources *l, int stream, mnt_train_source *ranges, const char **failed,
                     mnt_diag *d)
{
    memset(td, 0, sizeof *td);
    long long total = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct stat sb;
        if (stat(l->v[i].set, &sb) == 0) total += (long long)sb.st_size;
    }
    td->streamed = stream || total > STREAM_ABOVE;
    int rc;
    if (td->streamed) {
        const char *paths[MNT_TRAIN_MAX_SOURCES];
        for (size_t i = 0; i < l->n; i++) paths[i] = l->v[i].set;
        size_t bad = 0;
        if ((rc = mnt_patchset_stream_open(&td->stream, paths, l->n, &bad, d))) {
            *failed = l->v[bad].set;
            return rc;
        }
        const mnt_patchset_stream *s = &td->stream;
        for (size_t i = 0; i < l->n; i++) {
            size_t first, count;
            mnt_patchset_stream_range(s, i, &first, &count);
            ranges[i] = (mnt_train_source){first, count, l->v[i].weight, l->v[i].set};
        }
        td->rd = (mnt_patch_reader){s->n, s->nsources, s->grid, s->context, mnt_patchset_stream_read, &td->stream};
        td->size = s->size;
        td->grid = s->grid;
        td->context = s->context;
        td->ridge_sigma = s->ridge_sigma;
        td->orientation_sigma = s->orientation_sigma;
        td->n = s->n;
        td->nsources = s->nsources;
        td->has_background = s->has_background;
        return MNT_OK;
    }
    if ((rc = load_sources(l, &td->set, ranges, failed, d))) return rc;
    const mnt_patch_set *s = &td->set;
    mnt_patch_set_reader(s, &td->rd);
    td->size = s->size;
    td->grid = s->grid;
    td->context = s->context;
    td->ridge_sigma = s->ridge_sigma;
    td->orientation_sigma = s->orientation_sigma;
    td->n = s->n;
    td->nsources = s->nsources;
    for (size_t i = 0; i < s->n && !td->has_background; i++) td->has_background = s->p[i].region == MNT_REGION_BACKGROUND;
    return MNT_OK;
}

/* The card's data.sources block: each set, its weight and share, its patches, training
 * patches and draws per epoch. The same data and weights give the same text, which is
 * how --resume recognises its checkpoint. */
static void write_sources_block(mnt_buf *b, const mnt_data_sources *l, const mnt_train_source *ranges,
                                const mnt_trainer *tr)
{
    double sum = 0;
    for (size_t i = 0; i < l->n; i++) sum += l->v[i].weight;
    mnt_buf_printf(b, "  sources:\n");
    for (size_t i = 0; i < l->n; i++) {
        mnt_buf_printf(b, "    - set: ");
        mnt_yaml_write_string(b, l->v[i].set);
        mnt_buf_printf(b, "\n      weight: %.9g\n      share: %.6g\n      patches: %zu\n      train_patches: %zu\n"
                          "      draws_per_epoch: %zu\n",
                       l->v[i].weight, l->v[i].weight / sum, ranges[i].count, tr->src[i].ntrain, tr->src[i].draws);
    }
}

/* Provenance sections of the card: the training settings and the data. */
static void write_provenance(mnt_buf *b, const mnt_train_settings *st, long threads, int ranks, const char *note,
                             const char *sources_block, const train_data *all, const mnt_trainer *tr)
{
    const mnt_train_config *t = &st->train;
    mnt_buf_printf(b,
                   "training:\n  batch: %d\n  lr: %.6g\n  lr_min: %.6g\n  epochs: [%d, %d, %d]\n  val_share: %.3g\n"
                   "  patience: %d\n  seed: %llu\n  finetune_encoder_lr: %.3g\n  finetune_autoencoder: %d\n  threads: %ld\n",
                   t->batch, t->lr, t->lr_min, t->epochs[0], t->epochs[1], t->epochs[2], t->val_share, t->patience,
                   (unsigned long long)t->seed, t->finetune_encoder_lr, t->finetune_autoencoder, threads);
    /* data-parallel runs only, so one process's card is as before */
    if (ranks > 1) mnt_buf_printf(b, "  processes: %d\n", ranks);
    mnt_buf_printf(b,
                   "data:\n  note: \"%s\"\n%s  patches: %zu\n  train_patches: %zu\n  validation_patches: %zu\n"
                   "  source_images: %zu\n",
                   note ? note : "", sources_block, all->n, tr->ntrain, tr->nval, all->nsources);
}

/* A fine-tuned model's card says what it started from, and keeps that model's card
 * (with its own history) as a literal block. */
static void write_history(mnt_buf *b, const char *init, const char *card)
{
    if (!init) return;
    mnt_buf_printf(b, "history:\n  fine_tuned_from: ");
    mnt_buf_json_string(b, init);
    mnt_buf_printf(b, "\n  previous_card: |\n");
    for (const char *p = card ? card : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        mnt_buf_printf(b, "    %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}

/* One line per source when there are several. */
static void print_mixture(const mnt_data_sources *l, const mnt_trainer *tr)
{
    if (l->n < 2) return;
    double sum = 0;
    for (size_t i = 0; i < l->n; i++) sum += l->v[i].weight;
    for (size_t i = 0; i < l->n; i++)
        fprintf(stderr, "minutiae: train: %s: weight %g (share %.3f), %zu of the %zu patches of an epoch, from %zu training patches\n",
                l->v[i].set, l->v[i].weight, l->v[i].weight / sum, tr->src[i].draws, tr->ntrain, tr->src[i].ntrain);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int save(const char *path, mnt_model *m, int with_state, const char *prov, mnt_diag *d)
{
    int rc = mnt_model_make_card(m, prov, d);
    return rc ? rc : mnt_model_write(path, m, with_state, d);
}

/* Options of one run. */
typedef struct {
    const char *out, *config, *note;
    const char *init; /* --init MODEL: fine-tune its weights */
    int resume, quiet;
    long epochs, threads, ckpt_every, max_steps;
    int stream;
} train_options;

/* --init MODEL: its weights and architecture, the config's training terms, training
 * from the heads phase on (the autoencoder is not pre-trained again); its card is kept
 * as the new card's history. The patch sets must be cut as the model's were. */
static int init_from_model(mnt_model *model, const char *path, mnt_train_settings *st, const train_data *all, int root,
                           char **history)
{
    mnt_diag d = {0};
    const uint8_t *blob;
    size_t len;
    int rc = !strcmp(path, "default") ? (embedded_model(&blob, &len) ? mnt_model_decode(blob, len, model, &d)
                                                                     : mnt_fail(&d, MNT_ERR_NOTFOUND, "this build has no embedded model"))
                                      : mnt_model_read(path, model, &d);
    if (rc) return root ? cli_report(path, rc, &d) : cli_exit_code(rc);
    if (model->grid != all->grid || model->patch_size != all->size || model->ridge_sigma != all->ridge_sigma ||
        model->orientation_sigma != all->orientation_sigma || model->context != all->context) {
        if (root)
            cli_error(path, "the patch sets were cut with other settings (grid %d, patch %d px, ridge smoothing %.1f, orientation "
                            "smoothing %.1f, context %d) than this model's (%d, %d, %.1f, %.1f, %d): cut them with the model's patch settings",
                      all->grid, all->size, all->ridge_sigma, all->orientation_sigma, all->context, model->grid, model->patch_size,
                      model->ridge_sigma, model->orientation_sigma, model->context);
        mnt_model_free(model);
        return EXIT_CONFIG;
    }
    *history = model->card; /* the card of the model fine-tuned, kept in the new card */
    model->card = NULL;
    mnt_gsae_config c = model->net.cfg; /* the architecture stays */
    c.lambda = st->model.lambda;
    c.beta = st->model.beta;
    c.rho = st->model.rho;
    c.lambda_g = st->model.lambda_g;
    c.w_cls = st->model.w_cls;
    model->net.cfg = c;
    st->model = c;
    memset(&model->state, 0, sizeof model->state);
    model->state.phase = 1; /* heads, then fine-tuning */
    model->state.best_val = 1e300;
    model->net.adam_t = 0;
    return EXIT_OK;
}

/* Loads the sources, then trains (or resumes) and writes the model; an exit code. */
static int train_run(mnt_train_settings *st, const mnt_data_sources *sources, const train_options *o, const train_mpi *mpi)
{
    const char *out = o->out, *config = o->config, *note = o->note;
    /* one process (rank 0) prints, logs and writes checkpoints and the model */
    const int root = mpi->rank == 0, resume = o->resume, quiet = o->quiet || !root;
    const long ckpt_every = o->ckpt_every, max_steps = o->max_steps;
    long threads = o->threads;
    mnt_diag d = {0};
    if (o->epochs >= 0) st->train.epochs[0] = st->train.epochs[1] = st->train.epochs[2] = (int)o->epochs;
    if (threads <= 0) { /* the cores, shared by the processes of this node */
        long cores = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
        threads = cores / mpi->local_size > 0 ? cores / mpi->local_size : 1;
    }
    openblas_set_num_threads((int)threads);

    train_data all;
    mnt_train_source ranges[MNT_TRAIN_MAX_SOURCES];
    const char *failed = NULL;
    int rc = data_load(&all, sources, o->stream, ranges, &failed, &d);
    int code = rc ? cli_report(failed, rc, &d) : EXIT_OK;
    int agreed = train_mpi_agree(mpi, code);
    if (agreed) { /* every process stops when one could not read */
        if (!rc) data_free(&all);
        return code ? code : agreed;
    }
    st->model.input = mnt_patch_values(all.grid, all.context);

    char ckpt[4096], logpath[4096];
    snprintf(ckpt, sizeof ckpt, "%s.ckpt", out);
    snprintf(logpath, sizeof logpath, "%s.log.csv", out);
    mnt_model model;
    memset(&model, 0, sizeof model);
    char *init_card = NULL;
    int have_ckpt = resume && file_exists(ckpt);
    if (train_mpi_agree(mpi, have_ckpt) != have_ckpt) { /* not one file system */
        data_free(&all);
        if (root) cli_error(ckpt, "not every process sees the checkpoint: run them on one shared file system");
        return EXIT_NOINPUT;
    }
    if (have_ckpt) {
        rc = mnt_model_read(ckpt, &model, &d);
        code = rc ? cli_report(ckpt, rc, &d) : EXIT_OK;
        if ((code = train_mpi_agree(mpi, code))) {
            if (!rc) mnt_model_free(&model);
            data_free(&all);
            return code;
        }
        if (!model.has_state || model.net.cfg.input != st->model.input || model.net.cfg.hidden != st->model.hidden ||
            model.grid != all.grid || model.patch_size != all.size || model.ridge_sigma != all.ridge_sigma ||
            model.orientation_sigma != all.orientation_sigma || model.context != all.context) {
            mnt_model_free(&model);
            data_free(&all);
            cli_error(ckpt, "checkpoint does not match this configuration and these patch sets");
            return EXIT_CONFIG;
        }
        model.net.cfg = st->model; /* same architecture; weights of the terms from the config */
        if (!quiet) fprintf(stderr, "minutiae: train: resuming at %s epoch %d batch %ld (step %ld)\n",
                            PHASE_NAMES[model.state.phase], model.state.epoch + 1, model.state.batch_index, model.state.global_step);
    } else if (o->init) {
        if (resume && root) cli_error(ckpt, "warning: no checkpoint; starting from %s", o->init);
        if ((code = init_from_model(&model, o->init, st, &all, root, &init_card))) {
            data_free(&all);
            return code;
        }
    } else {
        if (resume && root) cli_error(ckpt, "warning: no checkpoint; starting from scratch");
        if ((rc = mnt_gsae_new(&model.net, &st->model, st->train.seed, &d))) {
            data_free(&all);
            return cli_report(config ? config : out, rc, &d);
        }
        model.patch_size = all.size;
        model.grid = all.grid;
        model.context = all.context;
        model.ridge_sigma = all.ridge_sigma;
        model.orientation_sigma = all.orientation_sigma;
        model.state.best_val = 1e300;
    }
    if (!o->init) { /* a fine-tuned model keeps the detection settings it was validated with */
        model.threshold = st->threshold;
        model.stride = st->stride;
        model.nms_radius = st->nms_radius;
        model.quality_weight = st->quality_weight;
        model.roi_margin = st->roi_margin >= 0 ? st->roi_margin : st->nms_radius;
        model.direction_weight = st->direction_weight;
        /* the learned region, when asked for, needs sets that taught the foreground head
         * background */
        model.region_threshold = 0;
        if (st->region_threshold > 0 && all.has_background) model.region_threshold = st->region_threshold;
    }

    mnt_trainer tr;
    mnt_train_shards shards;
    train_mpi_shards((train_mpi *)mpi, &shards);
    if ((rc = mnt_trainer_new_reader(&tr, &all.rd, &st->train, &model.net, ranges, sources->n, &d)) ||
        (rc = mnt_trainer_set_shards(&tr, &shards, &d))) {
        if (tr.rd.read) mnt_trainer_free(&tr);
        mnt_model_free(&model);
        data_free(&all);
        return cli_report(sources->n == 1 || !config ? sources->v[0].set : config, rc, &d);
    }
    mnt_buf sources_block = {0}, prov = {0};
    write_sources_block(&sources_block, sources, ranges, &tr);
    mnt_buf_u8(&sources_block, 0);
    write_provenance(&prov, st, threads, mpi->size, note, (const char *)sources_block.data, &all, &tr);
    write_history(&prov, o->init, init_card);
    free(init_card);
    init_card = NULL;
    mnt_buf_u8(&prov, 0);
    int refused = 0;
    if (sources_block.failed || prov.failed) refused = cli_report(out, MNT_ERR_NOMEM, NULL);
    else if (model.card && !strstr(model.card, (const char *)sources_block.data)) {
        cli_error(ckpt, "checkpoint was made from other patch sets or weights (its card's data.sources differ)");
        refused = EXIT_CONFIG;
    }
    if (refused) {
        mnt_buf_free(&sources_block);
        mnt_buf_free(&prov);
        mnt_trainer_free(&tr);
        mnt_model_free(&model);
        data_free(&all);
        return refused;
    }
    if (!quiet) print_mixture(sources, &tr);
    FILE *log = root ? fopen(logpath, model.state.global_step ? "a" : "w") : fopen("/dev/null", "w");
    if (train_mpi_agree(mpi, !log)) {
        if (log) fclose(log);
        else cli_error(logpath, "cannot create: %s", strerror(errno));
        mnt_buf_free(&sources_block);
        mnt_buf_free(&prov);
        mnt_trainer_free(&tr);
        mnt_model_free(&model);
        data_free(&all);
        return EXIT_CANTCREAT;
    }
    if (!model.state.global_step)
        fprintf(log, "phase,epoch,step,train_loss,val_loss,val_rec,val_group,val_acc_minutia,val_f1_minutia,val_acc_type,val_acc_direction,val_acc_foreground\n");
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old);
    /* under a launcher, which passes a Ctrl-C on as SIGTERM: stop with a checkpoint too */
    struct sigaction old_term;
    if (mpi->size > 1) sigaction(SIGTERM, &sa, &old_term);

    long nb = mnt_trainer_batches(&tr), total = mnt_trainer_total_steps(&tr);
    double t0 = now_s(), last_print = 0;
    const int tty = isatty(fileno(stderr));
    long steps_this_run = 0;
    int stop = 0, exit_code = EXIT_OK;
    mnt_train_metrics val = {0};
    mnt_train_state *s = &model.state;
    /* a phase that stops early leaves the loop with batch_index at the end of its epoch:
     * every phase starts at batch 0 (issue 10 item 11) */
    for (; s->phase < MNT_PHASE_DONE && !stop;
         s->phase++, s->epoch = 0, s->batch_index = 0, s->best_val = 1e300, s->bad_epochs = 0) {
        for (; s->epoch < st->train.epochs[s->phase] && !stop; s->epoch++, s->batch_index = 0) {
            mnt_trainer_shuffle(&tr, s->phase, s->epoch);
            mnt_train_metrics tm = {0};
            for (; s->batch_index < nb; s->batch_index++) {
                rc = mnt_trainer_step(&tr, &model.net, s->phase, s->batch_index, s->global_step, &tm);
                if (rc == MNT_ERR_NUMERIC) {
                    cli_error(out, "training diverged (NaN or infinity) at step %ld in the %s phase; lower train.lr. "
                                   "The last good checkpoint is kept in %s", s->global_step, PHASE_NAMES[s->phase], ckpt);
                    exit_code = EXIT_CONFIG;
                    stop = 2;
                    break;
                }
                if (rc) {
                    cli_report(out, rc, NULL);
                    /* the other processes wait in this step's sums */
                    train_mpi_abort(mpi, EXIT_IOERR);
                    exit_code = EXIT_IOERR;
                    stop = 2;
                    break;
                }
                s->global_step++;
                steps_this_run++;
                /* every process stops at the same step when one was interrupted */
                int signalled = mpi->size > 1 ? train_mpi_any(mpi, interrupted) : interrupted;
                if (signalled) interrupted = 1;
                int want_stop = signalled || (max_steps >= 0 && steps_this_run >= max_steps);
                if (root && (s->global_step % ckpt_every == 0 || want_stop)) {
                    mnt_train_state saved = *s;
                    s->batch_index++; /* resume after this batch */
                    if ((rc = save(ckpt, &model, 1, (const char *)prov.data, &d))) cli_report(ckpt, rc, &d);
                    *s = saved;
                }
                if (want_stop) {
                    s->batch_index++;
                    stop = 1;
                    break;
                }
                double now = now_s();
                /* a progress line rewritten in place on a terminal; logs get the epoch lines only */
                if (!quiet && tty && now - last_print > 1.0) {
                    double rate = (double)steps_this_run / (now - t0);
                    double eta = rate > 0 ? (double)(total - s->global_step) / rate : 0;
                    fprintf(stderr, "\rminutiae: train: %-11s epoch %d/%d  batch %ld/%ld  loss %.4f  %.0f patches/s  ETA %.0f s   ",
                            PHASE_NAMES[s->phase], s->epoch + 1, st->train.epochs[s->phase], s->batch_index + 1, nb,
                            tm.n ? tm.loss / (double)tm.n : 0, rate * st->train.batch, eta);
                    last_print = now;
                }
            }
            if (stop) break;
            if ((rc = mnt_trainer_validate(&tr, &model.net, s->phase, &val))) {
                cli_report(out, rc, NULL);
                train_mpi_abort(mpi, EXIT_IOERR);
                exit_code = EXIT_IOERR;
                stop = 2;
                break;
            }
            fprintf(log, "%s,%d,%ld,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f\n", PHASE_NAMES[s->phase], s->epoch + 1,
                    s->global_step, tm.n ? tm.loss / (double)tm.n : 0, val.loss, val.rec, val.group, val.acc_minutia,
                    val.f1_minutia, val.acc_type, val.acc_direction, val.acc_foreground);
            fflush(log);
            if (!quiet)
                fprintf(stderr, "%sminutiae: train: %-11s epoch %d/%d  val loss %.4f  minutia acc %.3f F1 %.3f  type %.3f  direction %.3f\n",
                        tty ? "\r" : "", PHASE_NAMES[s->phase], s->epoch + 1, st->train.epochs[s->phase], val.loss, val.acc_minutia,
                        val.f1_minutia, val.acc_type, val.acc_direction);
            if (val.loss < s->best_val - 1e-6) {
                s->best_val = val.loss;
                s->bad_epochs = 0;
            } else if (st->train.patience && ++s->bad_epochs >= st->train.patience) {
                if (!quiet) fprintf(stderr, "minutiae: train: %s phase stops early (no improvement for %d epochs)\n",
                                    PHASE_NAMES[s->phase], s->bad_epochs);
                s->epoch++;
                break;
            }
        }
        if (stop) break;
    }
    sigaction(SIGINT, &old, NULL);
    if (mpi->size > 1) sigaction(SIGTERM, &old_term, NULL);
    fclose(log);
    if (stop == 1) {
        if (root) fprintf(stderr, "minutiae: train: stopped at step %ld; checkpoint %s (continue with --resume)\n", s->global_step, ckpt);
        exit_code = interrupted ? 130 : EXIT_OK;
    } else if (!stop && root) {
        mnt_buf full = {0};
        mnt_buf_printf(&full,
                       "%svalidation:\n  loss: %.6f\n  minutia_accuracy: %.4f\n  minutia_f1: %.4f\n  type_accuracy: %.4f\n"
                       "  direction_accuracy: %.4f\n  foreground_accuracy: %.4f\n",
                       (const char *)prov.data, val.loss, val.acc_minutia, val.f1_minutia, val.acc_type, val.acc_direction,
                       val.acc_foreground);
        mnt_buf_u8(&full, 0);
        if (full.failed) exit_code = cli_report(out, MNT_ERR_NOMEM, NULL);
        else if ((rc = save(out, &model, 0, (const char *)full.data, &d))) exit_code = cli_report(out, rc, &d);
        else {
            unlink(ckpt);
            if (mpi->size > 1)
                fprintf(stderr, "minutiae: train: wrote %s (%zu parameters, %.1f s, %d processes)\n", out, model.net.nparams,
                        now_s() - t0, mpi->size);
            else
                fprintf(stderr, "minutiae: train: wrote %s (%zu parameters, %.1f s)\n", out, model.net.nparams, now_s() - t0);
            /* even with -q: a model that finds nothing must not pass unnoticed */
            if (val.f1_minutia < LOW_VALIDATION_F1)
                cli_error(out, "warning: validation F1 of the minutia head is only %.3f: this model will find few or no minutiae "
                               "(more labelled images, more epochs, or fine-tune the default model with --init default)",
                          val.f1_minutia);
        }
        mnt_buf_free(&full);
    }
    mnt_buf_free(&sources_block);
    mnt_buf_free(&prov);
    mnt_trainer_free(&tr);
    mnt_model_free(&model);
    data_free(&all);
    /* every process exits with the run's code (the model's, written by rank 0) */
    return train_mpi_agree(mpi, exit_code);
}

/* The command line's sets, then the config's data.sources; exit code or EXIT_OK. */
static int collect_sources(mnt_data_sources *cli, const mnt_train_settings *st, const char *config,
                           mnt_data_sources *all)
{
    mnt_diag d = {0};
    int rc = mnt_data_sources_append(all, cli, "command line", &d);
    if (rc) return cli_report(NULL, rc, &d);
    if ((rc = mnt_data_sources_append(all, &st->data, "data.sources", &d))) return cli_report(config, rc, &d);
    if ((rc = mnt_data_sources_check(all, &d))) return cli_report(st->data.n || !cli->n ? config : NULL, rc, &d);
    return EXIT_OK;
}

int cmd_train(int argc, char **argv)
{
    static const cli_option opts[] = {{"out", 'o', 1, OPT_OUT},          {"config", 0, 1, OPT_CONFIG},
                                      {"epochs", 0, 1, OPT_EPOCHS},      {"resume", 0, 0, OPT_RESUME},
                                      {"init", 0, 1, OPT_INIT},
                                      {"threads", 0, 1, OPT_THREADS},    {"checkpoint-every", 0, 1, OPT_CKPT},
                                      {"max-steps", 0, 1, OPT_MAXSTEPS}, {"quiet", 'q', 0, OPT_QUIET},
                                      {"help", 'h', 0, OPT_HELP},        {"note", 0, 1, OPT_NOTE},
                                      {"stream", 0, 0, OPT_STREAM},      {0}};
    train_options o = {NULL, NULL, NULL, NULL, 0, 0, -1, 0, 200, -1, 0};
    int id;
    mnt_data_sources cli_sets = {0};
    mnt_diag d = {0};
    cli_parser p = {argc, argv, 0, 0, NULL};
    while ((id = cli_next(&p, opts, "train")) != -1) {
        switch (id) {
        case -2: mnt_data_sources_free(&cli_sets); return EXIT_USAGE;
        case 0:
            if (mnt_data_sources_add_arg(&cli_sets, p.arg, &d)) {
                cli_error(NULL, "train: %s", d.msg);
                mnt_data_sources_free(&cli_sets);
                return EXIT_USAGE;
            }
            break;
        case OPT_HELP: fputs(HELP, stdout); mnt_data_sources_free(&cli_sets); return EXIT_OK;
        case OPT_OUT: o.out = p.arg; break;
        case OPT_CONFIG: o.config = p.arg; break;
        case OPT_EPOCHS: if (!cli_int("train", "--epochs", p.arg, 0, 10000, &o.epochs)) goto usage; break;
        case OPT_RESUME: o.resume = 1; break;
        case OPT_INIT: o.init = p.arg; break;
        case OPT_THREADS: if (!cli_int("train", "--threads", p.arg, 1, 256, &o.threads)) goto usage; break;
        case OPT_CKPT: if (!cli_int("train", "--checkpoint-every", p.arg, 1, 100000000, &o.ckpt_every)) goto usage; break;
        case OPT_MAXSTEPS: if (!cli_int("train", "--max-steps", p.arg, 0, 100000000, &o.max_steps)) goto usage; break;
        case OPT_QUIET: o.quiet = 1; break;
        case OPT_STREAM: o.stream = 1; break;
        case OPT_NOTE:
            if (strlen(p.arg) > 300 || strpbrk(p.arg, "\n\"\\")) {
                cli_error(NULL, "train: --note must be one line of at most 300 characters without quotes or backslashes");
                goto usage;
            }
            o.note = p.arg;
            break;
        }
    }
    if (!o.out || (!cli_sets.n && !o.config)) {
        cli_error(NULL, "train: SET... (or data.sources in --config) and -o MODEL are required (see 'minutiae train --help')");
        goto usage;
    }
    mnt_train_settings st;
    mnt_train_settings_defaults(&st);
    if (o.config) {
        int rc = mnt_train_settings_load(o.config, &st, &d);
        if (rc) {
            mnt_train_settings_free(&st);
            mnt_data_sources_free(&cli_sets);
            return cli_report(o.config, rc == MNT_ERR_NOTFOUND ? rc : MNT_ERR_CONFIG, &d);
        }
    }
    mnt_data_sources sources = {0};
    int code = collect_sources(&cli_sets, &st, o.config, &sources);
    mnt_data_sources_free(&cli_sets);
    if (code == EXIT_OK) {
        train_mpi mpi;
        if ((code = train_mpi_init(&mpi)) == EXIT_OK) {
            code = train_run(&st, &sources, &o, &mpi);
            train_mpi_finalize(&mpi);
        }
    }
    mnt_data_sources_free(&sources);
    mnt_train_settings_free(&st);
    return code;
usage:
    mnt_data_sources_free(&cli_sets);
    return EXIT_USAGE;
}
