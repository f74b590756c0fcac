#include "patches.h"

#include "enhance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "gsae.h"
#include "mnt_math.h"
#include "segment.h"

void mnt_patch_extract_pixels_mirrored(const mnt_image *im, int cx, int cy, int size, int grid, float *out)
{
    mnt_patch_extract_pixels(im, cx, cy, size, grid, out);
    for (int j = 0; j < grid; j++)
        for (int i = 0, k = grid - 1; i < k; i++, k--) {
            float t = out[j * grid + i];
            out[j * grid + i] = out[j * grid + k];
            out[j * grid + k] = t;
        }
}

void mnt_patch_extract_pixels(const mnt_image *im, int cx, int cy, int size, int grid, float *out)
{
    int step = size / grid, w = im->width, h = im->height;
    int off = -size / 2 + step / 2;
    for (int j = 0; j < grid; j++) {
        int y = cy + off + j * step;
        y = y < 0 ? 0 : y >= h ? h - 1 : y;
        const float *row = im->px + (size_t)y * w;
        for (int i = 0; i < grid; i++) {
            int x = cx + off + i * step;
            x = x < 0 ? 0 : x >= w ? w - 1 : x;
            out[j * grid + i] = row[x];
        }
    }
}

void mnt_patch_extract(const mnt_image *im, double cx, double cy, double angle, int mirror, int size, int grid,
                       float *out)
{
    double step = (double)size / grid, ca = cos(angle), sa = sin(angle);
    int w = im->width, h = im->height;
    for (int j = 0; j < grid; j++)
        for (int i = 0; i < grid; i++) {
            double u = (i + 0.5) * step - size / 2.0, v = (j + 0.5) * step - size / 2.0;
            if (mirror) u = -u;
            /* patch +x along angle (CCW as displayed, so -sin in pixel y), +y 90 degrees clockwise of it */
            double x = cx + u * ca + v * sa, y = cy - u * sa + v * ca;
            if (x < 0) x = 0;
            if (y < 0) y = 0;
            if (x > w - 1) x = w - 1;
            if (y > h - 1) y = h - 1;
            int x0 = (int)x, y0 = (int)y, x1 = x0 < w - 1 ? x0 + 1 : x0, y1 = y0 < h - 1 ? y0 + 1 : y0;
            double fx = x - x0, fy = y - y0;
            const float *p = im->px;
            double a = p[(size_t)y0 * w + x0] * (1 - fx) + p[(size_t)y0 * w + x1] * fx;
            double b = p[(size_t)y1 * w + x0] * (1 - fx) + p[(size_t)y1 * w + x1] * fx;
            out[j * grid + i] = (float)(a * (1 - fy) + b * fy);
        }
}

int mnt_patch_values(int grid, int context)
{
    return grid * grid * (context > 1 ? 2 : 1);
}

int mnt_patch_context_valid(int grid, int context)
{
    return context == 0 || (context >= 2 && context <= MNT_CONTEXT_MAX && context * grid <= MNT_CONTEXT_FINE_MAX);
}

/* c x c means of a (c grid)^2 fine patch, into grid^2 values */
static void pool_context(const float *fine, int grid, int c, float *out)
{
    int fg = grid * c;
    float inv = 1.0f / (float)(c * c);
    for (int j = 0; j < grid; j++)
        for (int i = 0; i < grid; i++) {
            float sum = 0;
            for (int b = 0; b < c; b++)
                for (int a = 0; a < c; a++) sum += fine[(size_t)(j * c + b) * fg + i * c + a];
            out[j * grid + i] = sum * inv;
        }
}

void mnt_patch_cut(const mnt_image *im, double cx, double cy, double angle, int mirror, int size, int grid, int context,
                   float *out)
{
    mnt_patch_extract(im, cx, cy, angle, mirror, size, grid, out);
    /* callers validate the context; an invalid one must not overrun fine[] */
    if (context < 2 || !mnt_patch_context_valid(grid, context)) return;
    float fine[MNT_CONTEXT_FINE_MAX * MNT_CONTEXT_FINE_MAX];
    mnt_patch_extract(im, cx, cy, angle, mirror, size * context, grid * context, fine);
    pool_context(fine, grid, context, out + grid * grid);
}

