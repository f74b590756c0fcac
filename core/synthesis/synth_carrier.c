#include "synth_carrier.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnt_math.h"
#include "filter.h"
#include "image.h"
#include "poisson.h"

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

double complex mnt_carrier_warp(const mnt_carrier *c, double complex z)
{
    double x = creal(z), y = cimag(z), dx = 0, dy = 0;
    for (int k = 0; k < 3; k++) dx += c->warp_a[k] * sin(c->warp_kx[k] * x + c->warp_ky[k] * y + c->warp_ph[k]);
    for (int k = 3; k < 6; k++) dy += c->warp_a[k] * sin(c->warp_kx[k] * x + c->warp_ky[k] * y + c->warp_ph[k]);
    return (x + dx) + I * (y + dy);
}

/* Pixel point whose warp is model point s (the warp moves points by a few pixels and
 * its displacement gradient is small, so fixed-point iteration converges). */
static double complex unwarp(const mnt_carrier *c, double complex s)
{
    double complex z = s;
    for (int it = 0; it < 50; it++) z = s - (mnt_carrier_warp(c, z) - z);
    return z;
}

static double period_at(const mnt_carrier *c, double x, double y)
{
    double t = 1;
    for (int k = 0; k < 3; k++) t += c->per_a[k] * sin(c->per_kx[k] * x + c->per_ky[k] * y + c->per_ph[k]);
    return c->period * t;
}

static void random_waves(mnt_rng *rng, int n, double lo, double hi, double amp_lo, double amp_hi, int amp_per_k,
                         double *a, double *kx, double *ky, double *ph)
{
    for (int k = 0; k < n; k++) {
        double lambda = mnt_rng_range(rng, lo, hi), dir = mnt_rng_range(rng, 0, 2 * MNT_PI);
        double kk = 2 * MNT_PI / lambda;
        kx[k] = kk * cos(dir);
        ky[k] = kk * sin(dir);
        ph[k] = mnt_rng_range(rng, 0, 2 * MNT_PI);
        a[k] = mnt_rng_range(rng, amp_lo, amp_hi) / (amp_per_k ? kk : 1);
    }
}

/* Whorl: turns the far field (rot) until the ridge curve leaving the first core runs
 * into the second (Im of the integral of sqrt F between them is 0), so the cores are
 * joined and the rings close instead of spiralling. The condition is very sensitive
 * to the pattern's symmetry and rot moves it smoothly; the root nearest rot = 1 within
 * +-0.6 rad is taken. Returns 0 when there is none. */
static int join_cores(mnt_zero_pole *m)
{
    const int steps = 24;
    const double lim = 0.6;
    double best = 1e9;
    double prev_a = -lim, prev_v;
    m->rot = cexp(I * prev_a);
    prev_v = mnt_zp_segment_im(m, m->core[0], m->core[1]);
    for (int i = 1; i <= steps; i++) {
        double a = -lim + 2 * lim * i / steps;
        m->rot = cexp(I * a);
        double v = mnt_zp_segment_im(m, m->core[0], m->core[1]);
        if ((v <= 0) != (prev_v <= 0)) {
            double lo = prev_a, hi = a, vlo = prev_v;
            for (int it = 0; it < 40; it++) {
                double mid = 0.5 * (lo + hi);
                m->rot = cexp(I * mid);
                double vm = mnt_zp_segment_im(m, m->core[0], m->core[1]);
                if ((vm <= 0) == (vlo <= 0)) lo = mid, vlo = vm;
                else hi = mid;
            }
            if (fabs(0.5 * (lo + hi)) < fabs(best)) best = 0.5 * (lo + hi);
        }
        prev_a = a;
        prev_v = v;
    }
    if (best > lim) {
        m->rot = 1;
        return 0;
    }
    m->rot = cexp(I * best);
    return 1;
}

