#include "latent.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "jpeg_blocks.h"
#include "latent_substrate.h"
#include "latent_warp.h"
#include "mnt_math.h"
#include "rng.h"

const char *mnt_level_name(mnt_latent_level l)
{
    switch (l) {
    case MNT_LEVEL_GOOD: return "good";
    case MNT_LEVEL_BAD: return "bad";
    case MNT_LEVEL_UGLY: return "ugly";
    default: return "unknown";
    }
}

int mnt_level_from_name(const char *s, mnt_latent_level *out)
{
    for (int i = 0; i < MNT_LEVEL_COUNT; i++)
        if (!strcmp(s, mnt_level_name((mnt_latent_level)i))) {
            *out = (mnt_latent_level)i;
            return MNT_OK;
        }
    return MNT_ERR_ARG;
}

/* distortion .. jpeg_quality, off (texture and jpeg_quality set below) */
#define NEW_OFF {0, 0}, {0, 0}, 0, 0, 0, {0, 0}, 0, 0, {1, 1}

void mnt_latent_defaults(mnt_latent_params *p)
{
    memset(p, 0, sizeof *p);
    mnt_latent_level_params *g = &p->level[MNT_LEVEL_GOOD], *b = &p->level[MNT_LEVEL_BAD], *u = &p->level[MNT_LEVEL_UGLY];
    *g = (mnt_latent_level_params){{0.6, 0.9}, {0.35, 0.6}, {0.1, 0.25}, {0.2, 0.6}, {0, 1}, {0.5, 0.9},
                                   {0.015, 0.03}, {0, 0.5}, {0.8, 0.95}, {0, 0.1}, 0.3, 0.2, 0.15, 0.2, 0.1, NEW_OFF};
    *b = (mnt_latent_level_params){{0.4, 0.7}, {0.2, 0.38}, {0.2, 0.4}, {0.6, 1.4}, {1, 3}, {0.9, 1.4},
                                   {0.03, 0.06}, {0.5, 2}, {0.7, 0.92}, {0.05, 0.2}, 0.45, 0.35, 0.3, 0.35, 0.3, NEW_OFF};
    *u = (mnt_latent_level_params){{0.25, 0.5}, {0.12, 0.24}, {0.3, 0.5}, {1.2, 2.5}, {2, 5}, {1.2, 2.0},
                                   {0.05, 0.09}, {1.5, 4}, {0.6, 0.9}, {0.1, 0.3}, 0.6, 0.5, 0.45, 0.5, 0.5, NEW_OFF};
    /* the degradations for real prints: off here, their strengths ready for when a
     * config switches them on */
    for (int l = 0; l < MNT_LEVEL_COUNT; l++) {
        p->level[l].texture = (mnt_range){0.02 + 0.02 * l, 0.05 + 0.03 * l};
        p->level[l].jpeg_quality = (mnt_range){60 - 20 * l, 90 - 15 * l};
    }
    p->min_contrast = 0.06;
    p->border_margin = 8;
    p->output_ppi = 500;
}
#undef NEW_OFF

void mnt_latent_degrade_defaults(mnt_latent_params *p)
{
    mnt_latent_defaults(p);
    /* distortion, blotches, p_fibre, p_woven, p_grating, p_invert, p_jpeg per level */
    static const double v[MNT_LEVEL_COUNT][9] = {{0, 4, 0, 1, 0.3, 0.1, 0.1, 0.1, 0.3},
                                                 {2, 7, 0, 3, 0.4, 0.2, 0.2, 0.15, 0.5},
                                                 {4, 10, 1, 5, 0.5, 0.3, 0.3, 0.2, 0.6}};
    for (int l = 0; l < MNT_LEVEL_COUNT; l++) {
        mnt_latent_level_params *L = &p->level[l];
        L->distortion = (mnt_range){v[l][0], v[l][1]};
        L->blotches = (mnt_range){v[l][2], v[l][3]};
        L->p_fibre = v[l][4];
        L->p_woven = v[l][5];
        L->p_grating = v[l][6];
        L->p_invert = v[l][7];
        L->p_jpeg = v[l][8];
    }
}

