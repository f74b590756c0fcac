#include "synth.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnt_math.h"
#include "rng.h"
#include "synth_look.h"

void mnt_synth_defaults(mnt_synth_params *p)
{
    memset(p, 0, sizeof *p);
    p->width = 640;
    p->height = 640;
    p->period_min = 8.5;
    p->period_max = 11.0;
    p->density = 2.5;
    p->min_spacing = 2.0;
    p->close_pair_share = 0.12;
    p->close_pair_spacing = 1.1;
    p->ending_share = 0.55;
    p->singular_clearance = 2.5;
    /* natural proportions (NIST/FBI statistics): arch 3.7 %, tented arch 2.9 %,
     * left loop 33.8 %, right loop 31.7 %, whorl 27.9 % */
    p->class_weights[MNT_CLASS_ARCH] = 3.7;
    p->class_weights[MNT_CLASS_TENTED_ARCH] = 2.9;
    p->class_weights[MNT_CLASS_LEFT_LOOP] = 33.8;
    p->class_weights[MNT_CLASS_RIGHT_LOOP] = 31.7;
    p->class_weights[MNT_CLASS_WHORL] = 27.9;
    p->ridge_contrast = 0.85;
}

int mnt_synth_validate(const mnt_synth_params *p, mnt_diag *d)
{
    if (p->width < 128 || p->height < 128 || p->width > 4096 || p->height > 4096)
        return mnt_fail(d, MNT_ERR_CONFIG, "print size %dx%d outside 128..4096", p->width, p->height);
    if (!(p->period_min >= 5 && p->period_max <= 20 && p->period_min <= p->period_max))
        return mnt_fail(d, MNT_ERR_CONFIG, "ridge period %g..%g outside 5..20 or reversed", p->period_min, p->period_max);
    if (!(p->density >= 0 && p->density <= 10)) return mnt_fail(d, MNT_ERR_CONFIG, "density %g outside 0..10", p->density);
    if (!(p->min_spacing >= 1 && p->min_spacing <= 10))
        return mnt_fail(d, MNT_ERR_CONFIG, "min_spacing %g outside 1..10 periods", p->min_spacing);
    if (!(p->close_pair_share >= 0 && p->close_pair_share <= 0.5))
        return mnt_fail(d, MNT_ERR_CONFIG, "close_pair_share %g outside 0..0.5", p->close_pair_share);
    if (!(p->close_pair_spacing >= 0.8 && p->close_pair_spacing <= p->min_spacing))
        return mnt_fail(d, MNT_ERR_CONFIG, "close_pair_spacing %g outside 0.8..min_spacing", p->close_pair_spacing);
    if (!(p->ending_share >= 0 && p->ending_share <= 1))
        return mnt_fail(d, MNT_ERR_CONFIG, "ending_share %g outside 0..1", p->ending_share);
    if (!(p->singular_clearance >= 1 && p->singular_clearance <= 10))
        return mnt_fail(d, MNT_ERR_CONFIG, "singular_clearance %g outside 1..10 periods", p->singular_clearance);
    if (!(p->ridge_contrast > 0 && p->ridge_contrast <= 1))
        return mnt_fail(d, MNT_ERR_CONFIG, "ridge_contrast %g outside (0, 1]", p->ridge_contrast);
    if (!(p->ridge_width_variation >= 0 && p->ridge_width_variation <= 0.6))
        return mnt_fail(d, MNT_ERR_CONFIG, "ridge_width_variation %g outside 0..0.6", p->ridge_width_variation);
    if (!(p->pores >= 0 && p->pores <= 50)) return mnt_fail(d, MNT_ERR_CONFIG, "pores %g outside 0..50", p->pores);
    if (!(p->dots >= 0 && p->dots <= 10)) return mnt_fail(d, MNT_ERR_CONFIG, "dots %g outside 0..10", p->dots);
    if (!(p->creases_min >= 0 && p->creases_max <= 20 && p->creases_min <= p->creases_max))
        return mnt_fail(d, MNT_ERR_CONFIG, "creases [%g, %g] outside 0..20 or reversed", p->creases_min, p->creases_max);
    double sum = 0;
    for (int i = 0; i < MNT_CLASS_COUNT; i++) {
        if (!(p->class_weights[i] >= 0)) return mnt_fail(d, MNT_ERR_CONFIG, "class weight %d is negative", i);
        sum += p->class_weights[i];
    }
    if (!(sum > 0)) return mnt_fail(d, MNT_ERR_CONFIG, "class weights are all zero");
    return MNT_OK;
}

