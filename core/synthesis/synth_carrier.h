/* Smooth carrier phase of a synthetic fingertip.
 *
 * Orientation: the Sherlock-Monro zero-pole model (zero_pole.h) with the cores and
 * deltas of the print's class (loops: one core and one delta; tented arch: a delta
 * straight below the core; whorl: two cores joined by a ridge curve and two deltas),
 * seen through a gentle random warp so it is not too regular.
 * Correction so ridges look natural: the raw zero-pole phase (Im of the integral of
 * sqrt F) crowds ridges near cores and spreads them near deltas (its gradient is
 * |F|^(1/2)), so the carrier is instead the least-squares phase whose gradient is the
 * zero-pole ridge normal times 2 pi / T(x, y), with T a smoothly varying period map
 * (poisson.h). The normal's sign follows the branch of sqrt F on the plane cut along
 * prongs (ridge curves leaving the singular points, to the border or to another
 * singular point), so the phase folds along them: a crease invisible in cos(psi), near
 * which minutiae are not placed.
 * Arches have no singular point: a tilted plane wave with a smooth bump. */
#ifndef MNT_SYNTH_CARRIER_H
#define MNT_SYNTH_CARRIER_H

#include <complex.h>

#include "rng.h"
#include "zero_pole.h"

typedef enum {
    MNT_CLASS_ARCH = 0,
    MNT_CLASS_TENTED_ARCH,
    MNT_CLASS_LEFT_LOOP,
    MNT_CLASS_RIGHT_LOOP,
    MNT_CLASS_WHORL,
    MNT_CLASS_COUNT
} mnt_print_class;

const char *mnt_class_name(mnt_print_class c);

#define MNT_CARRIER_MAX_CUTS 4

typedef struct {
    mnt_print_class cls;
    int width, height;
    double period;              /* mean ridge period, pixels */
    double cx, cy;              /* pattern centre */
    mnt_zero_pole model;        /* singular points in model (warped) coordinates */
    double complex singular[2 * MNT_ZP_MAX]; /* the same points in pixel coordinates */
    double tilt, bump_a, bump_s; /* arch */
    double warp_a[6], warp_kx[6], warp_ky[6], warp_ph[6];
    double per_a[3], per_kx[3], per_ky[3], per_ph[3]; /* period map */
    /* built by mnt_carrier_build: */
    float *phase;               /* width*height, radians */
    float *clear;               /* distance to the nearest singular point or crease, pixels */
} mnt_carrier;

/* Chooses the pattern (no allocation). */
void mnt_carrier_init(mnt_carrier *c, mnt_print_class cls, int width, int height, double period, mnt_rng *rng);

/* Computes the phase and clearance grids; MNT_OK or MNT_ERR_NOMEM. */
int mnt_carrier_build(mnt_carrier *c);
void mnt_carrier_free(mnt_carrier *c);

/* Carrier phase psi_c at (x, y), radians (bilinear in the grid, clamped at borders). */
double mnt_carrier_phase(const mnt_carrier *c, double x, double y);

/* The model point seen at pixel z (the gentle warp). */
double complex mnt_carrier_warp(const mnt_carrier *c, double complex z);

/* Distance from (x, y) to the nearest singular point or crease; large for arches. */
double mnt_carrier_singular_distance(const mnt_carrier *c, double x, double y);

#endif