void mnt_carrier_init(mnt_carrier *c, mnt_print_class cls, int width, int height, double period, mnt_rng *rng)
{
    *c = (mnt_carrier){0};
    c->cls = cls;
    c->width = width;
    c->height = height;
    c->period = period;
    c->cx = width * mnt_rng_range(rng, 0.45, 0.55);
    c->cy = height * mnt_rng_range(rng, 0.40, 0.50);
    /* warp: wavelengths 250..600 px, displacement gradient about 0.03..0.06 per term */
    random_waves(rng, 6, 250, 600, 0.03, 0.06, 1, c->warp_a, c->warp_kx, c->warp_ky, c->warp_ph);
    /* period map: +-4 % per term, wavelengths 300..800 px */
    random_waves(rng, 3, 300, 800, -0.04, 0.04, 0, c->per_a, c->per_kx, c->per_ky, c->per_ph);
    double s = width < height ? width : height;
    double complex centre = c->cx + I * c->cy;
    mnt_zero_pole *m = &c->model;
    m->rot = 1;
    switch (cls) {
    case MNT_CLASS_ARCH:
        c->tilt = mnt_rng_range(rng, -0.12, 0.12);
        c->bump_a = mnt_rng_range(rng, 0.08, 0.16) * s;
        c->bump_s = mnt_rng_range(rng, 0.16, 0.24) * s;
        break;
    case MNT_CLASS_TENTED_ARCH: {
        /* a delta straight below the core (turned by gamma): the core's ridge curve
         * runs down into the delta by symmetry */
        double gamma = mnt_rng_range(rng, -0.15, 0.15), dist = mnt_rng_range(rng, 0.12, 0.22) * s;
        m->ncores = m->ndeltas = 1;
        m->core[0] = centre;
        m->delta[0] = centre + I * dist * cexp(I * gamma);
        m->rot = cexp(-2 * I * gamma);
        break;
    }
    case MNT_CLASS_WHORL: {
        double len = mnt_rng_range(rng, 0.6, 2.5) * period, ang = mnt_rng_range(rng, -0.6, 0.6);
        double dist = mnt_rng_range(rng, 0.22, 0.32) * s;
        m->ncores = m->ndeltas = 2;
        m->core[0] = centre - 0.5 * len * cexp(I * ang);
        m->core[1] = centre + 0.5 * len * cexp(I * ang);
        m->delta[0] = centre + dist * cexp(I * mnt_rng_range(rng, 2.2, 2.6));  /* below left (y down) */
        m->delta[1] = centre + dist * cexp(I * mnt_rng_range(rng, 0.55, 0.95)); /* below right */
        if (!join_cores(m)) m->core[1] = m->core[0] + 0.01; /* the two cores merge: a target */
        break;
    }
    default: {
        /* right loop: the core's ridge curve leaves at angle pi - beta - alpha (y down),
         * slanting down to the right; the delta sits below left; a left loop is its
         * mirror image */
        double alpha = mnt_rng_range(rng, -0.15, 0.15), opening = mnt_rng_range(rng, 0.25, 0.6);
        double beta = MNT_PI - opening - alpha, dist = mnt_rng_range(rng, 0.18, 0.28) * s;
        double complex d = dist * cexp(I * beta);
        m->rot = cexp(I * alpha);
        if (cls == MNT_CLASS_LEFT_LOOP) {
            d = -conj(d);
            m->rot = conj(m->rot);
        }
        m->ncores = m->ndeltas = 1;
        m->core[0] = centre;
        m->delta[0] = centre + d;
        break;
    }
    }
}

/* ---- building the grids ---- */

typedef struct {
    double complex *pts;
    size_t n;
} polyline;

static void mark_disc(uint8_t *cut, int w, int h, double complex z, double r)
{
    int x0 = (int)floor(creal(z) - r), x1 = (int)ceil(creal(z) + r);
    int y0 = (int)floor(cimag(z) - r), y1 = (int)ceil(cimag(z) + r);
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++)
            if (hypot(x - creal(z), y - cimag(z)) <= r) cut[(size_t)y * w + x] = 1;
}

static void mark_polyline(uint8_t *cut, int w, int h, const polyline *pl)
{
    for (size_t i = 0; i < pl->n; i++) mark_disc(cut, w, h, pl->pts[i], 0.8);
}