mnt_print_class mnt_synth_pick_class(const mnt_synth_params *p, double u)
{
    double sum = 0;
    for (int i = 0; i < MNT_CLASS_COUNT; i++) sum += p->class_weights[i];
    double acc = 0;
    for (int i = 0; i < MNT_CLASS_COUNT; i++) {
        acc += p->class_weights[i] / sum;
        if (u < acc) return (mnt_print_class)i;
    }
    return MNT_CLASS_WHORL;
}

void mnt_synth_print_free(mnt_synth_print *s)
{
    if (!s) return;
    mnt_image_free(&s->image);
    free(s->ridge);
    free(s->strength);
    free(s->foreground);
    mnt_template_free(&s->truth);
    mnt_carrier_free(&s->carrier);
    memset(s, 0, sizeof *s);
}

/* Finger-shaped foreground: a superellipse whose bottom runs off the image, with a
 * gently wavy outline. Returns a value > 0 inside (distance-like, pixels). */
typedef struct {
    double cx, cy, a, b, wav_a[3], wav_ph[3];
} finger_shape;

static double finger_inside(const finger_shape *f, double x, double y)
{
    double u = (x - f->cx) / f->a, v = (y - f->cy) / f->b;
    double th = atan2(v, u), r = pow(pow(fabs(u), 2.4) + pow(fabs(v), 2.4), 1 / 2.4);
    double edge = 1.0;
    for (int k = 0; k < 3; k++) edge += f->wav_a[k] * sin((k + 2) * th + f->wav_ph[k]);
    return (edge - r) * (f->a < f->b ? f->a : f->b);
}

typedef struct {
    double x, y;
    int p;
    mnt_minutia_type type;
} spiral_pt;

static double wrap_pi(double a)
{
    a = fmod(a + MNT_PI, 2 * MNT_PI);
    if (a < 0) a += 2 * MNT_PI;
    return a - MNT_PI;
}

/* Phase at (x, y) without spiral `skip` (every spiral when skip is out of range). */
static double phase_without(const mnt_carrier *c, const spiral_pt *sp, size_t n, size_t skip, double x, double y)
{
    double v = mnt_carrier_phase(c, x, y);
    for (size_t i = 0; i < n; i++)
        if (i != skip) v += sp[i].p * atan2(y - sp[i].y, x - sp[i].x);
    return v;
}

static void phase_gradient(const mnt_carrier *c, const spiral_pt *sp, size_t n, size_t skip, double x, double y,
                           double *l0, double *gx, double *gy)
{
    const double h = 0.25;
    *l0 = phase_without(c, sp, n, skip, x, y);
    *gx = wrap_pi(phase_without(c, sp, n, skip, x + h, y) - phase_without(c, sp, n, skip, x - h, y)) / (2 * h);
    *gy = wrap_pi(phase_without(c, sp, n, skip, x, y + h) - phase_without(c, sp, n, skip, x, y - h)) / (2 * h);
}

static int far_enough(const spiral_pt *sp, size_t n, double x, double y, double dmin, size_t ignore)
{
    for (size_t i = 0; i < n; i++) {
        if (i == ignore) continue;
        double dx = sp[i].x - x, dy = sp[i].y - y;
        if (dx * dx + dy * dy < dmin * dmin) return 0;
    }
    return 1;
}

static double nearest_other(const spiral_pt *sp, size_t n, double x, double y, size_t ignore)
{
    double best = 1e18;
    for (size_t i = 0; i < n; i++)
        if (i != ignore) best = fmin(best, hypot(sp[i].x - x, sp[i].y - y));
    return best;
}

/* The truth record of spiral i: direction d = p (g_y, -g_x) at its final position. */
static void marked_minutia(const mnt_carrier *c, const spiral_pt *sp, size_t n, size_t i, mnt_minutia *m)
{
    double l0, gx, gy;
    phase_gradient(c, sp, n, i, sp[i].x, sp[i].y, &l0, &gx, &gy);
    double dx = sp[i].p * gy, dy = -sp[i].p * gx;
    /* The spiral centre sits between ridge and valley; the marked position is the
     * ridge skeleton's: an ending's tip lies a quarter period into its ridge, a
     * bifurcation's fork about 0.3 period back towards its stem (measured over
     * thousands of rendered minutiae, see tests/test_synth.c). */
    double gl = sqrt(gx * gx + gy * gy), local_t = gl > 0 ? 2 * MNT_PI / gl : c->period;
    double dl = sqrt(dx * dx + dy * dy), shift = sp[i].type == MNT_TYPE_ENDING ? 0.25 : -0.30;
    *m = (mnt_minutia){0};
    m->x = sp[i].x + (dl > 0 ? shift * local_t * dx / dl : 0);
    m->y = sp[i].y + (dl > 0 ? shift * local_t * dy / dl : 0);
    m->angle = mnt_angle_norm(MNT_DEG(atan2(-dy, dx)));
    m->type = sp[i].type;
    m->quality = 100;
    m->score = 1.0;
    m->has_score = 1;
}

