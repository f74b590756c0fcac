#include "file_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mnt_read_stream(FILE *fp, size_t max_bytes, uint8_t **data, size_t *len, mnt_diag *d)
{
    *data = NULL;
    *len = 0;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap + 1);
    if (!buf) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    for (;;) {
        if (n == cap) {
            if (cap >= max_bytes) {
                free(buf);
                return mnt_fail(d, MNT_ERR_LIMIT, "file exceeds the limit of %zu bytes", max_bytes);
            }
            size_t ncap = cap * 2 > max_bytes ? max_bytes : cap * 2;
            uint8_t *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) break;
    }
    if (ferror(fp)) {
        int e = errno;
        free(buf);
        return mnt_fail(d, MNT_ERR_IO, "read error: %s", strerror(e));
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return MNT_OK;
}

int mnt_read_file(const char *path, size_t max_bytes, uint8_t **data, size_t *len, mnt_diag *d)
{
    *data = NULL;
    *len = 0;
    if (!strcmp(path, "-")) return mnt_read_stream(stdin, max_bytes, data, len, d);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        int code = errno == ENOENT ? MNT_ERR_NOTFOUND : MNT_ERR_IO;
        return mnt_fail(d, code, "%s", strerror(errno));
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        return mnt_fail(d, MNT_ERR_IO, "is a directory");
    }
    int rc = mnt_read_stream(fp, max_bytes, data, len, d);
    fclose(fp);
    return rc;
}

int mnt_output_replaceable(const char *path, mnt_diag *d)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT) return MNT_OK;
        return mnt_fail(d, MNT_ERR_CREATE, "cannot examine the output: %s", strerror(errno));
    }
    if (S_ISREG(st.st_mode)) return MNT_OK;
    const char *kind = S_ISLNK(st.st_mode)  ? "a symbolic link"
                       : S_ISDIR(st.st_mode) ? "a folder"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                       : S_ISFIFO(st.st_mode)                      ? "a pipe"
                                                                   : "not a regular file";
    return mnt_fail(d, MNT_ERR_CREATE, "exists and is %s: only a regular file or a new name may be written (use - for standard output)",
                    kind);
}

int mnt_atomic_open(mnt_atomic_file *af, const char *path, mnt_diag *d)
{
    memset(af, 0, sizeof *af);
    if (strlen(path) + 16 >= sizeof af->tmp)
        return mnt_fail(d, MNT_ERR_CREATE, "output path too long");
    int rc = mnt_output_replaceable(path, d);
    if (rc) return rc;
    snprintf(af->path, sizeof af->path, "%s", path);
    snprintf(af->tmp, sizeof af->tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(af->tmp);
    if (fd < 0) return mnt_fail(d, MNT_ERR_CREATE, "cannot create: %s", strerror(errno));
    (void)fchmod(fd, 0644);
    af->fp = fdopen(fd, "wb");
    if (!af->fp) {
        close(fd);
        unlink(af->tmp);
        return mnt_fail(d, MNT_ERR_CREATE, "cannot open: %s", strerror(errno));
    }
    return MNT_OK;
}

int mnt_atomic_finish(mnt_atomic_file *af, mnt_diag *d)
{
    FILE *fp = af->fp;
    af->fp = NULL;
    int bad = ferror(fp), e = 0;
    if (fflush(fp) != 0) bad = 1, e = errno;
    if (fclose(fp) != 0 && !e) bad = 1, e = errno;
    if (bad) {
        unlink(af->tmp);
        af->tmp[0] = 0;
        return mnt_fail(d, MNT_ERR_IO, "write error: %s", e ? strerror(e) : "unknown");
    }
    return MNT_OK;
}

int mnt_atomic_rename(mnt_atomic_file *af, mnt_diag *d)
{
    if (rename(af->tmp, af->path) != 0) {
        int e = errno;
        unlink(af->tmp);
        af->tmp[0] = 0;
        return mnt_fail(d, MNT_ERR_IO, "cannot rename into place: %s", strerror(e));
    }
    af->tmp[0] = 0;
    return MNT_OK;
}

int mnt_atomic_commit(mnt_atomic_file *af, mnt_diag *d)
{
    int rc = mnt_atomic_finish(af, d);
    return rc ? rc : mnt_atomic_rename(af, d);
}

void mnt_atomic_abort(mnt_atomic_file *af)
{
    if (af->fp) {
        fclose(af->fp);
        af->fp = NULL;
    }
    if (af->tmp[0]) unlink(af->tmp);
    af->tmp[0] = 0;
}

int mnt_write_file_atomic(const char *path, const void *data, size_t len, mnt_diag *d)
{
    if (!strcmp(path, "-")) {
        if ((len && fwrite(data, 1, len, stdout) != len) || fflush(stdout) != 0)
            return mnt_fail(d, MNT_ERR_IO, "cannot write to standard output: %s", strerror(errno));
        return MNT_OK;
    }
    mnt_atomic_file af;
    int rc = mnt_atomic_open(&af, path, d);
    if (rc) return rc;
    if (len && fwrite(data, 1, len, af.fp) != len) {
        int e = errno;
        mnt_atomic_abort(&af);
        return mnt_fail(d, MNT_ERR_IO, "write error: %s", strerror(e));
    }
    return mnt_atomic_commit(&af, d);
}
