/* Whole-file reads with a size limit, and atomic writes (temporary name, then rename),
 * so no reader ever sees half a file. */
#ifndef MNT_FILE_IO_H
#define MNT_FILE_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mnt_error.h"

/* Reads path into a malloc'd buffer (NUL-terminated one past len); "-" is standard input. */
int mnt_read_file(const char *path, size_t max_bytes, uint8_t **data, size_t *len, mnt_diag *d);

/* Reads a whole stream (standard input) with the same limit. */
int mnt_read_stream(FILE *fp, size_t max_bytes, uint8_t **data, size_t *len, mnt_diag *d);

/* 0 when path names nothing yet or a regular file: writers never replace a device,
 * folder, pipe or symbolic link (as root, renaming over /dev/stdout would replace it). */
int mnt_output_replaceable(const char *path, mnt_diag *d);

/* Writes data to path atomically; refuses targets mnt_output_replaceable refuses;
 * "-" is standard output. */
int mnt_write_file_atomic(const char *path, const void *data, size_t len, mnt_diag *d);

/* Opens a temporary file beside path for streaming writers (libpng); commit renames it
 * over path, abort removes it. */
typedef struct {
    char tmp[4096];
    char path[4096];
    void *fp; /* FILE * */
} mnt_atomic_file;

int mnt_atomic_open(mnt_atomic_file *af, const char *path, mnt_diag *d);
int mnt_atomic_commit(mnt_atomic_file *af, mnt_diag *d);
/* commit in two steps, for writers that must record a file before it appears:
 * finish flushes and closes the temporary file, rename puts it in place. */
int mnt_atomic_finish(mnt_atomic_file *af, mnt_diag *d);
int mnt_atomic_rename(mnt_atomic_file *af, mnt_diag *d);
void mnt_atomic_abort(mnt_atomic_file *af);

#endif
