#include "output_folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "file_io.h"
#include "fs_util.h"
#include "sha256.h"

struct output_folder {
    char dir[4096];
    int force;
    output_shard shard;
    char manifest_name[64];
    int lock_fd, shard_lock_fd, manifest_fd;
    mnt_manifest *manifest;
    pthread_mutex_t lock; /* the manifest, in memory and on disk */
};

/* A temporary is NAME.tmp.XXXXXX (mkstemp): the length of NAME, or 0 when name is not one. */
static size_t temporary_target(const char *name)
{
    size_t n = strlen(name);
    if (n < 12 || strncmp(name + n - 11, ".tmp.", 5)) return 0;
    for (const char *c = name + n - 6; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))) return 0;
    return n - 11;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Removes temporaries under dir/rel of planned files (never following links). */
static size_t remove_stale_in(const char *dir, const char *rel, const char *const *planned, size_t np, int depth)
{
    if (depth > 32) return 0;
    DIR *dp = opendir(dir);
    if (!dp) return 0;
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char path[4096], r[4096];
        if (join_path(path, sizeof path, dir, e->d_name, NULL)) continue;
        if (snprintf(r, sizeof r, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >= (int)sizeof r) continue;
        struct stat st;
        if (lstat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            removed += remove_stale_in(path, r, planned, np, depth + 1);
            continue;
        }
        size_t t = temporary_target(r);
        if (!t || !S_ISREG(st.st_mode)) continue;
        r[t] = 0;
        const char *key = r;
        if (bsearch(&key, planned, np, sizeof *planned, cmp_name) && unlink(path) == 0) removed++;
    }
    closedir(dp);
    return removed;
}

size_t output_folder_remove_stale(output_folder *f, const char *const *planned, size_t n)
{
    return remove_stale_in(f->dir, "", planned, n, 0);
}

static int lock_file(const output_folder *f, const char *name, int exclusive, int *fd, char *err, size_t errcap)
{
    char path[4200];
    if (join_path(path, sizeof path, f->dir, name, NULL)) {
        snprintf(err, errcap, "%.300s: output folder path too long", f->dir);
        return EXIT_CANTCREAT;
    }
    *fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (*fd < 0) {
        snprintf(err, errcap, "%.300s: cannot write to the output folder: %s", f->dir, strerror(errno));
        return EXIT_CANTCREAT;
    }
    if (flock(*fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t k = pread(*fd, pid, sizeof pid - 1, 0);
        pid[k > 0 ? k : 0] = 0;
        pid[strcspn(pid, "\n")] = 0;
        snprintf(err, errcap, "%.300s: another minutiae extract is writing to this folder%s%s%s; wait for it or choose another folder",
                 f->dir, pid[0] ? " (process " : "", pid, pid[0] ? ")" : "");
        return EXIT_TEMPFAIL;
    }
    if (exclusive) {
        char pid[32];
        int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(*fd, 0) != 0 || pwrite(*fd, pid, (size_t)n, 0) != n) {
            snprintf(err, errcap, "%.300s: cannot write to the output folder: %s", f->dir, strerror(errno));
            return EXIT_CANTCREAT;
        }
    }
    return 0;
}

/* A whole run holds the folder's lock alone; a shard holds it shared, with the lock of
 * its own K-of-N alone, so shards of one batch run side by side and nothing else does. */
static int take_lock(output_folder *f, char *err, size_t errcap)
{
    if (!f->shard.n) return lock_file(f, OUTPUT_LOCK_NAME, 1, &f->lock_fd, err, errcap);
    int code = lock_file(f, OUTPUT_LOCK_NAME, 0, &f->lock_fd, err, errcap);
    char name[96];
    snprintf(name, sizeof name, "%s.%d-of-%d", OUTPUT_LOCK_NAME, f->shard.k, f->shard.n);
    return code ? code : lock_file(f, name, 1, &f->shard_lock_fd, err, errcap);
}