/* Traces the cuts: each core's prong, then for every singular point not yet joined to
 * another one, the shortest of its prongs that leaves the image. */
static int trace_cuts(const mnt_carrier *c, polyline *cuts, int *ncuts)
{
    const mnt_zero_pole *m = &c->model;
    int w = c->width, h = c->height, nsing = m->ncores + m->ndeltas;
    size_t cap = (size_t)16 * (size_t)(w + h);
    int joined[2 * MNT_ZP_MAX] = {0};
    *ncuts = 0;
    for (int k = 0; k < nsing; k++) {
        if (joined[k]) continue;
        double complex dirs[3];
        int nd = mnt_zp_prong_directions(m, k, dirs);
        polyline best = {NULL, 0};
        for (int j = 0; j < nd; j++) {
            double complex *pts = malloc(cap * sizeof *pts);
            if (!pts) {
                free(best.pts);
                return MNT_ERR_NOMEM;
            }
            /* traced in model coordinates, then mapped to pixels (the warp is smooth
             * and nearly the identity, so the mapped curve stays a ridge curve of the
             * warped field to within a fraction of a pixel) */
            double complex s = k < m->ncores ? m->core[k] : m->delta[k - m->ncores];
            size_t n = mnt_zp_trace(m, k, s + 0.5 * dirs[j], dirs[j], 0.5, -40, -40, w + 40, h + 40, 1.5, pts, cap);
            double complex end = pts[n - 1];
            int hits = -1;
            for (int q = 0; q < nsing; q++) {
                double complex sq = q < m->ncores ? m->core[q] : m->delta[q - m->ncores];
                if (q != k && cabs(end - sq) < 1e-9) hits = q;
            }
            int exits = creal(end) < -40 || creal(end) > w + 40 || cimag(end) < -40 || cimag(end) > h + 40;
            int usable = k < m->ncores ? (exits || hits >= 0) : exits;
            if (usable && (!best.pts || n < best.n)) {
                free(best.pts);
                best = (polyline){pts, n};
                if (hits >= 0) joined[hits] = 1;
            } else {
                free(pts);
            }
        }
        if (!best.pts) continue; /* a prong that neither leaves nor joins: leave it uncut */
        for (size_t i = 0; i < best.n; i++) best.pts[i] = unwarp(c, best.pts[i]);
        cuts[(*ncuts)++] = best;
        joined[k] = 1;
    }
    return MNT_OK;
}

/* Chamfer distance (weights 1 and sqrt 2, pixels) to the nearest marked pixel. */
static void chamfer(const uint8_t *mark, int w, int h, float *dist)
{
    const float big = 1e9f, a = 1.0f, b = 1.4142f;
    for (size_t i = 0; i < (size_t)w * h; i++) dist[i] = mark[i] ? 0 : big;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float *d = &dist[(size_t)y * w + x];
            if (x > 0) *d = fminf(*d, d[-1] + a);
            if (y > 0) {
                *d = fminf(*d, d[-w] + a);
                if (x > 0) *d = fminf(*d, d[-w - 1] + b);
                if (x + 1 < w) *d = fminf(*d, d[-w + 1] + b);
            }
        }
    for (int y = h - 1; y >= 0; y--)
        for (int x = w - 1; x >= 0; x--) {
            float *d = &dist[(size_t)y * w + x];
            if (x + 1 < w) *d = fminf(*d, d[1] + a);
            if (y + 1 < h) {
                *d = fminf(*d, d[w] + a);
                if (x + 1 < w) *d = fminf(*d, d[w + 1] + b);
                if (x > 0) *d = fminf(*d, d[w - 1] + b);
            }
        }
}

/* Sign of sqrt F per pixel: continuous inside each region the cuts leave (flood
 * fill), and flipped between regions that face each other across a cut (the phase
 * folds there, so its gradient reverses). */