static int check_range(const mnt_range *r, double lo, double hi, const char *level, const char *name, mnt_diag *d)
{
    if (!(r->lo >= lo && r->hi <= hi && r->lo <= r->hi))
        return mnt_fail(d, MNT_ERR_CONFIG, "levels.%s.%s: [%g, %g] must lie within [%g, %g], low first", level, name,
                        r->lo, r->hi, lo, hi);
    return MNT_OK;
}

static int check_prob(double v, const char *level, const char *name, mnt_diag *d)
{
    if (!(v >= 0 && v <= 1)) return mnt_fail(d, MNT_ERR_CONFIG, "levels.%s.%s: %g must lie within [0, 1]", level, name, v);
    return MNT_OK;
}

int mnt_latent_validate(const mnt_latent_params *p, mnt_diag *d)
{
    for (int i = 0; i < MNT_LEVEL_COUNT; i++) {
        const mnt_latent_level_params *l = &p->level[i];
        const char *n = mnt_level_name((mnt_latent_level)i);
        int rc;
        if ((rc = check_range(&l->visible_area, 0.05, 1, n, "visible_area", d)) ||
            (rc = check_range(&l->contrast, 0.01, 1, n, "contrast", d)) ||
            (rc = check_range(&l->unevenness, 0, 0.9, n, "unevenness", d)) ||
            (rc = check_range(&l->breaks, 0, 20, n, "breaks", d)) ||
            (rc = check_range(&l->smudges, 0, 50, n, "smudges", d)) ||
            (rc = check_range(&l->blur, 0, 8, n, "blur", d)) ||
            (rc = check_range(&l->noise, 0, 0.5, n, "noise", d)) ||
            (rc = check_range(&l->speckle, 0, 50, n, "speckle", d)) ||
            (rc = check_range(&l->background, 0.2, 1, n, "background", d)) ||
            (rc = check_range(&l->illumination, 0, 0.8, n, "illumination", d)) ||
            (rc = check_prob(l->p_lines, n, "p_lines", d)) || (rc = check_prob(l->p_text, n, "p_text", d)) ||
            (rc = check_prob(l->p_handwriting, n, "p_handwriting", d)) ||
            (rc = check_prob(l->p_stains, n, "p_stains", d)) ||
            (rc = check_prob(l->p_second_print, n, "p_second_print", d)) ||
            (rc = check_range(&l->distortion, 0, 30, n, "distortion", d)) ||
            (rc = check_range(&l->texture, 0, 0.5, n, "texture", d)) ||
            (rc = check_prob(l->p_fibre, n, "p_fibre", d)) || (rc = check_prob(l->p_woven, n, "p_woven", d)) ||
            (rc = check_prob(l->p_grating, n, "p_grating", d)) ||
            (rc = check_range(&l->blotches, 0, 50, n, "blotches", d)) ||
            (rc = check_prob(l->p_invert, n, "p_invert", d)) || (rc = check_prob(l->p_jpeg, n, "p_jpeg", d)) ||
            (rc = check_range(&l->jpeg_quality, 1, 100, n, "jpeg_quality", d)))
            return rc;
    }
    if (!(p->min_contrast >= 0 && p->min_contrast < 1))
        return mnt_fail(d, MNT_ERR_CONFIG, "hidden.min_contrast: %g must lie within [0, 1)", p->min_contrast);
    if (p->border_margin < 0 || p->border_margin > 100)
        return mnt_fail(d, MNT_ERR_CONFIG, "hidden.border_margin: %d must lie within 0..100", p->border_margin);
    if (p->output_ppi != 500 && p->output_ppi != 1000)
        return mnt_fail(d, MNT_ERR_CONFIG, "output.ppi: %d must be 500 or 1000", p->output_ppi);
    return MNT_OK;
}

void mnt_latent_free(mnt_latent *l)
{
    if (!l) return;
    mnt_image_free(&l->image);
    free(l->visible);
    memset(l, 0, sizeof *l);
}

static double pick(mnt_rng *r, mnt_range g)
{
    return mnt_rng_range(r, g.lo, g.hi);
}