void mnt_patch_cut_pixels(const mnt_image *im, int cx, int cy, int mirror, int size, int grid, int context, float *out)
{
    if (mirror) mnt_patch_extract_pixels_mirrored(im, cx, cy, size, grid, out);
    else mnt_patch_extract_pixels(im, cx, cy, size, grid, out);
    if (context < 2 || !mnt_patch_context_valid(grid, context)) return;
    float fine[MNT_CONTEXT_FINE_MAX * MNT_CONTEXT_FINE_MAX];
    if (mirror) mnt_patch_extract_pixels_mirrored(im, cx, cy, size * context, grid * context, fine);
    else mnt_patch_extract_pixels(im, cx, cy, size * context, grid * context, fine);
    pool_context(fine, grid, context, out + grid * grid);
}

void mnt_patch_cut_upright(const mnt_image *im, int cx, int cy, int mirror, int size, int grid, int context, float *out)
{
    if (size % grid == 0 && (size / grid) % 2 == 0) mnt_patch_cut_pixels(im, cx, cy, mirror, size, grid, context, out);
    else mnt_patch_cut(im, cx, cy, 0, mirror, size, grid, context, out);
}

void mnt_patch_normalise_parts(float *x, int grid, int context)
{
    mnt_patch_normalise(x, grid * grid);
    if (context > 1) mnt_patch_normalise(x + grid * grid, grid * grid);
}

int mnt_patch_source(const mnt_image *im, int size, int grid, double ridge_sigma, const mnt_orientation *orient,
                     mnt_image *out, mnt_diag *d)
{
    if (ridge_sigma > 0 && !orient) return mnt_fail(d, MNT_ERR_ARG, "smoothing along ridges needs an orientation field");
    int rc = mnt_image_alloc(out, im->width, im->height, 0, d);
    if (rc) return rc;
    out->ppi = im->ppi;
    memcpy(out->px, im->px, (size_t)im->width * im->height * sizeof *out->px);
    double step = (double)size / grid;
    if (step > 1 && (rc = mnt_smooth(out->px, out->width, out->height, 0.5 * step))) {
        mnt_image_free(out);
        return mnt_fail(d, rc, "out of memory");
    }
    if (ridge_sigma > 0) {
        mnt_image along;
        /* computed on the grid patches sample (every step-th pixel), exact there */
        int f = fabs(step - floor(step + 0.5)) < 1e-9 && step >= 1 && step <= 8 ? (int)floor(step + 0.5) : 1;
        if ((rc = mnt_enhance_along_ridges(out, orient, ridge_sigma, f, &along, d))) {
            mnt_image_free(out);
            return rc;
        }
        mnt_image_free(out);
        *out = along;
    }
    return MNT_OK;
}

void mnt_patch_defaults(mnt_patch_params *p)
{
    *p = (mnt_patch_params){32, 16, 2.0, 12.0, 2.0, 0.5, 0.3, 0.2, 0.0, 2, 0.5, 0.7, 1.3, 0.08, 0.03, 1, 0.0,
                            MNT_ORIENTATION_SIGMA_LEGACY, 0};
}

/* One range check, the key at fault named with its value and range. */
static int out_of(const char *key, double v, double lo, double hi, mnt_diag *d)
{
    if (v >= lo && v <= hi) return MNT_OK;
    return mnt_fail(d, MNT_ERR_CONFIG, "%s: %g outside %g..%g", key, v, lo, hi);
}

