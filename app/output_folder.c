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
    int lock_fd, manifest_fd;
    mnt_manifest *manifest;
    pthread_mutex_t lock; /* the manifest, in memory and on disk */
};

/* Names of the files extract writes; a temporary is NAME.tmp.XXXXXX (mkstemp). */
static const char *const OUR_SUFFIXES[] = {".iso", ".json", ".overlay.png", ".ansi", ".xyt", ".iso2011", ".prob.png",
                                           "report.csv", "index.html"};

static int is_our_temporary(const char *name)
{
    const char *t = strstr(name, ".tmp.");
    if (!t || strlen(t + 5) != 6 || strstr(t + 5, ".tmp.")) return 0;
    for (const char *c = t + 5; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))) return 0;
    size_t stem = (size_t)(t - name);
    for (size_t i = 0; i < sizeof OUR_SUFFIXES / sizeof *OUR_SUFFIXES; i++) {
        size_t m = strlen(OUR_SUFFIXES[i]);
        if (stem >= m && !strncmp(t - m, OUR_SUFFIXES[i], m)) return 1;
    }
    return 0;
}

/* Removes our temporaries under dir (never following links); returns how many. */
static size_t remove_stale(const char *dir, int depth)
{
    if (depth > 32) return 0;
    DIR *dp = opendir(dir);
    if (!dp) return 0;
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char path[4096];
        if (join_path(path, sizeof path, dir, e->d_name, NULL)) continue;
        struct stat st;
        if (lstat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) removed += remove_stale(path, depth + 1);
        else if (S_ISREG(st.st_mode) && is_our_temporary(e->d_name) && unlink(path) == 0) removed++;
    }
    closedir(dp);
    return removed;
}

static int take_lock(output_folder *f, char *err, size_t errcap)
{
    char path[4200];
    if (join_path(path, sizeof path, f->dir, OUTPUT_LOCK_NAME, NULL)) {
        snprintf(err, errcap, "%.300s: output folder path too long", f->dir);
        return EXIT_CANTCREAT;
    }
    f->lock_fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (f->lock_fd < 0) {
        snprintf(err, errcap, "%.300s: cannot write to the output folder: %s", f->dir, strerror(errno));
        return EXIT_CANTCREAT;
    }
    if (flock(f->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t k = pread(f->lock_fd, pid, sizeof pid - 1, 0);
        pid[k > 0 ? k : 0] = 0;
        pid[strcspn(pid, "\n")] = 0;
        snprintf(err, errcap, "%.300s: another minutiae extract is writing to this folder (process %s); wait for it or choose another folder",
                 f->dir, pid[0] ? pid : "unknown");
        return EXIT_TEMPFAIL;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(f->lock_fd, 0) != 0 || pwrite(f->lock_fd, pid, (size_t)n, 0) != n) {
        snprintf(err, errcap, "%.300s: cannot write to the output folder: %s", f->dir, strerror(errno));
        return EXIT_CANTCREAT;
    }
    return 0;
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

static int load_manifest(output_folder *f, char *err, size_t errcap)
{
    char path[4200];
    mnt_diag d = {0};
    int rc;
    snprintf(path, sizeof path, "%s/%s", f->dir, OUTPUT_MANIFEST_NAME);
    if ((rc = mnt_manifest_new(&f->manifest, &d)) || (rc = mnt_output_replaceable(path, &d))) {
        snprintf(err, errcap, "%.300s: %.200s", path, mnt_diag_message(&d, rc));
        return cli_exit_code(rc);
    }
    int ends_torn = 0;
    if (file_exists(path)) {
        uint8_t *text;
        size_t len, skipped = 0;
        if ((rc = mnt_read_file(path, (size_t)1 << 31, &text, &len, &d)) ||
            (rc = mnt_manifest_parse(f->manifest, (const char *)text, len, &skipped, &d))) {
            if (!rc) free(text);
            snprintf(err, errcap, "%.300s: %.200s", path, mnt_diag_message(&d, rc));
            return cli_exit_code(rc);
        }
        ends_torn = len && text[len - 1] != '\n';
        free(text);
    }
    f->manifest_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (f->manifest_fd < 0 || (ends_torn && write(f->manifest_fd, "\n", 1) != 1)) {
        snprintf(err, errcap, "%.300s: cannot write: %s", path, strerror(errno));
        return EXIT_CANTCREAT;
    }
    return 0;
}

int output_folder_open(output_folder **out, const char *dir, int force, size_t *stale, char *err, size_t errcap)
{
    *out = NULL;
    if (stale) *stale = 0;
    output_folder *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errcap, "out of memory");
        return EXIT_IOERR;
    }
    f->lock_fd = f->manifest_fd = -1;
    f->force = force;
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
    if (!code) {
        size_t n = remove_stale(f->dir, 0);
        if (stale) *stale = n;
        code = load_manifest(f, err, errcap);
    }
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
    if (f->lock_fd >= 0) close(f->lock_fd); /* releases the lock */
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
    snprintf(err, errcap, "%.300s: exists and was not written by minutiae extract (no record in %s): left alone; --force replaces it",
             path, OUTPUT_MANIFEST_NAME);
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
        snprintf(err, errcap, "%.300s/%s: cannot write: %s", f->dir, OUTPUT_MANIFEST_NAME, strerror(e));
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