/* Drops minutiae that forcing the types left within 0.9 period of another, or whose
 * marked points came within half a period (two forks facing each other); the later
 * of the two goes. Returns how many were dropped. */
static size_t drop_crowded(const mnt_carrier *c, spiral_pt *sp, size_t *n)
{
    mnt_minutia *mk = malloc(*n * sizeof *mk);
    if (!mk) return 0; /* only a check: without memory, keep them all */
    for (size_t i = 0; i < *n; i++) marked_minutia(c, sp, *n, i, &mk[i]);
    size_t kept = 0, dropped = 0;
    for (size_t i = 0; i < *n; i++) {
        int crowded = 0;
        for (size_t j = 0; j < kept && !crowded; j++)
            crowded = hypot(sp[i].x - sp[j].x, sp[i].y - sp[j].y) < 0.9 * c->period ||
                      hypot(mk[i].x - mk[j].x, mk[i].y - mk[j].y) < 0.5 * c->period;
        if (crowded) {
            dropped++;
            continue;
        }
        mk[kept] = mk[i];
        sp[kept++] = sp[i];
    }
    *n = kept;
    free(mk);
    return dropped;
}

typedef struct {
    const mnt_carrier *c;
    const finger_shape *f;
    double margin, clearance;
    int w, h;
} placement_ctx;

static int placeable(const placement_ctx *pc, double x, double y)
{
    if (x < pc->margin || y < pc->margin || x > pc->w - 1 - pc->margin || y > pc->h - 1 - pc->margin) return 0;
    if (finger_inside(pc->f, x, y) < pc->margin) return 0;
    if (mnt_carrier_singular_distance(pc->c, x, y) < pc->clearance) return 0;
    /* where systems meet (deltas) the carrier flattens: keep minutiae where its
     * gradient is at least 70 % of 2 pi / T */
    const double h = 0.5, k = 2 * MNT_PI / pc->c->period;
    double gx = (mnt_carrier_phase(pc->c, x + h, y) - mnt_carrier_phase(pc->c, x - h, y)) / (2 * h);
    double gy = (mnt_carrier_phase(pc->c, x, y + h) - mnt_carrier_phase(pc->c, x, y - h)) / (2 * h);
    return gx * gx + gy * gy >= 0.49 * k * k;
}

static int place_minutiae(const mnt_synth_params *p, const placement_ctx *pc, double area, mnt_rng *rng,
                          spiral_pt **out, size_t *nout)
{
    double T = pc->c->period;
    size_t want = (size_t)lround(area * p->density / 10000.0);
    spiral_pt *sp = calloc(want + 2, sizeof *sp);
    if (!sp) return MNT_ERR_NOMEM;
    size_t n = 0;
    int polarity = mnt_rng_uniform(rng) < 0.5 ? 1 : -1;
    for (int tries = 0; n < want && tries < 20000; tries++) {
        double x = mnt_rng_range(rng, 0, pc->w), y = mnt_rng_range(rng, 0, pc->h);
        if (!placeable(pc, x, y) || !far_enough(sp, n, x, y, p->min_spacing * T, (size_t)-1)) continue;
        sp[n++] = (spiral_pt){x, y, polarity, mnt_rng_uniform(rng) < p->ending_share ? MNT_TYPE_ENDING : MNT_TYPE_BIFURCATION};
        polarity = -polarity;
        if (n < want && mnt_rng_uniform(rng) < p->close_pair_share) {
            /* a close partner about one period away, opposite polarity */
            for (int k = 0; k < 20; k++) {
                double a = mnt_rng_range(rng, 0, 2 * MNT_PI), r = p->close_pair_spacing * T * mnt_rng_range(rng, 1.0, 1.3);
                double qx = x + r * cos(a), qy = y + r * sin(a);
                if (!placeable(pc, qx, qy) || !far_enough(sp, n - 1, qx, qy, p->min_spacing * T, (size_t)-1)) continue;
                sp[n++] = (spiral_pt){qx, qy, polarity, mnt_rng_uniform(rng) < p->ending_share ? MNT_TYPE_ENDING : MNT_TYPE_BIFURCATION};
                polarity = -polarity;
                break;
            }
        }
    }
    *out = sp;
    *nout = n;
    return MNT_OK;
}

