/* The image loop of `minutiae extract`: per image, resume check, extraction, and the
 * staged commit of its outputs into the locked output folder; stops taking new images
 * when asked (SIGINT/SIGTERM). */
#ifndef MNT_EXTRACT_BATCH_H
#define MNT_EXTRACT_BATCH_H

#include <signal.h>
#include <stddef.h>

#include "batch_report.h"
#include "output_folder.h"

typedef struct {
    extract_settings s;
    output_folder *out;
    batch_entry *entries;
    char (*bases)[4200]; /* output base relative to the folder */
    size_t n;
    int resume, quiet, tty, jobs;
    volatile sig_atomic_t *stop; /* set by a signal handler: finish images in flight, start no more */
} extract_batch;

/* Runs every entry (entries already failed while planning are left as they are). */
void extract_batch_run(extract_batch *b);

#endif
