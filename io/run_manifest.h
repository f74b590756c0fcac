/* The run manifest of an extract output folder (minutiae-manifest.jsonl): one JSON
 * line per image (and per report set) written, appended BEFORE the files are renamed
 * into place. A file in the folder is extract's own exactly when some record lists its
 * name with the SHA-256 of its bytes; everything else is left alone. A record also says
 * with which settings and from which input bytes the files were made, so --resume can
 * tell a complete, current image from a stale one. */
#ifndef MNT_RUN_MANIFEST_H
#define MNT_RUN_MANIFEST_H

#include <stddef.h>

#include "bytes.h"
#include "mnt_error.h"

enum { MNT_MANIFEST_MAX_FILES = 12, MNT_MANIFEST_NAME = 4200 };

typedef struct {
    char name[MNT_MANIFEST_NAME]; /* relative to the output folder */
    char sha256[65];
} mnt_manifest_file;

typedef struct {
    char output[MNT_MANIFEST_NAME]; /* the image's output base ("a/b" for a/b.iso), "" for the reports */
    char settings_sha256[65];
    char input_sha256[65];
    size_t nfiles;
    mnt_manifest_file files[MNT_MANIFEST_MAX_FILES];
} mnt_manifest_record;

typedef struct mnt_manifest mnt_manifest;

int mnt_manifest_new(mnt_manifest **out, mnt_diag *d);
void mnt_manifest_free(mnt_manifest *m);
/* Adds the records of a manifest's text. Lines that do not parse (a line torn by a
 * kill) are skipped and counted in *skipped (optional). */
int mnt_manifest_parse(mnt_manifest *m, const char *text, size_t len, size_t *skipped, mnt_diag *d);
/* Remembers a record (after it was appended to the file). */
int mnt_manifest_add(mnt_manifest *m, const mnt_manifest_record *r, mnt_diag *d);
/* 1 when a record lists name with this digest. */
int mnt_manifest_owns(const mnt_manifest *m, const char *name, const char *sha256);
/* Copies the last record of an output base into out; 1 when there is one, else 0. */
int mnt_manifest_latest(const mnt_manifest *m, const char *output, mnt_manifest_record *out);
/* One line of JSON (with its newline) for r. */
void mnt_manifest_format(const mnt_manifest_record *r, mnt_buf *line);

#endif