int mnt_patch_validate(const mnt_patch_params *p, mnt_diag *d)
{
    int rc;
    if ((rc = out_of("patch.size", p->size, 8, 128, d)) || (rc = out_of("patch.grid", p->grid, 4, 64, d))) return rc;
    if (p->grid > p->size) return mnt_fail(d, MNT_ERR_CONFIG, "patch.grid: %d more than patch.size %d", p->grid, p->size);
    if (!mnt_patch_context_valid(p->grid, p->context))
        return mnt_fail(d, MNT_ERR_CONFIG, "patch.context: %d is not 0 or 2..%d with context x grid at most %d", p->context,
                        MNT_CONTEXT_MAX, MNT_CONTEXT_FINE_MAX);
    if ((rc = out_of("sampling.pos_radius", p->pos_radius, 0, 199, d)) || (rc = out_of("sampling.neg_radius", p->neg_radius, 0, 199.999, d)))
        return rc;
    if (!(p->neg_radius > p->pos_radius))
        return mnt_fail(d, MNT_ERR_CONFIG, "sampling.neg_radius: %g must exceed sampling.pos_radius %g", p->neg_radius, p->pos_radius);
    if ((rc = out_of("sampling.neg_per_pos", p->neg_per_pos, 0, 50, d)) ||
        (rc = out_of("sampling.share_foreground", p->share_foreground, 0, 1e9, d)) ||
        (rc = out_of("sampling.share_ridge", p->share_ridge, 0, 1e9, d)) ||
        (rc = out_of("sampling.share_clutter", p->share_clutter, 0, 1e9, d)) ||
        (rc = out_of("sampling.share_border", p->share_border, 0, 1e9, d)))
        return rc;
    if (!(p->share_foreground + p->share_ridge + p->share_clutter + p->share_border > 0))
        return mnt_fail(d, MNT_ERR_CONFIG, "sampling.share_*: all four shares are 0 (no negatives could be drawn)");
    if ((rc = out_of("augment.rotations", p->rotations, 1, 64, d)) || (rc = out_of("patch.ridge_smoothing", p->ridge_sigma, 0, 16, d)) ||
        (rc = out_of("patch.orientation_smoothing", p->orientation_sigma, 1, 16, d)) ||
        (rc = out_of("augment.mirror_prob", p->mirror_prob, 0, 1, d)) ||
        (rc = out_of("augment.contrast (low)", p->contrast_lo, 1e-9, 9.999, d)) ||
        (rc = out_of("augment.contrast (high)", p->contrast_hi, p->contrast_lo, 9.999, d)) ||
        (rc = out_of("augment.brightness", p->brightness, 0, 0.999, d)) || (rc = out_of("augment.noise", p->noise, 0, 0.999, d)))
        return rc;
    return MNT_OK;
}

void mnt_patch_set_init(mnt_patch_set *s, int size, int grid)
{
    memset(s, 0, sizeof *s);
    s->size = size;
    s->grid = grid;
    s->orientation_sigma = MNT_ORIENTATION_SIGMA_LEGACY;
}

void mnt_patch_set_free(mnt_patch_set *s)
{
    if (!s) return;
    free(s->p);
    free(s->pool);
    for (size_t i = 0; i < s->nsources; i++) free(s->sources[i]);
    free(s->sources);
    memset(s, 0, sizeof *s);
}

int mnt_patch_set_add_source(mnt_patch_set *s, const char *name, uint32_t *index)
{
    char **ns = realloc(s->sources, (s->nsources + 1) * sizeof *ns);
    if (!ns) return MNT_ERR_NOMEM;
    s->sources = ns;
    size_t len = strlen(name);
    s->sources[s->nsources] = malloc(len + 1);
    if (!s->sources[s->nsources]) return MNT_ERR_NOMEM;
    memcpy(s->sources[s->nsources], name, len + 1);
    *index = (uint32_t)s->nsources++;
    return MNT_OK;
}

int mnt_patch_set_push(mnt_patch_set *s, const float *pixels, const mnt_patch *meta)
{
    size_t g2 = (size_t)mnt_patch_values(s->grid, s->context);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        mnt_patch *np = realloc(s->p, cap * sizeof *np);
        if (!np) return MNT_ERR_NOMEM;
        s->p = np;
        uint8_t *pool = realloc(s->pool, cap * g2);
        if (!pool) return MNT_ERR_NOMEM;
        s->pool = pool;
        s->cap = cap;
    }
    uint8_t *dst = s->pool + s->n * g2;
    for (size_t i = 0; i < g2; i++) {
        float v = pixels[i];
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        dst[i] = (uint8_t)lrintf(v * 255.0f);
    }
    s->p[s->n++] = *meta;
    return MNT_OK;
}

static void photometric(const mnt_patch_params *p, mnt_rng *r, float *x, int n)
{
    double c = mnt_rng_range(r, p->contrast_lo, p->contrast_hi), b = mnt_rng_range(r, -p->brightness, p->brightness);
    double noise = mnt_rng_range(r, 0, p->noise);
    double mean = 0;
    for (int i = 0; i < n; i++) mean += x[i];
    mean /= n;
    for (int i = 0; i < n; i++) x[i] = (float)(mean + (x[i] - mean) * c + b + noise * mnt_rng_normal(r));
}

