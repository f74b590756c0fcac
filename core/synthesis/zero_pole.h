/* Sherlock-Monro zero-pole orientation model, read as a quadratic differential.
 *
 * With z = x + i y in pixel coordinates (y down), cores c_k and deltas d_k,
 *     F(z) = rot * prod_k (z - d_k) / prod_k (z - c_k).
 * The ridges are the curves along which F(z) dz^2 > 0, so their direction is
 * arg dz = -arg(F) / 2 = (1/2) (sum arg(z - c_k) - sum arg(z - d_k)) - arg(rot) / 2:
 * exactly the zero-pole orientation (cores are poles, deltas zeros). The phase
 * P = Im zeta, zeta = integral of sqrt(F) dz, has level sets on those ridges, and its
 * gradient is (Im sqrt F, Re sqrt F). sqrt F changes sign around each singular point,
 * so P is continuous only on a domain cut along "prongs" (the ridge curves that leave
 * a singular point: one per core, three per delta, all level sets of P): across such a
 * cut the gradient flips and P folds (a crease, invisible in cos P). */
#ifndef MNT_ZERO_POLE_H
#define MNT_ZERO_POLE_H

#include <complex.h>
#include <stddef.h>

#define MNT_ZP_MAX 2

typedef struct {
    int ncores, ndeltas;
    double complex core[MNT_ZP_MAX], delta[MNT_ZP_MAX];
    double complex rot; /* unit: e^{-2 i gamma} turns the whole pattern by gamma */
} mnt_zero_pole;

/* Principal square root of F at z (0 at deltas, infinite at cores). */
double complex mnt_zp_sqrt_f(const mnt_zero_pole *m, double complex z);

/* Initial directions (unit complex numbers) of the prongs that leave singular point
 * `which` (cores first, then deltas); returns how many (1 for a core, 3 for a delta). */
int mnt_zp_prong_directions(const mnt_zero_pole *m, int which, double complex dirs[3]);

/* Follows the ridge curve from `start` heading roughly along `dir`, in steps of `step`
 * pixels, until it leaves the box [x0,x1]x[y0,y1], comes within `stop_r` of a singular
 * point other than `from` (the point is then appended), or `max_pts` points are
 * written. Returns the number of points written to pts (pts[0] = start). */
size_t mnt_zp_trace(const mnt_zero_pole *m, int from, double complex start, double complex dir, double step,
                    double x0, double y0, double x1, double y1, double stop_r, double complex *pts,
                    size_t max_pts);

/* Im of the integral of sqrt(F) along the straight segment a -> b, the branch followed
 * continuously from a (ends may be singular points: the substitution removes the
 * inverse square-root singularity). Zero when b lies on the level set of a. */
double mnt_zp_segment_im(const mnt_zero_pole *m, double complex a, double complex b);

#endif