static int branch_signs(const double complex *q, const uint8_t *cut, int w, int h, int8_t *sign)
{
    size_t n = (size_t)w * h;
    int32_t *comp = malloc(n * sizeof *comp);
    size_t *queue = malloc(n * sizeof *queue);
    if (!comp || !queue) {
        free(comp);
        free(queue);
        return MNT_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) comp[i] = -1, sign[i] = 1;
    int ncomp = 0;
    enum { MAXC = 16 };
    /* cut pixels join the region of their first visited neighbour (pass 1), the
     * flood itself never crosses them (pass 0) */
    for (int pass = 0; pass < 2; pass++)
        for (size_t seed = 0; seed < n; seed++) {
            if (comp[seed] >= 0 || (pass == 0 && cut[seed])) continue;
            size_t head = 0, tail = 0;
            int id = pass == 0 ? ncomp++ : -2;
            if (pass == 1) {
                /* attach to a labelled neighbour */
                size_t nb[4];
                int nn = mnt_neighbours4(seed, w, h, nb);
                for (int k = 0; k < nn && id == -2; k++)
                    if (comp[nb[k]] >= 0) {
                        id = comp[nb[k]];
                        sign[seed] = creal(q[seed] * conj(sign[nb[k]] * q[nb[k]])) >= 0 ? 1 : -1;
                    }
                if (id == -2) continue;
            }
            comp[seed] = id;
            queue[tail++] = seed;
            while (head < tail) {
                size_t i = queue[head++], nb[4];
                int nn = mnt_neighbours4(i, w, h, nb);
                for (int k = 0; k < nn; k++) {
                    if (comp[nb[k]] != -1 || (pass == 0 && cut[nb[k]]) || (pass == 1 && !cut[nb[k]])) continue;
                    comp[nb[k]] = id;
                    sign[nb[k]] = creal(q[nb[k]] * conj(sign[i] * q[i])) >= 0 ? 1 : -1;
                    queue[tail++] = nb[k];
                }
            }
        }
    /* votes between regions across cuts: the signed gradients there should oppose */
    int nc = ncomp < MAXC ? ncomp : MAXC;
    double vote[MAXC][MAXC] = {{0}};
    for (int y = 3; y < h - 3; y++)
        for (int x = 3; x < w - 3; x++) {
            size_t i = (size_t)y * w + x;
            if (!cut[i]) continue;
            for (int axis = 0; axis < 2; axis++) {
                size_t step = axis ? (size_t)w : 1, a = i - 3 * step, b = i + 3 * step;
                if (cut[a] || cut[b] || comp[a] == comp[b] || comp[a] >= nc || comp[b] >= nc) continue;
                double v = creal(sign[a] * q[a] * conj(sign[b] * q[b]));
                double mag = cabs(q[a]) * cabs(q[b]);
                if (mag > 0) v /= mag;
                vote[comp[a]][comp[b]] += v;
                vote[comp[b]][comp[a]] += v;
            }
        }
    int flip[MAXC] = {0}, done[MAXC] = {0}, stack[MAXC], sp = 0;
    for (int root = 0; root < nc; root++) {
        if (done[root]) continue;
        done[root] = 1;
        stack[sp++] = root;
        while (sp) {
            int a = stack[--sp];
            for (int b = 0; b < nc; b++)
                if (!done[b] && vote[a][b] != 0) {
                    /* positive vote: the two sides agree, so one must be flipped */
                    flip[b] = flip[a] ^ (vote[a][b] > 0);
                    done[b] = 1;
                    stack[sp++] = b;
                }
        }
    }
    for (size_t i = 0; i < n; i++)
        if (comp[i] >= 0 && comp[i] < nc && flip[comp[i]]) sign[i] = (int8_t)-sign[i];
    free(comp);
    free(queue);
    return MNT_OK;
}

/* Multiplies the target gradient by the ratio of the period map's frequency to the
 * phase's, smoothed over about two ridge periods and kept within 0.6..1.6. */
