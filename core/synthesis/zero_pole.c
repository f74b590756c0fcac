#include "zero_pole.h"

#include <math.h>

#include "mnt_math.h"

double complex mnt_zp_sqrt_f(const mnt_zero_pole *m, double complex z)
{
    double complex f = m->rot;
    for (int k = 0; k < m->ndeltas; k++) f *= z - m->delta[k];
    for (int k = 0; k < m->ncores; k++) f /= z - m->core[k];
    return csqrt(f);
}

static double complex singular_point(const mnt_zero_pole *m, int which)
{
    return which < m->ncores ? m->core[which] : m->delta[which - m->ncores];
}

int mnt_zp_prong_directions(const mnt_zero_pole *m, int which, double complex dirs[3])
{
    /* Near a core F ~ A / (z - c): P ~ Im 2 sqrt(A (z - c)), zero on the ray where
     * A (z - c) > 0. Near a delta F ~ B (z - d): P ~ Im (2/3) sqrt(B) (z - d)^{3/2},
     * zero where arg(B)/2 + 3 phi / 2 = k pi. */
    double complex s = singular_point(m, which), a = m->rot;
    for (int k = 0; k < m->ndeltas; k++)
        if (which != m->ncores + k) a *= s - m->delta[k];
    for (int k = 0; k < m->ncores; k++)
        if (which != k) a /= s - m->core[k];
    if (which < m->ncores) {
        dirs[0] = cexp(-I * carg(a));
        return 1;
    }
    for (int k = 0; k < 3; k++) dirs[k] = cexp(I * (2.0 / 3.0) * (k * MNT_PI - carg(a) / 2));
    return 3;
}

/* Unit ridge direction at z, signed to agree with `prev`. */
static double complex ridge_dir(const mnt_zero_pole *m, double complex z, double complex prev)
{
    double complex q = conj(mnt_zp_sqrt_f(m, z));
    double a = cabs(q);
    if (!(a > 0) || !isfinite(a)) return prev;
    q /= a;
    return creal(q * conj(prev)) < 0 ? -q : q;
}

size_t mnt_zp_trace(const mnt_zero_pole *m, int from, double complex start, double complex dir, double step,
                    double x0, double y0, double x1, double y1, double stop_r, double complex *pts,
                    size_t max_pts)
{
    if (max_pts == 0) return 0;
    size_t n = 0;
    double complex z = start, d = dir / cabs(dir);
    pts[n++] = z;
    int nsing = m->ncores + m->ndeltas;
    while (n < max_pts) {
        double complex d1 = ridge_dir(m, z, d);
        double complex d2 = ridge_dir(m, z + 0.5 * step * d1, d1); /* midpoint rule */
        z += step * d2;
        d = d2;
        pts[n++] = z;
        if (creal(z) < x0 || creal(z) > x1 || cimag(z) < y0 || cimag(z) > y1) break;
        for (int k = 0; k < nsing; k++)
            if (k != from && cabs(z - singular_point(m, k)) < stop_r) {
                if (n < max_pts) pts[n++] = singular_point(m, k);
                return n;
            }
    }
    return n;
}

double mnt_zp_segment_im(const mnt_zero_pole *m, double complex a, double complex b)
{
    /* z(s) = a + (b - a) (1 - cos(pi s)) / 2: dz/ds vanishes at both ends like s,
     * which cancels the 1/sqrt(distance) growth of sqrt F at a pole. */
    const int n = 400;
    double complex acc = 0, prev = 0;
    for (int i = 0; i < n; i++) {
        double s = (i + 0.5) / n;
        double complex z = a + (b - a) * 0.5 * (1 - cos(MNT_PI * s));
        double complex dz = (b - a) * 0.5 * MNT_PI * sin(MNT_PI * s) / n;
        double complex q = mnt_zp_sqrt_f(m, z);
        if (i > 0 && creal(q * conj(prev)) < 0) q = -q;
        prev = q;
        acc += q * dz;
    }
    return cimag(acc);
}