/* Smooth random field in [-1, 1]: a few low-frequency cosines. */
typedef struct { double kx[6], ky[6], ph[6]; } smooth_field;

static void field_init(smooth_field *f, mnt_rng *r, double wavelength)
{
    for (int k = 0; k < 6; k++) {
        double lam = wavelength * mnt_rng_range(r, 0.7, 1.5), dir = mnt_rng_range(r, 0, 2 * MNT_PI);
        f->kx[k] = 2 * MNT_PI / lam * cos(dir);
        f->ky[k] = 2 * MNT_PI / lam * sin(dir);
        f->ph[k] = mnt_rng_range(r, 0, 2 * MNT_PI);
    }
}

static double field_at(const smooth_field *f, double x, double y)
{
    double v = 0;
    for (int k = 0; k < 6; k++) v += cos(f->kx[k] * x + f->ky[k] * y + f->ph[k]);
    return v / 2.45; /* roughly unit spread */
}

static void stamp_disc(float *plane, int w, int h, double cx, double cy, double rad, float value, int mode_min)
{
    int x0 = (int)floor(cx - rad), x1 = (int)ceil(cx + rad), y0 = (int)floor(cy - rad), y1 = (int)ceil(cy + rad);
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++) {
            double dd = hypot(x - cx, y - cy);
            if (dd > rad) continue;
            float *p = &plane[(size_t)y * w + x];
            if (mode_min) *p = *p < value ? *p : value;
            else *p = *p > value ? *p : value;
        }
}

/* Draws a stroke of width wid along a polyline into a darkness plane (max). */
static void stroke(float *dark, int w, int h, const double *pts, int n, double wid, float value)
{
    for (int i = 0; i + 1 < n; i++) {
        double ax = pts[2 * i], ay = pts[2 * i + 1], bx = pts[2 * i + 2], by = pts[2 * i + 3];
        double len = hypot(bx - ax, by - ay);
        int steps = (int)(len / 0.7) + 1;
        for (int s = 0; s <= steps; s++) {
            double t = (double)s / steps;
            stamp_disc(dark, w, h, ax + t * (bx - ax), ay + t * (by - ay), wid / 2, value, 0);
        }
    }
}

static void draw_background(const mnt_latent_level_params *lp, mnt_rng *r, float *dark, int w, int h)
{
    if (mnt_rng_uniform(r) < lp->p_lines) { /* ruled paper or printed lines */
        double spacing = mnt_rng_range(r, 25, 60), ang = mnt_rng_range(r, -0.15, 0.15), off = mnt_rng_range(r, 0, spacing);
        float v = (float)mnt_rng_range(r, 0.15, 0.45);
        double wid = mnt_rng_range(r, 1.0, 2.5);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double u = fmod(y * cos(ang) - x * sin(ang) + off + 1000 * spacing, spacing);
                if (u < wid) {
                    float *p = &dark[(size_t)y * w + x];
                    if (*p < v) *p = v;
                }
            }
    }
    if (mnt_rng_uniform(r) < lp->p_text) { /* rows of text-like glyphs */
        double row = mnt_rng_range(r, 18, 34), size = row * 0.55;
        float v = (float)mnt_rng_range(r, 0.3, 0.7);
        for (double by = mnt_rng_range(r, 0, row); by < h; by += row)
            for (double bx = mnt_rng_range(r, 0, size); bx < w; bx += size * mnt_rng_range(r, 0.8, 1.3)) {
                if (mnt_rng_uniform(r) < 0.15) continue; /* word gaps */
                int strokes = mnt_rng_int(r, 1, 3);
                for (int k = 0; k < strokes; k++) {
                    double pts[6];
                    for (int q = 0; q < 3; q++) {
                        pts[2 * q] = bx + mnt_rng_range(r, 0, size * 0.8);
                        pts[2 * q + 1] = by + mnt_rng_range(r, 0, size);
                    }
                    stroke(dark, w, h, pts, 3, mnt_rng_range(r, 1.0, 2.2), v);
                }
            }
    }
    if (mnt_rng_uniform(r) < lp->p_handwriting) { /* cursive-like curves */
        int lines = mnt_rng_int(r, 1, 4);
        float v = (float)mnt_rng_range(r, 0.3, 0.65);
        for (int l = 0; l < lines; l++) {
            double y0 = mnt_rng_range(r, 0, h), amp = mnt_rng_range(r, 5, 14), freq = mnt_rng_range(r, 0.08, 0.2);
            double pts[2 * 200];
            int n = 0;
            for (double x = mnt_rng_range(r, -50, w * 0.3); x < w && n < 200; x += 4, n++) {
                pts[2 * n] = x + amp * 0.6 * sin(freq * 1.7 * x);
                pts[2 * n + 1] = y0 + amp * sin(freq * x) + 0.05 * x;
            }
            stroke(dark, w, h, pts, n, mnt_rng_range(r, 1.2, 2.5), v);
        }
    }
    if (mnt_rng_uniform(r) < lp->p_stains) { /* soft stains */
        int n = mnt_rng_int(r, 1, 3);
        for (int k = 0; k < n; k++) {
            double cx = mnt_rng_range(r, 0, w), cy = mnt_rng_range(r, 0, h), rad = mnt_rng_range(r, 40, 140);
            float v = (float)mnt_rng_range(r, 0.08, 0.3);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    double q = hypot(x - cx, (y - cy) * 1.3) / rad;
                    if (q < 1.5) {
                        float s = (float)(v * exp(-2.0 * q * q));
                        float *p = &dark[(size_t)y * w + x];
                        *p = *p + s > 1 ? 1 : *p + s;
                    }
                }
        }
    }
}