/* A real write, not a permission test: root ignores modes, a full or read-only disk does not. */
static int probe_writable(const output_folder *f, char *err, size_t errcap)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.minutiae-probe.XXXXXX", f->dir);
    int fd = mkstemp(path);
    int ok = fd >= 0 && write(fd, "probe\n", 6) == 6 && fsync(fd) == 0;
    int e = errno;
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    if (ok) return 0;
    snprintf(err, errcap, "%.300s: cannot write to the output folder: %s", f->dir, strerror(e));
    return EXIT_CANTCREAT;
}

static int is_manifest_name(const char *name)
{
    size_t n = strlen(name);
    return !strncmp(name, "minutiae-manifest", 17) && n >= 23 && !strcmp(name + n - 6, ".jsonl");
}

static int read_manifest(output_folder *f, const char *name, int *ends_torn, char *err, size_t errcap)
{
    char path[4200];
    mnt_diag d = {0};
    uint8_t *text;
    size_t len, skipped = 0;
    int rc;
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    if ((rc = mnt_output_replaceable(path, &d)) || (rc = mnt_read_file(path, (size_t)1 << 31, &text, &len, &d))) {
        snprintf(err, errcap, "%.300s: %.200s", path, mnt_diag_message(&d, rc));
        return cli_exit_code(rc);
    }
    rc = mnt_manifest_parse(f->manifest, (const char *)text, len, &skipped, &d);
    *ends_torn = len && text[len - 1] != '\n';
    free(text);
    if (rc) {
        snprintf(err, errcap, "%.300s: %.200s", path, mnt_diag_message(&d, rc));
        return cli_exit_code(rc);
    }
    return 0;
}

/* Reads every manifest of the folder (all shards', earlier runs'); opens our own for
 * appending. */
static int load_manifests(output_folder *f, char *err, size_t errcap)
{
    mnt_diag d = {0};
    int rc = mnt_manifest_new(&f->manifest, &d);
    if (rc) {
        snprintf(err, errcap, "out of memory");
        return EXIT_IOERR;
    }
    if (f->shard.n) snprintf(f->manifest_name, sizeof f->manifest_name, "minutiae-manifest.%d-of-%d.jsonl", f->shard.k, f->shard.n);
    else snprintf(f->manifest_name, sizeof f->manifest_name, "%s", OUTPUT_MANIFEST_NAME);
    DIR *dp = opendir(f->dir);
    if (!dp) {
        snprintf(err, errcap, "%.300s: cannot read the output folder: %s", f->dir, strerror(errno));
        return EXIT_CANTCREAT;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int code = 0;
    while (!code && (e = readdir(dp))) {
        if (!is_manifest_name(e->d_name)) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) code = EXIT_IOERR;
            else names = nn;
        }
        if (!code && !(names[n++] = strdup(e->d_name))) code = EXIT_IOERR;
    }
    closedir(dp);
    if (code) snprintf(err, errcap, "out of memory");
    if (n) qsort(names, n, sizeof *names, cmp_name); /* the same order in every run */
    int own_torn = 0;
    for (size_t i = 0; i < n && !code; i++) {
        int torn = 0;
        code = read_manifest(f, names[i], &torn, err, errcap);
        if (!strcmp(names[i], f->manifest_name)) own_torn = torn;
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (code) return code;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", f->dir, f->manifest_name);
    f->manifest_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (f->manifest_fd < 0 || (own_torn && write(f->manifest_fd, "\n", 1) != 1)) {
        snprintf(err, errcap, "%.300s: cannot write: %s", path, strerror(errno));
        return EXIT_CANTCREAT;
    }
    return 0;
}

int output_folder_open(output_folder **out, const char *dir, int force, output_shard shard, char *err, size_t errcap)
{
    *out = NULL;
    output_folder *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errcap, "out of memory");
        return EXIT_IOERR;
    }
    f->lock_fd = f->shard_lock_fd = f->manifest_fd = -1;
    f->force = force;
    f->shard = shard;
    pthread_mutex_init(&f->lock, NULL);
    int code = 0;
    if (snprintf(f->dir, sizeof f->dir, "%s", dir) >= (int)sizeof f->dir) {
        snprintf(err, errcap, "output folder path too long");
        code = EXIT_CANTCREAT;
    } else if (make_dirs(dir) != 0) {
        snprintf(err, errcap, "%.300s: cannot create the output folder: %s", dir, strerror(errno));
        code = EXIT_CANTCREAT;
    }
    if (!code) code = take_lock(f, err, errcap);
    if (!code) code = probe_writable(f, err, errcap);
    if (!code) code = load_manifests(f, err, errcap);
    if (code) {
        output_folder_close(f);
        return code;
    }
    *out = f;
    return 0;
}

