/* Scoring minutiae against ground truth: one-to-one pairing by minimum-cost assignment,
 * a pair counting when the distance is at most max_px and the angle difference at most
 * max_deg (360 = location only). Hidden truth minutiae may absorb a prediction (then it
 * is neither a true nor a false positive) but are never required. */
#ifndef MNT_EVAL_H
#define MNT_EVAL_H

#include <stddef.h>

#include "template.h"

typedef struct {
    double max_px, max_deg;
} mnt_eval_tolerance;

typedef struct {
    size_t truth;        /* visible truth minutiae */
    size_t predicted;    /* predictions considered (after the threshold) */
    size_t tp, fp, fn;
    size_t type_correct; /* among tp */
    size_t ignored;      /* predictions paired with hidden truth */
} mnt_eval_counts;

/* Pairs predictions with score >= threshold (score, else quality / 100) against truth.
 * angle_err (optional, capacity pred->n) receives the angle error of each true pair. */
int mnt_eval_pair(const mnt_view *truth, const mnt_view *pred, const mnt_eval_tolerance *tol, double threshold,
                  mnt_eval_counts *out, double *angle_err, size_t *n_angle);

/* Confidence used for thresholds: score when present, else quality / 100. */
double mnt_eval_confidence(const mnt_minutia *m);

void mnt_eval_add(mnt_eval_counts *acc, const mnt_eval_counts *c);
void mnt_eval_rates(const mnt_eval_counts *c, double *precision, double *recall, double *f1);

#endif