/* Moves each minutia along the phase gradient until L hits its type's value; a few
 * sweeps, since every move changes the others' L slightly. */
static void force_types(const mnt_carrier *c, spiral_pt *sp, size_t n)
{
    for (int sweep = 0; sweep < 4; sweep++)
        for (size_t i = 0; i < n; i++) {
            double l0, gx, gy;
            phase_gradient(c, sp, n, i, sp[i].x, sp[i].y, &l0, &gx, &gy);
            double g2 = gx * gx + gy * gy;
            if (g2 < 1e-8) continue;
            double target = sp[i].type == MNT_TYPE_ENDING ? MNT_PI / 2 : 3 * MNT_PI / 2;
            /* the spiral's own angle is measured from +x, so what decides the type is
             * L plus p times the angle of the gradient */
            double delta = wrap_pi(target - (l0 + sp[i].p * atan2(gy, gx)));
            /* of the moves that reach the target (one period apart), take the shortest
             * that keeps the minutia at least one period from the others */
            double best = delta, best_gap = -1;
            double cands[3] = {delta, delta + 2 * MNT_PI, delta - 2 * MNT_PI};
            for (int k = 0; k < 3; k++) {
                double nx = sp[i].x + cands[k] * gx / g2, ny = sp[i].y + cands[k] * gy / g2;
                double gap = nearest_other(sp, n, nx, ny, i);
                if (gap >= 1.0 * c->period) {
                    best = cands[k];
                    break;
                }
                if (gap > best_gap) best_gap = gap, best = cands[k]; /* else the roomiest */
            }
            sp[i].x += best * gx / g2;
            sp[i].y += best * gy / g2;
        }
}

static double complex spiral_phasor(const spiral_pt *sp, size_t n, double x, double y)
{
    double complex acc = 1.0;
    for (size_t i = 0; i < n; i++) {
        double complex z = (x - sp[i].x) + I * (y - sp[i].y);
        acc *= sp[i].p > 0 ? z : conj(z);
        if ((i & 7) == 7) {
            double m = sqrt(creal(acc) * creal(acc) + cimag(acc) * cimag(acc)); /* hypot is slow */
            if (m > 0) acc /= m;
        }
    }
    double m = sqrt(creal(acc) * creal(acc) + cimag(acc) * cimag(acc));
    return m > 0 ? acc / m : 1.0;
}

/* Ridge signal in [-1, 1]: cos(carrier + spirals) through a flat-topped profile.
 * The carrier folds along its creases (synth_carrier.h) and lies on a ridge or valley
 * centre there; cos(P + k|v| + s) is smooth across a fold only if the spirals' phase s
 * a multiple of pi there, so within `strip` of a crease s is unwrapped (continuous)
 * and faded to one such constant at the crease. Minutiae keep further away than the strip, so their own phase and
 * the truth are untouched. */
static int render_ridges(const mnt_carrier *c, const spiral_pt *sp, size_t n, float *ridge)
{
    int w = c->width, h = c->height;
    size_t npx = (size_t)w * h;
    const double strip = 2.0 * c->period;
    float *s = malloc(npx * sizeof *s);
    size_t *queue = malloc(npx * sizeof *queue);
    uint8_t *done = calloc(npx, 1);
    if (!s || !queue || !done) {
        free(s);
        free(queue);
        free(done);
        return MNT_ERR_NOMEM;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) s[(size_t)y * w + x] = (float)carg(spiral_phasor(sp, n, x, y));
    /* unwrap s inside each strip by flood fill */
    for (size_t seed = 0; seed < npx; seed++) {
        if (done[seed] || c->clear[seed] >= strip) continue;
        size_t head = 0, tail = 0;
        done[seed] = 1;
        queue[tail++] = seed;
        while (head < tail) {
            size_t i = queue[head++], nb[4];
            int nn = mnt_neighbours4(i, w, h, nb);
            for (int k = 0; k < nn; k++) {
                if (done[nb[k]] || c->clear[nb[k]] >= strip) continue;
                s[nb[k]] = (float)(s[i] + wrap_pi((double)s[nb[k]] - s[i]));
                done[nb[k]] = 1;
                queue[tail++] = nb[k];
            }
        }
        /* fade towards c0, the multiple of pi nearest the mean along the crease: s
         * drifts along a crease, and the fade distorts the ridges by |s - c0| / strip */
        double sum = 0;
        size_t cnt = 0;
        for (size_t k = 0; k < tail; k++)
            if (c->clear[queue[k]] < 1) sum += s[queue[k]], cnt++;
        double c0 = cnt ? MNT_PI * round(sum / (double)cnt / MNT_PI) : 0;
        for (size_t k = 0; k < tail; k++) {
            double t = c->clear[queue[k]] / strip, fade = t * t * (3 - 2 * t);
            s[queue[k]] = (float)(c0 + fade * (s[queue[k]] - c0));
        }
    }
    for (size_t i = 0; i < npx; i++) {
        double v = cos(c->phase[i] + s[i]);
        ridge[i] = (float)(tanh(2.2 * v) / tanh(2.2));
    }
    free(s);
    free(queue);
    free(done);
    return MNT_OK;
}

