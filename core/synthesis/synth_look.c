#include "synth_look.h"

#include <math.h>
#include <stdlib.h>

#include "mnt_math.h"
#include "rng.h"

static const double PROFILE_K = 2.2; /* synth's flat-topped profile tanh(k v) / tanh(k) */

static double profile(double v)
{
    double r = tanh(PROFILE_K * v) / tanh(PROFILE_K);
    return r < -1 ? -1 : r > 1 ? 1 : r;
}

static double unprofile(double r)
{
    double a = r * tanh(PROFILE_K);
    a = a < -0.999999 ? -0.999999 : a > 0.999999 ? 0.999999 : a;
    return atanh(a) / PROFILE_K;
}

static void width_variation(float *ridge, int w, int h, double amp, mnt_rng *r)
{
    double kx[4], ky[4], ph[4];
    for (int k = 0; k < 4; k++) {
        double lam = mnt_rng_range(r, 80, 240), dir = mnt_rng_range(r, 0, 2 * MNT_PI);
        kx[k] = 2 * MNT_PI / lam * cos(dir);
        ky[k] = 2 * MNT_PI / lam * sin(dir);
        ph[k] = mnt_rng_range(r, 0, 2 * MNT_PI);
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double b = 0;
            for (int k = 0; k < 4; k++) b += cos(kx[k] * x + ky[k] * y + ph[k]);
            b *= amp / 2.0; /* four unit waves: about unit spread over 2 */
            b = b < -amp ? -amp : b > amp ? amp : b;
            size_t i = (size_t)y * w + x;
            ridge[i] = (float)profile(unprofile(ridge[i]) + b);
        }
}

/* Lifts (up > 0) or lowers the signal around (cx, cy) by a soft disc. */
static void dab(float *ridge, int w, int h, double cx, double cy, double rad, double depth, int up)
{
    int x0 = (int)floor(cx - rad - 1), x1 = (int)ceil(cx + rad + 1), y0 = (int)floor(cy - rad - 1), y1 = (int)ceil(cy + rad + 1);
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++) {
            double d = hypot(x - cx, y - cy), t = rad + 0.5 - d;
            if (t <= 0) continue;
            double a = depth * (t > 1 ? 1 : t);
            float *p = &ridge[(size_t)y * w + x];
            *p = (float)(up ? *p - a * (*p + 1) : *p + a * (1 - *p));
        }
}

static int near_minutia(const mnt_view *v, double x, double y, double dist)
{
    for (size_t i = 0; i < v->n; i++)
        if (hypot(v->m[i].x - x, v->m[i].y - y) < dist) return 1;
    return 0;
}

/* Distance from (x, y) to the polyline pts (n points). */
static double polyline_distance(const double *pts, int n, double x, double y)
{
    double best = 1e18;
    for (int i = 0; i + 1 < n; i++) {
        double ax = pts[2 * i], ay = pts[2 * i + 1], bx = pts[2 * i + 2], by = pts[2 * i + 3];
        double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
        double t = l2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / l2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        best = fmin(best, hypot(x - ax - t * dx, y - ay - t * dy));
    }
    return best;
}

void mnt_synth_look_apply(const mnt_synth_params *p, mnt_synth_print *s, uint64_t seed)
{
    int w = s->image.width, h = s->image.height;
    size_t n = (size_t)w * h, finger = 0;
    for (size_t i = 0; i < n; i++) finger += s->foreground[i];
    double period = s->carrier.period > 0 ? s->carrier.period : 10;
    mnt_view *tv = &s->truth.views[0];
    mnt_rng r;
    mnt_rng_seed(&r, seed, 0x100C);
    if (p->ridge_width_variation > 0) width_variation(s->ridge, w, h, p->ridge_width_variation, &r);
    /* pores and dots: random spots, kept where the signal says ridge or valley centre */
    const int kinds = 2;
    for (int kind = 0; kind < kinds; kind++) {
        double density = kind == 0 ? p->pores : p->dots;
        size_t want = (size_t)lround(density * (double)finger / 10000.0), placed = 0;
        for (size_t tries = 0; placed < want && tries < 30 * want + 100; tries++) {
            double x = mnt_rng_range(&r, 2, w - 2), y = mnt_rng_range(&r, 2, h - 2);
            size_t i = (size_t)lround(y) * w + (size_t)lround(x);
            if (!s->foreground[i]) continue;
            if (kind == 0 && s->ridge[i] > 0.6f) {
                dab(s->ridge, w, h, x, y, mnt_rng_range(&r, 0.8, 1.4), mnt_rng_range(&r, 0.4, 0.75), 1);
                placed++;
            } else if (kind == 1 && s->ridge[i] < -0.6f && !near_minutia(tv, x, y, 1.5 * period)) {
                dab(s->ridge, w, h, x, y, mnt_rng_range(&r, 1.2, 2.2), mnt_rng_range(&r, 0.8, 1.0), 0);
                placed++;
            }
        }
    }
    /* creases: light curved lines through the finger */
    int ncrease = (int)lround(mnt_rng_range(&r, p->creases_min, p->creases_max));
    for (int k = 0; k < ncrease; k++) {
        double cx = mnt_rng_range(&r, 0.2, 0.8) * w, cy = mnt_rng_range(&r, 0.3, 0.9) * h;
        double dir = mnt_rng_range(&r, -0.6, 0.6) + (mnt_rng_uniform(&r) < 0.7 ? 0 : MNT_PI / 2); /* mostly across */
        double len = mnt_rng_range(&r, 60, 260), wid = mnt_rng_range(&r, 2, 5), bend = mnt_rng_range(&r, -0.004, 0.004);
        enum { NP = 24 };
        double pts[2 * NP];
        double x = cx - 0.5 * len * cos(dir), y = cy - 0.5 * len * sin(dir), a = dir;
        for (int q = 0; q < NP; q++) {
            pts[2 * q] = x;
            pts[2 * q + 1] = y;
            x += len / (NP - 1) * cos(a);
            y += len / (NP - 1) * sin(a);
            a += bend * len / (NP - 1);
        }
        double reach = wid / 2 + 1;
        int x0 = w, x1 = 0, y0 = h, y1 = 0;
        for (int q = 0; q < NP; q++) {
            x0 = (int)fmin(x0, floor(pts[2 * q] - reach));
            x1 = (int)fmax(x1, ceil(pts[2 * q] + reach));
            y0 = (int)fmin(y0, floor(pts[2 * q + 1] - reach));
            y1 = (int)fmax(y1, ceil(pts[2 * q + 1] + reach));
        }
        for (int yy = y0 < 0 ? 0 : y0; yy <= y1 && yy < h; yy++)
            for (int xx = x0 < 0 ? 0 : x0; xx <= x1 && xx < w; xx++) {
                double t = wid / 2 + 0.5 - polyline_distance(pts, NP, xx, yy);
                if (t <= 0) continue;
                float *pr = &s->ridge[(size_t)yy * w + xx];
                double a2 = t > 1 ? 1 : t;
                *pr = (float)(*pr - a2 * (*pr + 1));
            }
        for (size_t i = 0; i < tv->n; i++)
            if (polyline_distance(pts, NP, tv->m[i].x, tv->m[i].y) < wid / 2 + period) tv->m[i].hidden = 1;
    }
}
