/* Batch reports of `minutiae extract`: report.json, report.csv and index.html (a
 * self-contained gallery of the overlays with counts and failures). */
#ifndef MNT_BATCH_REPORT_H
#define MNT_BATCH_REPORT_H

#include <stddef.h>

#include "extract_job.h"

typedef struct {
    const char *input;   /* path as given */
    const char *rel;     /* output name relative to the output folder, no extension */
    int record;          /* > 0: image record K of the transaction at input */
    extract_result r;
    int not_run;         /* the batch was interrupted before this image */
} batch_entry;

typedef struct {
    const char *version, *model_name, *model_sha256;
    double threshold, nms_radius, quality_weight;
    int stride, patch_size, grid, jobs;
    const char *formats;
    double ppi_option;
    int mirror, invert;
    double roi_margin, direction_weight, ridge_smoothing;
    double region_threshold; /* 0: segmented region */
    const char *settings_sha256;
    int interrupted;         /* a signal stopped the batch: entries not run say so */
    size_t skipped_files;    /* folder entries that are not images */
    const char *skipped_example;
    int shard_k, shard_n;    /* shard K of N, n = 0 for a whole run */
    int context;             /* the model's context window (0: none) */
} batch_run;

/* The three reports as bytes: report.json, report.csv and index.html. */
int batch_format_reports(const batch_run *run, const batch_entry *e, size_t n, mnt_buf *json, mnt_buf *csv, mnt_buf *html,
                         mnt_diag *d);

#endif