/* The decisions of the degradations added for real prints, drawn from streams of their
 * own so that the original stream (and with these off, the latent) is unchanged, and in
 * a fixed order so that one setting does not shift another's draws. */
typedef struct {
    double distortion, strength;
    uint64_t warp_seed;
    int texture[3], blotches, invert, jpeg_quality;
    mnt_rng tex_rng, blot_rng;
} extras;

static void draw_extras(const mnt_latent_level_params *lp, uint64_t seed, extras *e)
{
    mnt_rng r;
    mnt_rng_seed(&r, seed, 0x5B57);
    e->distortion = pick(&r, lp->distortion);
    e->warp_seed = (uint64_t)mnt_rng_u32(&r) << 32;
    e->warp_seed |= mnt_rng_u32(&r);
    e->strength = pick(&r, lp->texture);
    double pk[3] = {lp->p_fibre, lp->p_woven, lp->p_grating};
    for (int k = 0; k < 3; k++) e->texture[k] = mnt_rng_uniform(&r) < pk[k] && e->strength > 0;
    e->blotches = (int)lround(pick(&r, lp->blotches));
    e->invert = mnt_rng_uniform(&r) < lp->p_invert;
    double uj = mnt_rng_uniform(&r);
    int q = (int)lround(pick(&r, lp->jpeg_quality));
    e->jpeg_quality = uj < lp->p_jpeg ? q : 0;
    mnt_rng_seed(&e->tex_rng, seed, 0x5B58);
    mnt_rng_seed(&e->blot_rng, seed, 0x5B59);
}

/* Upsamples the latent (bilinear), its visible area (nearest) and the truth by scale. */
static int rescale_output(mnt_latent *out, mnt_synth_print *s, double scale, int ppi, mnt_diag *d)
{
    mnt_image up;
    int rc = mnt_image_resample(&out->image, scale, &up, d);
    if (rc) return rc;
    int w = out->image.width, h = out->image.height, W = up.width, H = up.height;
    uint8_t *vis = malloc((size_t)W * H);
    if (!vis) {
        mnt_image_free(&up);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int sx = (int)((x + 0.5) / scale), sy = (int)((y + 0.5) / scale);
            vis[(size_t)y * W + x] = out->visible[(size_t)(sy < h ? sy : h - 1) * w + (sx < w ? sx : w - 1)];
        }
    mnt_image_free(&out->image);
    free(out->visible);
    out->image = up;
    out->image.ppi = ppi;
    out->visible = vis;
    mnt_template *t = &s->truth;
    for (size_t v = 0; v < t->nviews; v++)
        for (size_t i = 0; i < t->views[v].n; i++) {
            t->views[v].m[i].x = (t->views[v].m[i].x + 0.5) * scale - 0.5;
            t->views[v].m[i].y = (t->views[v].m[i].y + 0.5) * scale - 0.5;
        }
    t->width = W;
    t->height = H;
    t->ppi = ppi;
    t->xres = t->yres = mnt_ppi_to_ppcm(ppi);
    return MNT_OK;
}

