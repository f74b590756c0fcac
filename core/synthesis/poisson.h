/* Least-squares integration of a gradient field: the p on a w x h pixel grid that
 * minimises sum over neighbour pairs (p_j - p_i - t_ij)^2, with t_ij the mean of the
 * two pixels' target gradient along the pair. Its normal equations are a Poisson
 * problem with Neumann borders (graph Laplacian), solved by full multigrid: the
 * right-hand side restricted to coarse grids by 2x2 sums, solved there, carried up by
 * bilinear interpolation and improved by V-cycles with red-black Gauss-Seidel.
 * A field that is not a gradient (curl) gets the closest one that is; p is defined up
 * to a constant (its mean is made 0). */
#ifndef MNT_POISSON_H
#define MNT_POISSON_H

#include <stdint.h>

#include "mnt_error.h"

/* gx, gy, p: w*h floats, row-major. vcycles per level after the first guess (2 is
 * plenty for smooth fields). Returns MNT_OK or MNT_ERR_NOMEM. */
int mnt_integrate_gradient(const float *gx, const float *gy, int w, int h, int vcycles, float *p);

/* The same with the pixels where fixed[i] != 0 held at their values in p; p holds
 * the starting guess on entry (for example the unconstrained solution) and the
 * solution on return (no mean shift). */
int mnt_integrate_gradient_fixed(const float *gx, const float *gy, int w, int h, const uint8_t *fixed, int vcycles,
                                 float *p);

/* Reference: plain Gauss-Seidel sweeps on the same equations from p = 0 (slow; tests). */
int mnt_integrate_gradient_naive(const float *gx, const float *gy, int w, int h, int sweeps, float *p);

#endif
