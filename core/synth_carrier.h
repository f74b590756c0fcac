/* Smooth carrier phase of a synthetic fingertip: 2 pi / T times a distance function
 * (|grad| = 1, so ridges keep their period), evaluated in smoothly warped coordinates
 * so the period varies smoothly between prints and across one print:
 * - loops: the smooth minimum of the distance to a ray from the core towards the side
 *   the loop opens to (ridges recurve around the core, run parallel to the ray) and
 *   |Psi - m/2| + m/2 with Psi the stream function of a uniform flow along the ray
 *   past a source at the core (a Rankine half-body of width m): the outer ridges flow
 *   around the loop, split in front of it and meet the loop's ridges in a delta; far
 *   along the arms both terms are equal, so the systems join without a fold there;
 * - tented arch: the same with the ray pointing down;
 * - whorl: the distance to a short segment (a core at each end);
 * - arch: no singular point, a smooth bump.
 * The crease of the distance along the ray or segment is invisible in cos(psi) (cos is
 * even) but makes the phase non-smooth there, so minutiae keep clear of it (and of
 * the stream function's crease on the axis in front of the loop); where the two systems
 * meet, the phase gradient weakens (the delta) and minutiae keep clear too. */
#ifndef MNT_SYNTH_CARRIER_H
#define MNT_SYNTH_CARRIER_H

#include "rng.h"

typedef enum {
    MNT_CLASS_ARCH = 0,
    MNT_CLASS_TENTED_ARCH,
    MNT_CLASS_LEFT_LOOP,
    MNT_CLASS_RIGHT_LOOP,
    MNT_CLASS_WHORL,
    MNT_CLASS_COUNT
} mnt_print_class;

const char *mnt_class_name(mnt_print_class c);

typedef struct {
    mnt_print_class cls;
    double period;              /* ridge period before the warp, pixels */
    double cx, cy;              /* pattern centre */
    double ax, ay, bx, by;      /* pattern set: segment a-b (ray: b far away) */
    double tilt;                /* arch tilt */
    double body;                /* loops: width of the flow's half-body around the loop */
    double soft;                /* loops: smooth-minimum softness, pixels */
    double bump_a, bump_s;      /* arch bump */
    double warp_a[6], warp_kx[6], warp_ky[6], warp_ph[6];
} mnt_carrier;

void mnt_carrier_init(mnt_carrier *c, mnt_print_class cls, int width, int height, double period, mnt_rng *rng);

/* Carrier phase psi_c at pixel (x, y), radians. */
double mnt_carrier_phase(const mnt_carrier *c, double x, double y);

/* Distance from (x,y) to the pattern set (core ray or whorl segment); large for arches.
 * Near it the carrier has a crease, so minutiae keep clear. */
double mnt_carrier_singular_distance(const mnt_carrier *c, double x, double y);

#endif
