#include "synth_carrier.h"

#include <math.h>
#include <stddef.h>

#include "mnt_math.h"

const char *mnt_class_name(mnt_print_class c)
{
    switch (c) {
    case MNT_CLASS_ARCH: return "arch";
    case MNT_CLASS_TENTED_ARCH: return "tented_arch";
    case MNT_CLASS_LEFT_LOOP: return "left_loop";
    case MNT_CLASS_RIGHT_LOOP: return "right_loop";
    case MNT_CLASS_WHORL: return "whorl";
    default: return "unknown";
    }
}

static void warp(const mnt_carrier *c, double x, double y, double *wx, double *wy)
{
    double dx = 0, dy = 0;
    for (int k = 0; k < 3; k++) dx += c->warp_a[k] * sin(c->warp_kx[k] * x + c->warp_ky[k] * y + c->warp_ph[k]);
    for (int k = 3; k < 6; k++) dy += c->warp_a[k] * sin(c->warp_kx[k] * x + c->warp_ky[k] * y + c->warp_ph[k]);
    *wx = x + dx;
    *wy = y + dy;
}

static double seg_dist(double px, double py, double ax, double ay, double bx, double by)
{
    double vx = bx - ax, vy = by - ay, l2 = vx * vx + vy * vy;
    double s = l2 > 0 ? ((px - ax) * vx + (py - ay) * vy) / l2 : 0;
    s = s < 0 ? 0 : s > 1 ? 1 : s;
    double qx = ax + s * vx - px, qy = ay + s * vy - py;
    return sqrt(qx * qx + qy * qy);
}

void mnt_carrier_init(mnt_carrier *c, mnt_print_class cls, int width, int height, double period, mnt_rng *rng)
{
    *c = (mnt_carrier){0};
    c->cls = cls;
    c->period = period;
    c->cx = width * mnt_rng_range(rng, 0.45, 0.55);
    c->cy = height * mnt_rng_range(rng, 0.40, 0.50);
    /* warp: wavelengths 250..600 px, displacement gradient about 0.03..0.06 per term */
    for (int k = 0; k < 6; k++) {
        double lambda = mnt_rng_range(rng, 250, 600), dir = mnt_rng_range(rng, 0, 2 * MNT_PI);
        double kk = 2 * MNT_PI / lambda;
        c->warp_kx[k] = kk * cos(dir);
        c->warp_ky[k] = kk * sin(dir);
        c->warp_ph[k] = mnt_rng_range(rng, 0, 2 * MNT_PI);
        c->warp_a[k] = mnt_rng_range(rng, 0.03, 0.06) / kk;
    }
    double s = width < height ? width : height;
    c->tilt = mnt_rng_range(rng, -0.12, 0.12);
    c->ax = c->bx = c->cx;
    c->ay = c->by = c->cy;
    switch (cls) {
    case MNT_CLASS_ARCH:
        c->bump_a = mnt_rng_range(rng, 0.08, 0.16) * s;
        c->bump_s = mnt_rng_range(rng, 0.16, 0.24) * s;
        break;
    case MNT_CLASS_WHORL: {
        double len = mnt_rng_range(rng, 0.0, 2.5) * period, ang = mnt_rng_range(rng, -0.6, 0.6);
        c->ax = c->cx - 0.5 * len * cos(ang);
        c->ay = c->cy - 0.5 * len * sin(ang);
        c->bx = c->cx + 0.5 * len * cos(ang);
        c->by = c->cy + 0.5 * len * sin(ang);
        break;
    }
    case MNT_CLASS_TENTED_ARCH: {
        double ang = MNT_PI / 2 + mnt_rng_range(rng, -0.15, 0.15); /* straight down */
        c->bx = c->ax + 4 * s * cos(ang);
        c->by = c->ay + 4 * s * sin(ang);
        break;
    }
    default: {
        /* the loop opens to the right (right loop) or left, slanting downwards */
        double down = mnt_rng_range(rng, 0.25, 0.6);
        double ang = cls == MNT_CLASS_RIGHT_LOOP ? down : MNT_PI - down;
        c->bx = c->ax + 4 * s * cos(ang);
        c->by = c->ay + 4 * s * sin(ang);
        c->body = mnt_rng_range(rng, 0.25, 0.4) * s;
        c->soft = 0.6 * period;
        break;
    }
    }
}

/* Loops and tented arch: smooth minimum of the distance to the ray and the half-body
 * flow term (see the header). */
static double loop_distance(const mnt_carrier *c, double wx, double wy)
{
    double dr = seg_dist(wx, wy, c->ax, c->ay, c->bx, c->by);
    double len = hypot(c->bx - c->ax, c->by - c->ay), ux = (c->bx - c->ax) / len, uy = (c->by - c->ay) / len;
    double rx = wx - c->ax, ry = wy - c->ay;
    double u = rx * ux + ry * uy, v = -rx * uy + ry * ux;
    double th = atan2(v, u);
    if (th < 0) th += 2 * MNT_PI; /* the cut runs along the ray, inside the loop */
    double m = c->body, psi = v + m / (2 * MNT_PI) * th;
    double dflow = fabs(psi - m / 2) + m / 2;
    double lo = fmin(dr, dflow);
    return lo - c->soft * log(exp(-(dr - lo) / c->soft) + exp(-(dflow - lo) / c->soft));
}

double mnt_carrier_phase(const mnt_carrier *c, double x, double y)
{
    double wx, wy;
    warp(c, x, y, &wx, &wy);
    double k = 2 * MNT_PI / c->period;
    double u = wx - c->cx;
    if (c->cls == MNT_CLASS_ARCH) {
        double v = wy - c->cy;
        double bump = c->bump_a * exp(-0.5 * u * u / (c->bump_s * c->bump_s));
        double fade = 1.0 / (1.0 + exp((v - 0.5 * c->bump_s) / (0.5 * c->bump_s)));
        return k * (v + c->tilt * u + bump * fade);
    }
    if (c->body > 0) return k * loop_distance(c, wx, wy);
    return k * seg_dist(wx, wy, c->ax, c->ay, c->bx, c->by);
}

double mnt_carrier_singular_distance(const mnt_carrier *c, double x, double y)
{
    if (c->cls == MNT_CLASS_ARCH) return 1e9;
    double wx, wy;
    warp(c, x, y, &wx, &wy);
    double dist = seg_dist(wx, wy, c->ax, c->ay, c->bx, c->by);
    if (c->body > 0) /* the flow term's crease on the axis in front of the loop */
        dist = fmin(dist, seg_dist(wx, wy, c->ax, c->ay, 2 * c->ax - c->bx, 2 * c->ay - c->by));
    return dist;
}