static int rescale_targets(const mnt_carrier *c, float *gx, float *gy)
{
    int w = c->width, h = c->height;
    float *ratio = malloc((size_t)w * h * sizeof *ratio);
    if (!ratio) return MNT_ERR_NOMEM;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            size_t xl = x > 0 ? i - 1 : i, xr = x + 1 < w ? i + 1 : i;
            size_t yu = y > 0 ? i - (size_t)w : i, yd = y + 1 < h ? i + (size_t)w : i;
            double ddx = (c->phase[xr] - c->phase[xl]) / (double)(xr - xl ? (xr - xl) : 1);
            double ddy = (c->phase[yd] - c->phase[yu]) / (double)(yd != yu ? (yd - yu) / (size_t)w : 1);
            double got = sqrt(ddx * ddx + ddy * ddy), want = 2 * MNT_PI / period_at(c, x, y);
            double r = got > 0 ? want / got : 1;
            ratio[i] = (float)(r < 0.6 ? 0.6 : r > 1.6 ? 1.6 : r);
        }
    int rc = mnt_box_blur(ratio, w, h, (int)(2 * c->period));
    if (!rc) rc = mnt_box_blur(ratio, w, h, (int)(2 * c->period));
    if (!rc)
        for (size_t i = 0; i < (size_t)w * h; i++) {
            gx[i] *= ratio[i];
            gy[i] *= ratio[i];
        }
    free(ratio);
    return rc;
}

/* Sets every 8-connected group of cut pixels to its mean phase, rounded to pi. */
static int hold_creases(const uint8_t *cut, int w, int h, float *phase)
{
    size_t n = (size_t)w * h;
    uint8_t *seen = calloc(n, 1);
    size_t *queue = malloc(n * sizeof *queue);
    if (!seen || !queue) {
        free(seen);
        free(queue);
        return MNT_ERR_NOMEM;
    }
    for (size_t seed = 0; seed < n; seed++) {
        if (!cut[seed] || seen[seed]) continue;
        size_t head = 0, tail = 0;
        double sum = 0;
        seen[seed] = 1;
        queue[tail++] = seed;
        while (head < tail) {
            size_t i = queue[head++];
            sum += phase[i];
            int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                    size_t j = (size_t)ny * w + nx;
                    if (cut[j] && !seen[j]) {
                        seen[j] = 1;
                        queue[tail++] = j;
                    }
                }
        }
        /* a multiple of pi: the crease then runs along a ridge or valley centre, where
         * cos is flat, so the fold is smooth (synth.c fades the minutiae's spiral
         * phase out towards the creases for the same reason) */
        float mean = (float)(MNT_PI * round(sum / (double)tail / MNT_PI));
        for (size_t k = 0; k < tail; k++) phase[queue[k]] = mean;
    }
    free(seen);
    free(queue);
    return MNT_OK;
}

