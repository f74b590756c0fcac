#include "latent_substrate.h"

#include <math.h>
#include <stdlib.h>

#include "filter.h"
#include "mnt_math.h"

static void add_disc(float *plane, int w, int h, double cx, double cy, double rad, float value)
{
    int x0 = (int)floor(cx - rad), x1 = (int)ceil(cx + rad), y0 = (int)floor(cy - rad), y1 = (int)ceil(cy + rad);
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++)
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad) plane[(size_t)y * w + x] += value;
}

static int fibre(float *tex, int w, int h, double strength, mnt_rng *r)
{
    size_t n = (size_t)w * h;
    float *g = malloc(n * sizeof *g);
    if (!g) return MNT_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) g[i] = (float)mnt_rng_normal(r);
    int rc = mnt_gaussian_blur(g, w, h, 1.2);
    if (rc) {
        free(g);
        return rc;
    }
    /* a Gaussian of sigma 1.2 keeps 1 / (2 sqrt(pi) 1.2) of the variance */
    float gain = (float)(0.7 * strength * sqrt(4 * MNT_PI) * 1.2);
    for (size_t i = 0; i < n; i++) tex[i] += gain * g[i];
    free(g);
    /* fibres: short curved strokes, each a random walk of slowly turning steps */
    size_t count = n / 400;
    for (size_t k = 0; k < count; k++) {
        double x = mnt_rng_range(r, 0, w), y = mnt_rng_range(r, 0, h), dir = mnt_rng_range(r, 0, 2 * MNT_PI);
        double len = mnt_rng_range(r, 10, 60), turn = mnt_rng_range(r, -0.08, 0.08), rad = mnt_rng_range(r, 0.4, 0.8);
        float v = (float)(strength * mnt_rng_range(r, 1.0, 2.0) * (mnt_rng_uniform(r) < 0.5 ? -1 : 1));
        for (double s = 0; s < len; s += 1.0) {
            add_disc(tex, w, h, x, y, rad, (float)(v / (1 + 2 * rad)));
            x += cos(dir);
            y += sin(dir);
            dir += turn;
        }
    }
    return MNT_OK;
}

static void woven(float *tex, int w, int h, double strength, mnt_rng *r)
{
    double p = mnt_rng_range(r, 5, 12), a = mnt_rng_range(r, 0, MNT_PI), ca = cos(a), sa = sin(a);
    double ou = mnt_rng_range(r, 0, p), ov = mnt_rng_range(r, 0, p);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double u = x * ca + y * sa + ou, v = -x * sa + y * ca + ov;
            /* which thread lies on top alternates from crossing to crossing */
            int cu = (int)floor(u / p), cv = (int)floor(v / p);
            double fu = u / p - cu, fv = v / p - cv;
            double t = ((cu + cv) & 1) ? sin(MNT_PI * fu) : sin(MNT_PI * fv); /* thread profile, 0..1 */
            tex[(size_t)y * w + x] += (float)(strength * 3.2 * (t - 0.64)); /* sin(pi f): mean 0.64, sd 0.31 */
        }
}

static void grating(float *tex, int w, int h, double strength, mnt_rng *r)
{
    double p = mnt_rng_range(r, 6, 16), a = mnt_rng_range(r, 0, MNT_PI), ca = cos(a), sa = sin(a);
    double bend = mnt_rng_range(r, 0, 3) * p, blen = mnt_rng_range(r, 200, 600), ph = mnt_rng_range(r, 0, 2 * MNT_PI);
    double amp = strength * sqrt(2.0);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double u = x * ca + y * sa, v = -x * sa + y * ca;
            u += bend * sin(2 * MNT_PI * v / blen + ph);
            tex[(size_t)y * w + x] += (float)(amp * cos(2 * MNT_PI * u / p));
        }
}

int mnt_substrate_add(mnt_substrate_kind kind, float *tex, int w, int h, double strength, mnt_rng *r)
{
    if (!tex || w <= 0 || h <= 0) return MNT_ERR_ARG;
    switch (kind) {
    case MNT_SUBSTRATE_FIBRE: return fibre(tex, w, h, strength, r);
    case MNT_SUBSTRATE_WOVEN: woven(tex, w, h, strength, r); return MNT_OK;
    case MNT_SUBSTRATE_GRATING: grating(tex, w, h, strength, r); return MNT_OK;
    }
    return MNT_ERR_ARG;
}

int mnt_blotches_add(float *opacity, float *colour, int w, int h, int count, mnt_rng *r)
{
    if (!opacity || !colour || w <= 0 || h <= 0) return MNT_ERR_ARG;
    for (int k = 0; k < count; k++) {
        int ink = mnt_rng_uniform(r) < 0.5;
        double cx = mnt_rng_range(r, 0, w), cy = mnt_rng_range(r, 0, h);
        double rad = ink ? mnt_rng_range(r, 5, 35) : mnt_rng_range(r, 10, 50);
        double alpha = ink ? mnt_rng_range(r, 0.7, 1.0) : mnt_rng_range(r, 0.5, 0.95);
        double grey = ink ? mnt_rng_range(r, 0.05, 0.3) : mnt_rng_range(r, 0.15, 0.45);
        double soft = ink ? 1.0 : 0.4 * rad;
        double ha[3], hp[3];
        for (int j = 0; j < 3; j++) {
            ha[j] = mnt_rng_range(r, 0, 0.22);
            hp[j] = mnt_rng_range(r, 0, 2 * MNT_PI);
        }
        double reach = rad * 1.7 + soft;
        int x0 = (int)floor(cx - reach), x1 = (int)ceil(cx + reach), y0 = (int)floor(cy - reach), y1 = (int)ceil(cy + reach);
        for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++)
            for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++) {
                double dx = x - cx, dy = y - cy, dist = sqrt(dx * dx + dy * dy), th = atan2(dy, dx);
                double edge = rad;
                for (int j = 0; j < 3; j++) edge *= 1 + ha[j] * cos((j + 2) * th + hp[j]);
                double a = (edge - dist) / soft + (ink ? 0.5 : 0);
                if (a <= 0) continue;
                a = a > 1 ? 1 : ink ? a : a * a * (3 - 2 * a);
                a *= alpha;
                if (!ink) a *= mnt_rng_range(r, 0.55, 1.0); /* powder grain */
                size_t i = (size_t)y * w + x;
                double o = opacity[i], na = a + o * (1 - a);
                if (na <= 0) continue;
                colour[i] = (float)((grey * a + colour[i] * o * (1 - a)) / na);
                opacity[i] = (float)na;
            }
    }
    return MNT_OK;
}
