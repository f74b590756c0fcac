#include "extract_batch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "file_io.h"
#include "fs_util.h"
#include "input_list.h"
#include "parallel.h"
#include "sha256.h"
#include "template_io.h"

typedef struct {
    extract_batch *b;
    pthread_mutex_t lock;
    size_t done;
    double t0;
} loop_ctx;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int overwrites_input(const extract_batch *b, size_t i, const char *dir_base)
{
    char paths[10][4200];
    size_t k = extract_output_paths(b->s.formats, dir_base, paths, 10);
    struct stat in, out;
    if (stat(b->entries[i].input, &in) != 0) return 0;
    for (size_t q = 0; q < k; q++)
        if (stat(paths[q], &out) == 0 && out.st_dev == in.st_dev && out.st_ino == in.st_ino) return 1;
    return 0;
}

/* The mask file of an input, "" when none (NAME.IDC.mask.png for a record). */
static void mask_path(const extract_settings *s, const char *input, const char *base, int record, char *out, size_t cap)
{
    out[0] = 0;
    if (s->mask_file) snprintf(out, cap, "%s", s->mask_file);
    else if (s->mask_dir) {
        char stem[1024];
        if (record > 0) {
            const char *slash = strrchr(base, '/');
            snprintf(stem, sizeof stem, "%s", slash ? slash + 1 : base);
        } else input_stem(input, stem, sizeof stem);
        join_path(out, cap, s->mask_dir, stem, ".mask.png");
    }
}

/* What the outputs are made from: the image's bytes, and the mask's when there is one.
 * 0 when the files could be read. */
static int input_key(const extract_settings *s, const char *input, const char *base, int record, const char *image_sha, char key[65])
{
    char mpath[4200], img[65], msha[65] = "none";
    mnt_diag d = {0};
    uint8_t *data;
    size_t len;
    if (!image_sha) {
        if (extract_input_sha256(input, record, img)) return -1;
        image_sha = img;
    }
    mask_path(s, input, base, record, mpath, sizeof mpath);
    if (mpath[0]) {
        if (mnt_read_file(mpath, 512u << 20, &data, &len, &d)) return -1;
        mnt_sha256_hex(data, len, msha);
        free(data);
    } else {
        snprintf(key, 65, "%s", image_sha);
        return 0;
    }
    char both[140];
    int n = snprintf(both, sizeof both, "%s+%s", image_sha, msha);
    mnt_sha256_hex(both, (size_t)n, key);
    return 0;
}

static void keep_earlier(extract_batch *b, size_t i, const char *dir_base)
{
    batch_entry *e = &b->entries[i];
    e->r.skipped = 1;
    char json[4300];
    snprintf(json, sizeof json, "%s.json", dir_base);
    mnt_template t;
    if (mnt_template_read_file(json, NULL, NULL, &t, NULL) == 0) {
        e->r.minutiae = t.views[0].n;
        mnt_template_free(&t);
    }
}

static void extract_and_commit(extract_batch *b, size_t i)
{
    batch_entry *e = &b->entries[i];
    extract_outputs outs = {0};
    extract_image_record(&b->s, e->input, e->record, &e->r, NULL, &outs);
    if (e->r.status) {
        output_folder_remove(b->out, b->bases[i]); /* a failed image leaves no outputs */
        return;
    }
    output_stage *st = calloc(1, sizeof *st);
    char key[65];
    if (!st || input_key(&b->s, e->input, b->bases[i], e->record, e->r.sha256, key)) {
        e->r.status = st ? MNT_ERR_IO : MNT_ERR_NOMEM;
        snprintf(e->r.error, sizeof e->r.error, "%.500s: %s", e->input, st ? "changed while it was read" : "out of memory");
    } else {
        snprintf(st->output, sizeof st->output, "%s", b->bases[i]);
        snprintf(st->settings_sha256, 65, "%s", b->s.settings_sha256);
        snprintf(st->input_sha256, 65, "%s", key);
        for (size_t k = 0; k < outs.n; k++) {
            snprintf(st->files[k].rel, sizeof st->files[k].rel, "%s%s", b->bases[i], outs.files[k].suffix);
            st->files[k].data = outs.files[k].data; /* moved */
            memset(&outs.files[k].data, 0, sizeof outs.files[k].data);
        }
        st->n = outs.n;
        char err[600];
        int rc = output_folder_commit(b->out, st, err, sizeof err);
        if (rc) {
            e->r.status = rc;
            snprintf(e->r.error, sizeof e->r.error, "%s", err);
            output_folder_remove(b->out, b->bases[i]);
        }
        output_stage_free(st);
    }
    free(st);
    extract_outputs_free(&outs);
}

static void run_one(void *ctx, size_t i)
{
    loop_ctx *c = ctx;
    extract_batch *b = c->b;
    batch_entry *e = &b->entries[i];
    char dir_base[4200];
    output_folder_path(b->out, b->bases[i], dir_base, sizeof dir_base);
    if (*b->stop) {
        e->not_run = 1;
        return;
    }
    char key[65];
    if (e->r.status) { /* already failed while planning (missing input, duplicate name, ...) */
    } else if (overwrites_input(b, i, dir_base)) {
        e->r.status = MNT_ERR_CREATE;
        snprintf(e->r.error, sizeof e->r.error, "%.500s: an output would overwrite the input", e->input);
    } else if (b->resume && input_key(&b->s, e->input, b->bases[i], e->record, NULL, key) == 0 &&
               output_folder_current(b->out, b->bases[i], b->s.settings_sha256, key)) {
        keep_earlier(b, i, dir_base);
    } else {
        extract_and_commit(b, i);
    }
    pthread_mutex_lock(&c->lock);
    size_t done = ++c->done;
    if (!b->quiet) {
        double el = now_s() - c->t0, rate = el > 0 ? (double)done / el : 0;
        if (b->tty)
            fprintf(stderr, "\r[%zu/%zu] %.1f images/s, ETA %.0f s   ", done, b->n, rate, rate > 0 ? (double)(b->n - done) / rate : 0);
        else if (e->r.status)
            fprintf(stderr, "minutiae: extract: %zu/%zu %s: failed\n", done, b->n, e->rel);
        else
            fprintf(stderr, "minutiae: extract: %zu/%zu %s: %zu minutiae%s (%.0f ms)\n", done, b->n, e->rel, e->r.minutiae,
                    e->r.skipped ? ", kept from an earlier run" : "", e->r.ms);
    }
    pthread_mutex_unlock(&c->lock);
}

void extract_batch_run(extract_batch *b)
{
    loop_ctx c = {b, PTHREAD_MUTEX_INITIALIZER, 0, now_s()};
    parallel_for(b->jobs, b->n, run_one, &c);
    if (b->tty && !b->quiet && c.done) fputc('\n', stderr);
    pthread_mutex_destroy(&c.lock);
}
