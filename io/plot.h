/* Precision-recall plot drawn by the project itself (axes, ticks, labels, legend). */
#ifndef MNT_PLOT_H
#define MNT_PLOT_H

#include <stddef.h>

#include "image.h"

typedef struct {
    const char *label;
    size_t n;
    const double *recall, *precision; /* n points, any order of thresholds */
    double mark_recall, mark_precision; /* best-F1 point, marked; < 0 = none */
} mnt_pr_series;

int mnt_plot_pr(const mnt_pr_series *series, size_t nseries, const char *title, mnt_rgb_image *out, mnt_diag *d);

#endif