static int build_zero_pole(mnt_carrier *c)
{
    int w = c->width, h = c->height, rc = MNT_OK, ncuts = 0;
    size_t n = (size_t)w * h;
    polyline cuts[MNT_CARRIER_MAX_CUTS] = {{0}};
    double complex *q = malloc(n * sizeof *q);
    uint8_t *cut = calloc(n, 1);
    int8_t *sign = malloc(n);
    float *gx = malloc(n * sizeof *gx), *gy = malloc(n * sizeof *gy);
    if (!q || !cut || !sign || !gx || !gy) {
        rc = MNT_ERR_NOMEM;
        goto done;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) q[(size_t)y * w + x] = mnt_zp_sqrt_f(&c->model, mnt_carrier_warp(c, (double)x + I * (double)y));
    if ((rc = trace_cuts(c, cuts, &ncuts))) goto done;
    int nsing = c->model.ncores + c->model.ndeltas;
    for (int k = 0; k < nsing; k++) {
        double complex s = k < c->model.ncores ? c->model.core[k] : c->model.delta[k - c->model.ncores];
        c->singular[k] = unwarp(c, s);
        mark_disc(cut, w, h, c->singular[k], 1.5);
    }
    for (int k = 0; k < ncuts; k++) mark_polyline(cut, w, h, &cuts[k]);
    if ((rc = branch_signs(q, cut, w, h, sign))) goto done;
    for (size_t i = 0; i < n; i++) {
        double complex v = q[i];
        double a = cabs(v);
        double k = 2 * MNT_PI / period_at(c, (double)(i % (size_t)w), (double)(i / (size_t)w));
        if (!(a > 0) || !isfinite(a)) {
            gx[i] = gy[i] = 0;
            continue;
        }
        v *= sign[i] * k / a;
        gx[i] = (float)cimag(v);
        gy[i] = (float)creal(v);
    }
    if ((rc = mnt_integrate_gradient(gx, gy, w, h, 2, c->phase))) goto done;
    /* The corrected field is not a gradient near singular points (its magnitude no
     * longer follows |F|^(1/2)), and the plain least-squares phase would then slide
     * along the creases: ridges would meet them at an angle. A crease is a level set,
     * so each is held at its mean phase and the rest solved again. */
    if ((rc = hold_creases(cut, w, h, c->phase))) goto done;
    if ((rc = mnt_integrate_gradient_fixed(gx, gy, w, h, cut, 4, c->phase))) goto done;
    /* Where the least-squares phase came out too wide or too narrow (around close
     * cores and between cores and deltas), scale the target by the smoothed ratio of
     * wanted to obtained frequency and solve again. */
    if ((rc = rescale_targets(c, gx, gy))) goto done;
    if ((rc = mnt_integrate_gradient_fixed(gx, gy, w, h, cut, 3, c->phase))) goto done;
    chamfer(cut, w, h, c->clear);
done:
    for (int k = 0; k < ncuts; k++) free(cuts[k].pts);
    free(q);
    free(cut);
    free(sign);
    free(gx);
    free(gy);
    return rc;
}

static void build_arch(mnt_carrier *c)
{
    int w = c->width, h = c->height;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double complex z = mnt_carrier_warp(c, (double)x + I * (double)y);
            double u = creal(z) - c->cx, v = cimag(z) - c->cy;
            double bump = c->bump_a * exp(-0.5 * u * u / (c->bump_s * c->bump_s));
            double fade = 1.0 / (1.0 + exp((v - 0.5 * c->bump_s) / (0.5 * c->bump_s)));
            double k = 2 * MNT_PI / c->period;
            c->phase[(size_t)y * w + x] = (float)(k * (v + c->tilt * u + bump * fade));
            c->clear[(size_t)y * w + x] = 1e9f;
        }
}

int mnt_carrier_build(mnt_carrier *c)
{
    size_t n = (size_t)c->width * (size_t)c->height;
    free(c->phase);
    free(c->clear);
    c->phase = malloc(n * sizeof *c->phase);
    c->clear = malloc(n * sizeof *c->clear);
    if (!c->phase || !c->clear) {
        mnt_carrier_free(c);
        return MNT_ERR_NOMEM;
    }
    if (c->cls == MNT_CLASS_ARCH) {
        build_arch(c);
        return MNT_OK;
    }
    int rc = build_zero_pole(c);
    if (rc) mnt_carrier_free(c);
    return rc;
}

void mnt_carrier_free(mnt_carrier *c)
{
    if (!c) return;
    free(c->phase);
    free(c->clear);
    c->phase = NULL;
    c->clear = NULL;
}

static double bilinear(const float *g, int w, int h, double x, double y)
{
    x = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
    y = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
    int x0 = (int)x, y0 = (int)y;
    int x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
    double fx = x - x0, fy = y - y0;
    return (1 - fy) * ((1 - fx) * g[(size_t)y0 * w + x0] + fx * g[(size_t)y0 * w + x1]) +
           fy * ((1 - fx) * g[(size_t)y1 * w + x0] + fx * g[(size_t)y1 * w + x1]);
}

double mnt_carrier_phase(const mnt_carrier *c, double x, double y)
{
    return bilinear(c->phase, c->width, c->height, x, y);
}

double mnt_carrier_singular_distance(const mnt_carrier *c, double x, double y)
{
    return bilinear(c->clear, c->width, c->height, x, y);
}