static double nearest_truth(const mnt_view *t, double x, double y)
{
    double best = 1e18;
    for (size_t i = 0; i < t->n; i++) {
        double d2 = (t->m[i].x - x) * (t->m[i].x - x) + (t->m[i].y - y) * (t->m[i].y - y);
        if (d2 < best) best = d2;
    }
    return sqrt(best);
}

/* Valid settings, and a set cut with the same geometry (patches of one set must agree). */
static int check_sampling(const mnt_patch_params *p, const mnt_patch_set *out, mnt_diag *d)
{
    int rc = mnt_patch_validate(p, d);
    if (rc) return rc;
    if (out->grid != p->grid || out->size != p->size || out->ridge_sigma != p->ridge_sigma ||
        out->orientation_sigma != p->orientation_sigma || out->context != p->context)
        return mnt_fail(d, MNT_ERR_ARG, "patch set geometry %d/%d (ridge smoothing %g, orientation smoothing %g, context %d) "
                        "differs from the sampling %d/%d (%g, %g, %d)", out->size, out->grid, out->ridge_sigma,
                        out->orientation_sigma, out->context, p->size, p->grid, p->ridge_sigma, p->orientation_sigma, p->context);
    return MNT_OK;
}

int mnt_patch_sample(const mnt_patch_params *p, const mnt_image *im, const uint8_t *mask, const mnt_view *truth,
                     uint32_t source, mnt_rng *rng, mnt_patch_set *out, mnt_diag *d)
{
    int rc = check_sampling(p, out, d);
    if (rc) return rc;
    int g2 = mnt_patch_values(p->grid, p->context), w = im->width, h = im->height;
    float *buf = malloc((size_t)g2 * sizeof *buf);
    if (!buf) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    mnt_orientation orient;
    if ((rc = mnt_orientation_compute(im, 1.2, p->orientation_sigma, &orient, d))) {
        free(buf);
        return rc;
    }
    mnt_image src_im;
    if ((rc = mnt_patch_source(im, p->size, p->grid, p->ridge_sigma, &orient, &src_im, d))) {
        free(buf);
        mnt_orientation_free(&orient);
        return rc;
    }
    im = &src_im; /* patches come from the anti-aliased copy */
    uint8_t *own_mask = NULL;
    if (!mask) {
        /* no mask given: the region the detector would segment, so that the print's
         * border and the background give negatives as they do on latents */
        own_mask = malloc((size_t)w * h);
        if (!own_mask) goto nomem;
        mnt_segment_params sp;
        mnt_segment_defaults(&sp);
        if ((rc = mnt_segment(im, &orient, &sp, own_mask, d))) {
            free(own_mask);
            free(buf);
            mnt_orientation_free(&orient);
            mnt_image_free(&src_im);
            return rc;
        }
        mask = own_mask;
    }
    size_t positives = 0;
    double half = p->size / 2.0;
    for (size_t i = 0; i < truth->n; i++) {
        const mnt_minutia *m = &truth->m[i];
        if (m->hidden) continue;
        if (m->x < 0 || m->y < 0 || m->x >= w || m->y >= h) continue;
        for (int k = 0; k < p->rotations; k++) {
            double rad = p->pos_radius * sqrt(mnt_rng_uniform(rng)), phi = mnt_rng_range(rng, 0, 2 * MNT_PI);
            double cx = m->x + rad * cos(phi), cy = m->y + rad * sin(phi);
            double a = mnt_rng_range(rng, 0, 2 * MNT_PI);
            int mir = mnt_rng_uniform(rng) < p->mirror_prob;
            mnt_patch_cut(im, cx, cy, a, mir, p->size, p->grid, p->context, buf);
            photometric(p, rng, buf, g2);
            double ang = mnt_angle_norm(m->angle - MNT_DEG(a));
            if (mir) ang = mnt_angle_norm(180.0 - ang);
            mnt_patch meta = {1, (uint8_t)m->type, MNT_FRAME_IMAGE, (float)ang, source, (float)cx, (float)cy, MNT_REGION_FOREGROUND};
            if ((rc = mnt_patch_set_push(out, buf, &meta))) goto nomem;
            positives++;
        }
        if (p->oriented) {
            int xi = (int)lround(m->x), yi = (int)lround(m->y);
            double to = mnt_orientation_theta(&orient, (size_t)(yi < h ? yi : h - 1) * w + (xi < w ? xi : w - 1));
            for (int flip = 0; flip < 2; flip++) {
                double a = to + flip * MNT_PI;
                mnt_patch_cut(im, m->x, m->y, a, 0, p->size, p->grid, p->context, buf);
                photometric(p, rng, buf, g2);
                double ang = mnt_angle_norm(m->angle - MNT_DEG(a));
                mnt_patch meta = {1, (uint8_t)m->type, MNT_FRAME_RIDGE, (float)ang, source, (float)m->x, (float)m->y, MNT_REGION_FOREGROUND};
                if ((rc = mnt_patch_set_push(out, buf, &meta))) goto nomem;
            }
        }
    }
    /* negatives: foreground, ridge areas (coherent, contrasted), background clutter */
    double shares[4] = {p->share_foreground, p->share_ridge, mask ? p->share_clutter : 0, mask ? p->share_border : 0};
    double stot = shares[0] + shares[1] + shares[2] + shares[3];
    if (stot <= 0) shares[0] = stot = 1;
    size_t want = (size_t)lround(p->neg_per_pos * (double)(positives ? positives : 1));
    /* median energy inside the image, for "contrasted" */
    double emean = 0;
    for (size_t i = 0; i < (size_t)w * h; i++) emean += mnt_orientation_energy(&orient, i);
    emean /= (double)w * h;
    for (size_t k = 0; k < want; k++) {
        double u = mnt_rng_uniform(rng) * stot;
        int kind = u < shares[0] ? 0 : u < shares[0] + shares[1] ? 1 : u < shares[0] + shares[1] + shares[2] ? 2 : 3;
        for (int tries = 0; tries < 200; tries++) {
            double cx = mnt_rng_range(rng, half * 0.5, w - half * 0.5), cy = mnt_rng_range(rng, half * 0.5, h - half * 0.5);
            size_t idx = (size_t)cy * w + (size_t)cx;
            int in = mask ? mask[idx] != 0 : 1;
            if (kind == 0 && !in) continue;
            if (kind == 1 && (!in || mnt_orientation_coherence(&orient, idx) < 0.5 || mnt_orientation_energy(&orient, idx) < emean)) continue;
            /* clutter: energetic background first, any background after 100 tries
             * (blank margins teach the foreground head too) */
            if (kind == 2 && (in || (mnt_orientation_energy(&orient, idx) < emean && tries < 100))) continue;
            if (kind == 3) { /* inside, within 10 px of the mask's edge */
                int near_edge = 0;
                for (int k2 = 0; k2 < 8 && !near_edge; k2++) {
                    double ex = cx + 10 * cos(k2 * MNT_PI / 4), ey = cy + 10 * sin(k2 * MNT_PI / 4);
                    if (ex < 0 || ey < 0 || ex >= w || ey >= h || !mask[(size_t)ey * w + (size_t)ex]) near_edge = 1;
                }
                if (!in || !near_edge) continue;
            }
            if (nearest_truth(truth, cx, cy) < p->neg_radius) continue;
            double a = mnt_rng_range(rng, 0, 2 * MNT_PI);
            int mir = mnt_rng_uniform(rng) < p->mirror_prob;
            mnt_patch_cut(im, cx, cy, a, mir, p->size, p->grid, p->context, buf);
            photometric(p, rng, buf, g2);
            mnt_patch meta = {0, 0, MNT_FRAME_IMAGE, 0, source, (float)cx, (float)cy,
                              in ? MNT_REGION_FOREGROUND : MNT_REGION_BACKGROUND};
            if ((rc = mnt_patch_set_push(out, buf, &meta))) goto nomem;
            break;
        }
    }
    free(buf);
    free(own_mask);
    mnt_orientation_free(&orient);
    mnt_image_free(&src_im);
    return MNT_OK;
nomem:
    free(buf);
    free(own_mask);
    mnt_orientation_free(&orient);
    mnt_image_free(&src_im);
    return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for patches");
}

