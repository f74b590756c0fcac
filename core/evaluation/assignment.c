#include "assignment.h"

#include <math.h>
#include <stdlib.h>

/* Classic e-maxx formulation on an n x m matrix with n <= m (1-based internally). */
static int hungarian(const double *a, size_t n, size_t m, int transposed, size_t cols, long *match_row)
{
    double *u = calloc(n + 1, sizeof *u), *v = calloc(m + 1, sizeof *v), *minv = malloc((m + 1) * sizeof *minv);
    size_t *p = calloc(m + 1, sizeof *p), *way = calloc(m + 1, sizeof *way);
    char *used = malloc(m + 1);
    if (!u || !v || !minv || !p || !way || !used) {
        free(u); free(v); free(minv); free(p); free(way); free(used);
        return MNT_ERR_NOMEM;
    }
#define COST(i, j) (transposed ? a[((j) - 1) * cols + ((i) - 1)] : a[((i) - 1) * cols + ((j) - 1)])
    for (size_t i = 1; i <= n; i++) {
        p[0] = i;
        size_t j0 = 0;
        for (size_t j = 0; j <= m; j++) { minv[j] = INFINITY; used[j] = 0; }
        do {
            used[j0] = 1;
            size_t i0 = p[j0], j1 = 0;
            double delta = INFINITY;
            for (size_t j = 1; j <= m; j++) {
                if (used[j]) continue;
                double cur = COST(i0, j) - u[i0] - v[j];
                if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                if (minv[j] < delta) { delta = minv[j]; j1 = j; }
            }
            for (size_t j = 0; j <= m; j++) {
                if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                else minv[j] -= delta;
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
#undef COST
    for (size_t j = 1; j <= m; j++)
        if (p[j]) match_row[p[j] - 1] = (long)(j - 1);
    free(u); free(v); free(minv); free(p); free(way); free(used);
    return MNT_OK;
}

int mnt_assign(const double *cost, size_t rows, size_t cols, long *row_to_col)
{
    for (size_t r = 0; r < rows; r++) row_to_col[r] = -1;
    if (rows == 0 || cols == 0) return MNT_OK;
    if (rows <= cols) return hungarian(cost, rows, cols, 0, cols, row_to_col);
    /* more rows than columns: solve the transpose, then invert the matching */
    long *col_to_row = malloc(cols * sizeof *col_to_row);
    if (!col_to_row) return MNT_ERR_NOMEM;
    for (size_t c = 0; c < cols; c++) col_to_row[c] = -1;
    int rc = hungarian(cost, cols, rows, 1, cols, col_to_row);
    if (!rc)
        for (size_t c = 0; c < cols; c++)
            if (col_to_row[c] >= 0) row_to_col[col_to_row[c]] = (long)c;
    free(col_to_row);
    return rc;
}