int mnt_synth_print_make(const mnt_synth_params *p, uint64_t seed, mnt_synth_print *out, mnt_diag *d)
{
    memset(out, 0, sizeof *out);
    int rc = mnt_synth_validate(p, d);
    if (rc) return rc;
    mnt_rng rng;
    mnt_rng_seed(&rng, seed, 0x5EED);
    int w = p->width, h = p->height;
    out->cls = mnt_synth_pick_class(p, mnt_rng_uniform(&rng));
    double period = mnt_rng_range(&rng, p->period_min, p->period_max) / 1.0;
    mnt_carrier_init(&out->carrier, out->cls, w, h, period, &rng);
    if ((rc = mnt_carrier_build(&out->carrier))) return mnt_fail(d, rc, "out of memory for a %dx%d carrier", w, h);

    finger_shape f;
    f.cx = out->carrier.cx + mnt_rng_range(&rng, -0.03, 0.03) * w;
    f.a = mnt_rng_range(&rng, 0.36, 0.44) * w;
    f.b = mnt_rng_range(&rng, 0.55, 0.65) * h;
    f.cy = mnt_rng_range(&rng, 0.52, 0.60) * h;
    for (int k = 0; k < 3; k++) {
        f.wav_a[k] = mnt_rng_range(&rng, 0, 0.025);
        f.wav_ph[k] = mnt_rng_range(&rng, 0, 2 * MNT_PI);
    }

    size_t npx = (size_t)w * (size_t)h;
    if ((rc = mnt_image_alloc(&out->image, w, h, 0, d))) return rc;
    out->image.ppi = 500;
    out->ridge = malloc(npx * sizeof *out->ridge);
    out->foreground = malloc(npx);
    if (!out->ridge || !out->foreground) {
        mnt_synth_print_free(out);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for a %dx%d print", w, h);
    }
    double area = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double inside = finger_inside(&f, x, y);
            int in = inside > 0;
            out->foreground[(size_t)y * w + x] = (uint8_t)in;
            /* the edge ramp, parked in the image until the ridges are drawn */
            out->image.px[(size_t)y * w + x] = (float)(inside > 4 ? 1 : inside < 0 ? 0 : inside / 4);
            area += in;
        }

    placement_ctx pc = {&out->carrier, &f, 12.0, p->singular_clearance * out->carrier.period, w, h};
    spiral_pt *sp;
    size_t n;
    if ((rc = place_minutiae(p, &pc, area, &rng, &sp, &n))) {
        mnt_synth_print_free(out);
        return mnt_fail(d, rc, "out of memory");
    }
    force_types(&out->carrier, sp, n);
    for (int round = 0; round < 3 && drop_crowded(&out->carrier, sp, &n) > 0; round++)
        force_types(&out->carrier, sp, n);

    /* truth: direction d = p (g_y, -g_x) from the final positions */
    if ((rc = mnt_template_init(&out->truth))) goto nomem;
    out->truth.width = w;
    out->truth.height = h;
    out->truth.ppi = 500;
    out->truth.xres = out->truth.yres = mnt_ppi_to_ppcm(500);
    snprintf(out->truth.cls, sizeof out->truth.cls, "%s", mnt_class_name(out->cls));
    for (size_t i = 0; i < n; i++) {
        mnt_minutia m;
        marked_minutia(&out->carrier, sp, n, i, &m);
        if ((rc = mnt_view_push(&out->truth.views[0], &m))) goto nomem;
    }

    if ((rc = render_ridges(&out->carrier, sp, n, out->ridge))) goto nomem;
    if (p->ridge_width_variation > 0 || p->pores > 0 || p->dots > 0 || p->creases_max > 0)
        mnt_synth_look_apply(p, out, seed);
    double contrast = p->ridge_contrast;
    for (size_t i = 0; i < npx; i++) {
        double edge = out->image.px[i]; /* the edge ramp, parked there above */
        out->image.px[i] = (float)(1.0 - edge * contrast * 0.5 * (1.0 + out->ridge[i]));
    }
    free(sp);
    return MNT_OK;
nomem:
    free(sp);
    mnt_synth_print_free(out);
    return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
}