int mnt_patch_sample_unlabelled(const mnt_patch_params *p, const mnt_image *im, size_t n, uint32_t source, mnt_rng *rng,
                                mnt_patch_set *out, mnt_diag *d)
{
    int rc = check_sampling(p, out, d);
    if (rc) return rc;
    int g2 = mnt_patch_values(p->grid, p->context), w = im->width, h = im->height;
    mnt_orientation orient;
    if ((rc = mnt_orientation_compute(im, 1.2, p->orientation_sigma, &orient, d))) return rc;
    mnt_image src_im = {0};
    float *buf = malloc((size_t)g2 * sizeof *buf);
    uint8_t *roi = malloc((size_t)w * h);
    if (!buf || !roi) { rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for patches"); goto done; }
    if ((rc = mnt_patch_source(im, p->size, p->grid, p->ridge_sigma, &orient, &src_im, d))) goto done;
    mnt_segment_params sp;
    mnt_segment_defaults(&sp);
    if ((rc = mnt_segment(&src_im, &orient, &sp, roi, d))) goto done;
    double half = p->size / 2.0;
    for (size_t k = 0; k < n; k++)
        for (int tries = 0; tries < 200; tries++) {
            double cx = mnt_rng_range(rng, half * 0.5, w - half * 0.5), cy = mnt_rng_range(rng, half * 0.5, h - half * 0.5);
            if (cx < 0 || cy < 0 || !roi[(size_t)cy * w + (size_t)cx]) continue;
            double a = mnt_rng_range(rng, 0, 2 * MNT_PI);
            int mir = mnt_rng_uniform(rng) < p->mirror_prob;
            mnt_patch_cut(&src_im, cx, cy, a, mir, p->size, p->grid, p->context, buf);
            photometric(p, rng, buf, g2);
            mnt_patch meta = {MNT_PATCH_UNLABELLED, 0, MNT_FRAME_IMAGE, 0, source, (float)cx, (float)cy, MNT_REGION_UNKNOWN};
            if ((rc = mnt_patch_set_push(out, buf, &meta))) { rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for patches"); goto done; }
            break;
        }
done:
    free(buf);
    free(roi);
    mnt_orientation_free(&orient);
    mnt_image_free(&src_im);
    return rc;
}

int mnt_patch_add_negatives_at(const mnt_patch_params *p, const mnt_image *im, const mnt_view *truth,
                               const double *xy, size_t npoints, double min_dist, uint32_t source, mnt_rng *rng,
                               mnt_patch_set *out, size_t *added, mnt_diag *d)
{
    *added = 0;
    int rc = check_sampling(p, out, d);
    if (rc) return rc;
    int g2 = mnt_patch_values(p->grid, p->context);
    mnt_image src_im;
    mnt_orientation orient = {0};
    rc = p->ridge_sigma > 0 ? mnt_orientation_compute(im, 1.2, p->orientation_sigma, &orient, d) : MNT_OK;
    if (!rc) rc = mnt_patch_source(im, p->size, p->grid, p->ridge_sigma, &orient, &src_im, d);
    mnt_orientation_free(&orient);
    if (rc) return rc;
    im = &src_im;
    float *buf = malloc((size_t)g2 * sizeof *buf);
    if (!buf) {
        mnt_image_free(&src_im);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < npoints; i++) {
        double cx = xy[2 * i], cy = xy[2 * i + 1];
        if (nearest_truth(truth, cx, cy) < min_dist) continue;
        for (int k = 0; k < p->rotations; k++) {
            double a = mnt_rng_range(rng, 0, 2 * MNT_PI);
            int mir = mnt_rng_uniform(rng) < p->mirror_prob;
            mnt_patch_cut(im, cx, cy, a, mir, p->size, p->grid, p->context, buf);
            photometric(p, rng, buf, g2);
            mnt_patch meta = {0, 0, MNT_FRAME_IMAGE, 0, source, (float)cx, (float)cy, MNT_REGION_UNKNOWN};
            if (mnt_patch_set_push(out, buf, &meta)) {
                free(buf);
                mnt_image_free(&src_im);
                return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for patches");
            }
            (*added)++;
        }
    }
    free(buf);
    mnt_image_free(&src_im);
    return MNT_OK;
}