int mnt_latent_render(const mnt_latent_params *p, mnt_latent_level level, mnt_synth_print *s, uint64_t seed,
                      mnt_latent *out, mnt_diag *d)
{
    memset(out, 0, sizeof *out);
    int rc = mnt_latent_validate(p, d);
    if (rc) return rc;
    if (level < 0 || level >= MNT_LEVEL_COUNT) return mnt_fail(d, MNT_ERR_ARG, "unknown latent level");
    const mnt_latent_level_params *lp = &p->level[level];
    mnt_rng r;
    mnt_rng_seed(&r, seed, 0x1A7E);
    extras xt;
    draw_extras(lp, seed, &xt);
    int w = s->image.width, h = s->image.height;
    size_t n = (size_t)w * h;
    if (xt.distortion > 0) {
        mnt_warp wp;
        if ((rc = mnt_warp_random(&wp, w, h, xt.distortion, xt.warp_seed, d)) || (rc = mnt_warp_print(&wp, s, d))) {
            mnt_warp_free(&wp);
            return rc;
        }
        mnt_warp_free(&wp);
    }
    float *amp = malloc(n * sizeof *amp), *dark = calloc(n, sizeof *dark), *vis = malloc(n * sizeof *vis);
    float *smudge = NULL, *second = NULL, *tex = NULL, *blot = NULL, *blotc = NULL;
    if (!amp || !dark || !vis || (rc = mnt_image_alloc(&out->image, w, h, 0, d)) || !(out->visible = malloc(n))) {
        free(amp);
        free(dark);
        free(vis);
        mnt_latent_free(out);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for a %dx%d latent", w, h);
    }
    out->image.ppi = s->image.ppi;

    /* Visible area: the finger cut by a smooth random blob whose threshold keeps the
     * requested share of it, then softened. */
    smooth_field vf;
    field_init(&vf, &r, mnt_rng_range(&r, 250, 450));
    double cxv = mnt_rng_range(&r, 0.35, 0.65) * w, cyv = mnt_rng_range(&r, 0.35, 0.65) * h;
    double radial = mnt_rng_range(&r, 0.6, 1.2);
    size_t nfinger = 0;
    for (size_t i = 0; i < n; i++) {
        int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
        double q = hypot((x - cxv) / w, (y - cyv) / h);
        vis[i] = (float)(field_at(&vf, x, y) * 0.5 - radial * 2.0 * q);
        nfinger += s->foreground[i];
    }
    /* threshold by the share: find the value that keeps visible_area of the finger */
    double share = pick(&r, lp->visible_area);
    {
        float lo = -10, hi = 10;
        for (int it = 0; it < 30; it++) {
            float mid = 0.5f * (lo + hi);
            size_t keep = 0;
            for (size_t i = 0; i < n; i++) keep += s->foreground[i] && vis[i] > mid;
            if ((double)keep > share * (double)nfinger) lo = mid;
            else hi = mid;
        }
        for (size_t i = 0; i < n; i++) vis[i] = s->foreground[i] && vis[i] > lo ? 1.0f : 0.0f;
    }
    if ((rc = mnt_box_blur(vis, w, h, 3))) goto nomem;
    for (size_t i = 0; i < n; i++) out->visible[i] = vis[i] > 0.5f;

    /* Print amplitude: contrast x unevenness x visibility, minus breaks and smudges. */
    double contrast = pick(&r, lp->contrast), uneven = pick(&r, lp->unevenness);
    smooth_field cf;
    field_init(&cf, &r, mnt_rng_range(&r, 120, 260));
    for (size_t i = 0; i < n; i++) {
        int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
        double u = 1 + uneven * field_at(&cf, x, y);
        amp[i] = (float)(contrast * (u < 0.05 ? 0.05 : u) * vis[i]);
    }
    size_t nbreaks = (size_t)lround(pick(&r, lp->breaks) * (double)nfinger * share / 10000.0);
    for (size_t k = 0; k < nbreaks; k++) {
        double bx = mnt_rng_range(&r, 0, w), by = mnt_rng_range(&r, 0, h), rad = mnt_rng_range(&r, 2, 6);
        stamp_disc(amp, w, h, bx, by, rad, (float)(contrast * mnt_rng_range(&r, 0, 0.25)), 1);
    }
    int nsmudge = (int)lround(pick(&r, lp->smudges));
    if (nsmudge > 0) {
        smudge = calloc(n, sizeof *smudge);
        if (!smudge) goto nomem;
        for (int k = 0; k < nsmudge; k++) {
            double sx = mnt_rng_range(&r, 0.2, 0.8) * w, sy = mnt_rng_range(&r, 0.2, 0.8) * h, rad = mnt_rng_range(&r, 20, 60);
            stamp_disc(smudge, w, h, sx, sy, rad, 1.0f, 0);
        }
        if ((rc = mnt_box_blur(smudge, w, h, 8))) goto nomem;
    }
    if (xt.blotches > 0) {
        blot = calloc(n, sizeof *blot);
        blotc = calloc(n, sizeof *blotc);
        if (!blot || !blotc || mnt_blotches_add(blot, blotc, w, h, xt.blotches, &xt.blot_rng)) goto nomem;
    }

    /* local contrast at each minutia decides hidden ones */
    mnt_view *tv = &s->truth.views[0];
    for (size_t i = 0; i < tv->n; i++) {
        int mx = (int)lround(tv->m[i].x), my = (int)lround(tv->m[i].y);
        double sum = 0;
        int cnt = 0, inside = 1;
        for (int dy = -6; dy <= 6; dy++)
            for (int dx = -6; dx <= 6; dx++) {
                if (dx * dx + dy * dy > 36) continue;
                int x = mx + dx, y = my + dy;
                if (x < 0 || y < 0 || x >= w || y >= h) continue;
                size_t j = (size_t)y * w + x;
                sum += amp[j] * (smudge ? 1 - 0.8 * smudge[j] : 1) * (blot ? 1 - blot[j] : 1) *
                       (s->strength ? s->strength[j] : 1);
                cnt++;
            }
        int m = p->border_margin;
        for (int dy = -m; dy <= m && inside; dy += m > 0 ? m : 1)
            for (int dx = -m; dx <= m && inside; dx += m > 0 ? m : 1) {
                int x = mx + dx, y = my + dy;
                if (x < 0 || y < 0 || x >= w || y >= h || !out->visible[(size_t)y * w + x]) inside = 0;
            }
        double local = cnt ? sum / cnt : 0;
        tv->m[i].hidden = tv->m[i].hidden || !inside || local < p->min_contrast;
    }

    /* Surface: background brightness, illumination ramp, clutter. */
    double bg = pick(&r, lp->background), illum = pick(&r, lp->illumination), ia = mnt_rng_range(&r, 0, 2 * MNT_PI);
    draw_background(lp, &r, dark, w, h);
    /* an overlapping second print: a carrier of another class, no minutiae needed */
    if (mnt_rng_uniform(&r) < lp->p_second_print) {
        second = calloc(n, sizeof *second);
        if (!second) goto nomem;
        double ox = mnt_rng_range(&r, -0.4, 0.4) * w, oy = mnt_rng_range(&r, -0.4, 0.4) * h;
        double rot = mnt_rng_range(&r, -1.0, 1.0), c2c = contrast * mnt_rng_range(&r, 0.4, 0.9);
        double ex = mnt_rng_range(&r, 0.25, 0.4) * w, ey = mnt_rng_range(&r, 0.3, 0.45) * h;
        /* its carrier covers the turned ellipse (a square of side 2 max(ex, ey)) at half
         * resolution: a background print needs no exact minutiae, and its phase is
         * smooth enough to interpolate (a quarter of the work) */
        mnt_carrier c2;
        int side = (int)ceil(fmax(ex, ey)) + 4;
        mnt_carrier_init(&c2, (mnt_print_class)mnt_rng_int(&r, 0, MNT_CLASS_COUNT - 1), side, side,
                         0.5 * mnt_rng_range(&r, 8.5, 11), &r);
        if (mnt_carrier_build(&c2)) goto nomem;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double u = (x - w / 2.0 - ox), v = (y - h / 2.0 - oy);
                double q = (u * u) / (ex * ex) + (v * v) / (ey * ey);
                if (q > 1) continue;
                double rx = 0.5 * (cos(rot) * u - sin(rot) * v) + side / 2.0, ry = 0.5 * (sin(rot) * u + cos(rot) * v) + side / 2.0;
                double rv = tanh(2.2 * cos(mnt_carrier_phase(&c2, rx, ry))) / tanh(2.2);
                second[(size_t)y * w + x] = (float)(c2c * (1 - q) * 0.5 * (1 + rv));
            }
        mnt_carrier_free(&c2);
    }
    if (xt.texture[0] || xt.texture[1] || xt.texture[2]) {
        if (!(tex = calloc(n, sizeof *tex))) goto nomem;
        for (int k = 0; k < 3; k++)
            if (xt.texture[k] && mnt_substrate_add((mnt_substrate_kind)k, tex, w, h, xt.strength, &xt.tex_rng)) goto nomem;
    }
    for (size_t i = 0; i < n; i++) {
        int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
        double ramp = illum * ((x - w / 2.0) * cos(ia) + (y - h / 2.0) * sin(ia)) / (0.5 * (w > h ? w : h));
        double surface = (bg + ramp) * (1 - dark[i]);
        if (tex) surface *= 1 + tex[i];
        double ridge = 0.5 * (1 + s->ridge[i]);
        double a = amp[i];
        if (smudge) {
            /* a smudge smears ridges into a grey blot */
            double sm = smudge[i];
            ridge = ridge * (1 - 0.8 * sm) + 0.5 * 0.8 * sm;
        }
        double v = surface - a * ridge - (second ? second[i] : 0);
        if (blot) v = v * (1 - blot[i]) + blotc[i] * blot[i];
        out->image.px[i] = (float)v;
    }
    if ((rc = mnt_gaussian_blur(out->image.px, w, h, pick(&r, lp->blur)))) goto nomem;
    double noise = pick(&r, lp->noise);
    size_t nspeck = (size_t)lround(pick(&r, lp->speckle) * (double)n / 10000.0);
    double print_ppi = s->image.ppi > 0 ? s->image.ppi : 500, scale = p->output_ppi / print_ppi;
    if (fabs(scale - 1) > 1e-9) {
        if ((rc = rescale_output(out, s, scale, p->output_ppi, d))) goto fail;
    } else {
        scale = 1;
    }
    int W = out->image.width, H = out->image.height;
    for (size_t k = 0; k < nspeck; k++)
        stamp_disc(out->image.px, W, H, mnt_rng_range(&r, 0, W), mnt_rng_range(&r, 0, H),
                   mnt_rng_range(&r, 0.5, 1.5) * scale, (float)mnt_rng_range(&r, 0.1, 0.5), 1);
    for (size_t i = 0; i < (size_t)W * H; i++) {
        double v = out->image.px[i] + noise * mnt_rng_normal(&r);
        out->image.px[i] = (float)(v < 0 ? 0 : v > 1 ? 1 : v);
    }
    if (xt.invert) /* light ridges on a dark surface */
        for (size_t i = 0; i < (size_t)W * H; i++) out->image.px[i] = 1.0f - out->image.px[i];
    if (xt.jpeg_quality && (rc = mnt_jpeg_blocks(out->image.px, W, H, xt.jpeg_quality, d))) goto fail;
    rc = MNT_OK;
    goto done;
nomem:
    rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
fail:
    mnt_latent_free(out);
done:
    free(amp);
    free(dark);
    free(vis);
    free(smudge);
    free(second);
    free(tex);
    free(blot);
    free(blotc);
    return rc;
}
