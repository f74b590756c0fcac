/* An extract output folder held for one run: locked against a second run, stale
 * temporaries of a killed run removed, its run manifest loaded, and every file written
 * through a staged commit (temporary files, a manifest record, then the renames), so
 * that the tool never replaces a file it did not write and an image's outputs appear
 * together or not at all. */
#ifndef MNT_OUTPUT_FOLDER_H
#define MNT_OUTPUT_FOLDER_H

#include <stddef.h>

#include "bytes.h"
#include "run_manifest.h"

#define OUTPUT_MANIFEST_NAME "minutiae-manifest.jsonl" /* of an unsharded run; shards add .K-of-N */
#define OUTPUT_LOCK_NAME ".minutiae.lock"

typedef struct output_folder output_folder;

/* The files of one image (or of the reports) ready to be written. */
typedef struct {
    char output[MNT_MANIFEST_NAME]; /* base relative to the folder, "" for the reports */
    char settings_sha256[65];
    char input_sha256[65];
    size_t n;
    struct {
        char rel[MNT_MANIFEST_NAME]; /* file name relative to the folder */
        mnt_buf data;
    } files[MNT_MANIFEST_MAX_FILES];
} output_stage;

/* Shard K of N of a batch (n = 0: the whole batch). Shards of one batch may write into
 * one folder at once: each holds its own lock (and the folder's shared), appends to its
 * own manifest (minutiae-manifest.K-of-N.jsonl) and reads them all. */
typedef struct {
    int k, n;
} output_shard;

/* Creates dir if needed, checks it is writable, takes its lock and loads every manifest
 * in it. Returns a process exit code (0 when open) with the reason in err. */
int output_folder_open(output_folder **out, const char *dir, int force, output_shard shard, char *err, size_t errcap);
void output_folder_close(output_folder *f);

/* 0 when rel (relative to the folder) may be written: absent, or a regular file this
 * tool wrote (or --force); else MNT_ERR_CREATE with the reason in err. */
int output_folder_check(output_folder *f, const char *rel, char *err, size_t errcap);

/* 1 when the manifest's last record of output has these settings and input and every
 * file it lists is in place with its recorded bytes. */
int output_folder_current(output_folder *f, const char *output, const char *settings_sha256, const char *input_sha256);

/* Writes a stage: every check, every temporary file, the manifest record, then the
 * renames. On failure nothing of the stage is left (0 or a library code, reason in err). */
int output_folder_commit(output_folder *f, const output_stage *st, char *err, size_t errcap);

/* Removes the files of output's last record that are still this tool's (an image that
 * failed this time leaves no outputs behind). */
void output_folder_remove(output_folder *f, const char *output);

void output_stage_free(output_stage *st);

/* Removes temporaries left by a killed run for the files this run will write (planned:
 * sorted relative names); returns how many. Temporaries of other shards' files stay. */
size_t output_folder_remove_stale(output_folder *f, const char *const *planned, size_t n);

/* The folder's path joined with rel. */
void output_folder_path(const output_folder *f, const char *rel, char *out, size_t cap);

#endif