void output_folder_close(output_folder *f)
{
    if (!f) return;
    if (f->manifest_fd >= 0) close(f->manifest_fd);
    if (f->shard_lock_fd >= 0) close(f->shard_lock_fd); /* releases the locks */
    if (f->lock_fd >= 0) close(f->lock_fd);
    mnt_manifest_free(f->manifest);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* SHA-256 of a file's bytes; 0 when read. */
static int file_sha256(const char *path, char hex[65])
{
    uint8_t *data;
    size_t len;
    mnt_diag d = {0};
    if (mnt_read_file(path, (size_t)1 << 31, &data, &len, &d)) return -1;
    mnt_sha256_hex(data, len, hex);
    free(data);
    return 0;
}

static int owned_locked(output_folder *f, const char *rel, const char *sha)
{
    pthread_mutex_lock(&f->lock);
    int own = mnt_manifest_owns(f->manifest, rel, sha);
    pthread_mutex_unlock(&f->lock);
    return own;
}

int output_folder_check(output_folder *f, const char *rel, char *err, size_t errcap)
{
    char path[4200], sha[65];
    mnt_diag d = {0};
    int rc;
    if (join_path(path, sizeof path, f->dir, rel, NULL)) {
        snprintf(err, errcap, "%.300s: output path too long", rel);
        return MNT_ERR_CREATE;
    }
    if ((rc = mnt_output_replaceable(path, &d))) {
        snprintf(err, errcap, "%.300s: %.280s", path, mnt_diag_message(&d, rc));
        return rc;
    }
    if (f->force || !file_exists(path)) return MNT_OK;
    if (file_sha256(path, sha) == 0 && owned_locked(f, rel, sha)) return MNT_OK;
    snprintf(err, errcap, "%.300s: exists and was not written by minutiae extract (no record in its manifests): left alone; --force replaces it",
             path);
    return MNT_ERR_CREATE;
}

int output_folder_current(output_folder *f, const char *output, const char *settings_sha256, const char *input_sha256)
{
    mnt_manifest_record *r = malloc(sizeof *r);
    if (!r) return 0;
    pthread_mutex_lock(&f->lock);
    int found = mnt_manifest_latest(f->manifest, output, r);
    pthread_mutex_unlock(&f->lock);
    int current = found && !strcmp(r->settings_sha256, settings_sha256) && !strcmp(r->input_sha256, input_sha256) && r->nfiles;
    for (size_t i = 0; current && i < r->nfiles; i++) {
        char path[4200], sha[65];
        current = !join_path(path, sizeof path, f->dir, r->files[i].name, NULL) && file_sha256(path, sha) == 0 &&
                  !strcmp(sha, r->files[i].sha256);
    }
    free(r);
    return current;
}

void output_folder_remove(output_folder *f, const char *output)
{
    mnt_manifest_record *r = malloc(sizeof *r);
    if (!r) return;
    pthread_mutex_lock(&f->lock);
    int found = mnt_manifest_latest(f->manifest, output, r);
    pthread_mutex_unlock(&f->lock);
    for (size_t i = 0; found && i < r->nfiles; i++) {
        char path[4200], sha[65];
        struct stat st;
        if (join_path(path, sizeof path, f->dir, r->files[i].name, NULL) || lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (file_sha256(path, sha) == 0 && owned_locked(f, r->files[i].name, sha)) unlink(path);
    }
    free(r);
}

static int append_record(output_folder *f, const mnt_manifest_record *rec, char *err, size_t errcap)
{
    mnt_buf line = {0};
    mnt_manifest_format(rec, &line);
    mnt_diag d = {0};
    int rc = line.failed ? MNT_ERR_NOMEM : MNT_OK;
    pthread_mutex_lock(&f->lock);
    /* one write: a kill tears at most this line, which the next load skips; a short
     * write (full disk) is cut back so the next record starts on a line of its own */
    struct stat st;
    if (!rc && fstat(f->manifest_fd, &st) != 0) st.st_size = -1;
    ssize_t wrote = rc ? 0 : write(f->manifest_fd, line.data, line.len);
    if (!rc && wrote != (ssize_t)line.len) {
        int e = wrote < 0 ? errno : ENOSPC;
        if (st.st_size >= 0 && ftruncate(f->manifest_fd, st.st_size) != 0) e = errno;
        snprintf(err, errcap, "%.300s/%s: cannot write: %s", f->dir, f->manifest_name, strerror(e));
        rc = MNT_ERR_IO;
    }
    if (!rc && (rc = mnt_manifest_add(f->manifest, rec, &d))) snprintf(err, errcap, "%s", mnt_diag_message(&d, rc));
    pthread_mutex_unlock(&f->lock);
    if (line.failed) snprintf(err, errcap, "out of memory");
    mnt_buf_free(&line);
    return rc;
}

int output_folder_commit(output_folder *f, const output_stage *st, char *err, size_t errcap)
{
    mnt_atomic_file *af = calloc(st->n + 1, sizeof *af);
    mnt_manifest_record *rec = calloc(1, sizeof *rec);
    int rc = af && rec ? MNT_OK : MNT_ERR_NOMEM;
    size_t opened = 0;
    if (rc) snprintf(err, errcap, "out of memory");
    for (size_t i = 0; !rc && i < st->n; i++) rc = output_folder_check(f, st->files[i].rel, err, errcap);
    for (size_t i = 0; !rc && i < st->n; i++) {
        char path[4200];
        mnt_diag d = {0};
        join_path(path, sizeof path, f->dir, st->files[i].rel, NULL);
        if ((rc = mnt_atomic_open(&af[i], path, &d))) {
            snprintf(err, errcap, "%.300s: %.280s", path, mnt_diag_message(&d, rc));
            break;
        }
        opened = i + 1;
        const mnt_buf *b = &st->files[i].data;
        if ((b->len && fwrite(b->data, 1, b->len, af[i].fp) != b->len) || (rc = mnt_atomic_finish(&af[i], &d))) {
            if (!rc) rc = mnt_fail(&d, MNT_ERR_IO, "write error: %s", strerror(errno));
            snprintf(err, errcap, "%.300s: %.280s", path, mnt_diag_message(&d, rc));
        }
    }
    if (!rc) {
        snprintf(rec->output, sizeof rec->output, "%s", st->output);
        memcpy(rec->settings_sha256, st->settings_sha256, 65);
        memcpy(rec->input_sha256, st->input_sha256, 65);
        rec->nfiles = st->n;
        for (size_t i = 0; i < st->n; i++) {
            snprintf(rec->files[i].name, sizeof rec->files[i].name, "%s", st->files[i].rel);
            mnt_sha256_hex(st->files[i].data.data ? st->files[i].data.data : (const uint8_t *)"", st->files[i].data.len,
                           rec->files[i].sha256);
        }
        rc = append_record(f, rec, err, errcap);
    }
    for (size_t i = 0; !rc && i < st->n; i++) {
        mnt_diag d = {0};
        if ((rc = mnt_atomic_rename(&af[i], &d))) snprintf(err, errcap, "%.300s: %.280s", af[i].path, mnt_diag_message(&d, rc));
    }
    if (rc) {
        for (size_t i = 0; i < opened; i++) mnt_atomic_abort(&af[i]);
        for (size_t i = 0; i < st->n; i++) /* renamed already: take back the half set */
            if (af && af[i].path[0] && !af[i].tmp[0] && !af[i].fp && i < opened) {
                char sha[65];
                if (file_sha256(af[i].path, sha) == 0 && !strcmp(sha, rec->files[i].sha256)) unlink(af[i].path);
            }
    }
    free(af);
    free(rec);
    return rc;
}

void output_stage_free(output_stage *st)
{
    for (size_t i = 0; i < st->n; i++) mnt_buf_free(&st->files[i].data);
    st->n = 0;
}

void output_folder_path(const output_folder *f, const char *rel, char *out, size_t cap)
{
    if (join_path(out, cap, f->dir, rel, NULL)) out[0] = 0;
}
