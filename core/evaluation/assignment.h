/* Minimum-cost assignment (Hungarian algorithm, O(n^3), shortest augmenting paths
 * with potentials) on a rows x cols cost matrix; rows <= cols is not required. */
#ifndef MNT_ASSIGNMENT_H
#define MNT_ASSIGNMENT_H

#include <stddef.h>

#include "mnt_error.h"

/* cost: rows x cols row-major. row_to_col[r] receives the column of row r, or -1 when
 * rows > cols leaves it unassigned. Every row (or every column, when fewer) is
 * assigned; callers mark forbidden pairs with a large cost and drop them afterwards. */
int mnt_assign(const double *cost, size_t rows, size_t cols, long *row_to_col);

#endif
