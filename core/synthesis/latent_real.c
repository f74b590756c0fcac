#include "latent_real.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

void mnt_real_defaults(mnt_real_params *p)
{
    memset(p, 0, sizeof *p);
    p->normalise_sigma = 5.0;
    p->foreground_sigma = 10.0;
    p->foreground_level = 0.3;
    p->margin = 32;
}

int mnt_real_validate(const mnt_real_params *p, mnt_diag *d)
{
    if (!(p->normalise_sigma >= 2 && p->normalise_sigma <= 20))
        return mnt_fail(d, MNT_ERR_CONFIG, "real.normalise_sigma: %g must lie within [2, 20]", p->normalise_sigma);
    if (!(p->foreground_sigma >= 3 && p->foreground_sigma <= 40))
        return mnt_fail(d, MNT_ERR_CONFIG, "real.foreground_sigma: %g must lie within [3, 40]", p->foreground_sigma);
    if (!(p->foreground_level > 0 && p->foreground_level < 1))
        return mnt_fail(d, MNT_ERR_CONFIG, "real.foreground_level: %g must lie within (0, 1)", p->foreground_level);
    if (p->margin < 0 || p->margin > 512)
        return mnt_fail(d, MNT_ERR_CONFIG, "real.margin: %d must lie within 0..512", p->margin);
    return MNT_OK;
}

/* The q-quantile of v (values in [0, 1]) to 1/4096 by a histogram; -1 without memory. */
static float quantile01(const float *v, size_t n, double q)
{
    enum { BINS = 4096 };
    size_t *hist = calloc(BINS, sizeof *hist);
    if (!hist) return -1;
    for (size_t i = 0; i < n; i++) {
        float x = v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i];
        hist[(size_t)(x * (BINS - 1))]++;
    }
    size_t want = (size_t)(q * (double)(n - 1)), acc = 0;
    int b = 0;
    for (; b < BINS - 1; b++) {
        acc += hist[b];
        if (acc > want) break;
    }
    free(hist);
    return (float)(b + 0.5) / (BINS - 1);
}

/* Local mean and standard deviation of g over a Gaussian window. */
static int local_stats(const float *g, int w, int h, double sigma, float *mean, float *sd)
{
    size_t n = (size_t)w * h;
    memcpy(mean, g, n * sizeof *g);
    int rc = mnt_smooth(mean, w, h, sigma);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) sd[i] = (g[i] - mean[i]) * (g[i] - mean[i]);
    if ((rc = mnt_smooth(sd, w, h, sigma))) return rc;
    for (size_t i = 0; i < n; i++) sd[i] = sqrtf(sd[i] > 0 ? sd[i] : 0);
    return MNT_OK;
}

/* Keeps the largest 4-connected part of fg and fills its holes; returns its size. */
static size_t largest_part(uint8_t *fg, int w, int h, size_t *queue, uint8_t *label)
{
    size_t n = (size_t)w * h, best = 0, best_seed = 0;
    memset(label, 0, n);
    for (size_t s = 0; s < n; s++) {
        if (!fg[s] || label[s]) continue;
        size_t head = 0, tail = 0;
        label[s] = 1;
        queue[tail++] = s;
        while (head < tail) {
            size_t i = queue[head++], nb[4];
            int k = mnt_neighbours4(i, w, h, nb);
            for (int j = 0; j < k; j++)
                if (fg[nb[j]] && !label[nb[j]]) label[nb[j]] = 1, queue[tail++] = nb[j];
        }
        if (tail > best) best = tail, best_seed = s;
    }
    if (!best) return 0;
    /* label: 2 = the largest part, then 3 = background reached from the border */
    memset(label, 0, n);
    size_t head = 0, tail = 0;
    label[best_seed] = 2;
    queue[tail++] = best_seed;
    while (head < tail) {
        size_t i = queue[head++], nb[4];
        int k = mnt_neighbours4(i, w, h, nb);
        for (int j = 0; j < k; j++)
            if (fg[nb[j]] && !label[nb[j]]) label[nb[j]] = 2, queue[tail++] = nb[j];
    }
    head = tail = 0;
    for (int x = 0; x < w; x++)
        for (int e = 0; e < 2; e++) {
            size_t i = (size_t)(e ? h - 1 : 0) * w + x;
            if (!label[i]) label[i] = 3, queue[tail++] = i;
        }
    for (int y = 0; y < h; y++)
        for (int e = 0; e < 2; e++) {
            size_t i = (size_t)y * w + (e ? w - 1 : 0);
            if (!label[i]) label[i] = 3, queue[tail++] = i;
        }
    while (head < tail) {
        size_t i = queue[head++], nb[4];
        int k = mnt_neighbours4(i, w, h, nb);
        for (int j = 0; j < k; j++)
            if (!label[nb[j]]) label[nb[j]] = 3, queue[tail++] = nb[j];
    }
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += fg[i] = label[i] != 3;
    return count;
}

int mnt_real_print_make(const mnt_real_params *p, const mnt_image *im, const uint8_t *mask, const mnt_template *truth,
                        mnt_synth_print *out, mnt_diag *d)
{
    memset(out, 0, sizeof *out);
    int rc = mnt_real_validate(p, d);
    if (rc) return rc;
    if (!im || !im->px || im->width < 16 || im->height < 16)
        return mnt_fail(d, MNT_ERR_FORMAT, "image too small for a print");
    if (!truth || truth->nviews < 1) return mnt_fail(d, MNT_ERR_ARG, "no truth view");
    double ppi = im->ppi > 0 ? im->ppi : 500, scale = 500.0 / ppi;
    int resample = fabs(scale - 1) > 1e-3;
    mnt_image r500 = {0};
    const mnt_image *src = im;
    if (resample) {
        if ((rc = mnt_image_resample(im, scale, &r500, d))) return rc;
        src = &r500;
    } else {
        scale = 1;
    }
    int m = p->margin, sw = src->width, sh = src->height, w = sw + 2 * m, h = sh + 2 * m;
    size_t n = (size_t)w * h;
    float *g = NULL, *mean = NULL, *sd = NULL;
    size_t *queue = NULL;
    uint8_t *label = NULL;
    if ((rc = mnt_image_alloc(&out->image, w, h, 0, d))) goto done;
    out->image.ppi = 500;
    out->ridge = malloc(n * sizeof *out->ridge);
    out->strength = calloc(n, sizeof *out->strength);
    out->foreground = calloc(n, 1);
    g = malloc(n * sizeof *g);
    mean = malloc(n * sizeof *mean);
    sd = malloc(n * sizeof *sd);
    queue = malloc(n * sizeof *queue);
    label = malloc(n);
    if (!out->ridge || !out->strength || !out->foreground || !g || !mean || !sd || !queue || !label) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for a %dx%d print", w, h);
        goto done;
    }
    /* the print in the middle of a white canvas; the border repeats its edge for the
     * statistics so the image's own edge is no contrast */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int sx = x - m, sy = y - m, in = sx >= 0 && sy >= 0 && sx < sw && sy < sh;
            sx = sx < 0 ? 0 : sx >= sw ? sw - 1 : sx;
            sy = sy < 0 ? 0 : sy >= sh ? sh - 1 : sy;
            float v = src->px[(size_t)sy * sw + sx];
            g[(size_t)y * w + x] = v;
            out->image.px[(size_t)y * w + x] = in ? v : 1.0f;
        }

    /* foreground: local contrast against its 95th percentile */
    if ((rc = local_stats(g, w, h, p->foreground_sigma, mean, sd))) goto nomem;
    float p95 = quantile01(sd, n, 0.95);
    if (p95 < 0) goto nomem;
    if (!(p95 > 1e-3f)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "no print found (the image is flat)");
        goto done;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            int sx = x - m, sy = y - m, in = sx >= 0 && sy >= 0 && sx < sw && sy < sh;
            int allowed = 1;
            if (mask && in) {
                /* the mask is in im's pixels */
                int mx = (int)((sx + 0.5) / scale), my = (int)((sy + 0.5) / scale);
                mx = mx >= im->width ? im->width - 1 : mx;
                my = my >= im->height ? im->height - 1 : my;
                allowed = mask[(size_t)my * im->width + mx] != 0;
            }
            out->foreground[i] = (uint8_t)(in && allowed && sd[i] >= p->foreground_level * p95);
        }
    if (!largest_part(out->foreground, w, h, queue, label)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "no print found");
        goto done;
    }
    for (size_t i = 0; i < n; i++) mean[i] = out->foreground[i];
    if ((rc = mnt_box_blur(mean, w, h, 4))) goto nomem;
    for (size_t i = 0; i < n; i++) out->foreground[i] = mean[i] > 0.5f;

    /* ridge signal: +1 on dark ridges, faded where the print's own contrast is weak */
    if ((rc = mnt_gaussian_blur(g, w, h, 0.6))) goto nomem;
    if ((rc = local_stats(g, w, h, p->normalise_sigma, mean, sd))) goto nomem;
    float full = quantile01(sd, n, 0.95) * 0.5f;
    if (full < 0) goto nomem;
    const double t22 = tanh(2.2);
    for (size_t i = 0; i < n; i++) {
        if (!out->foreground[i]) {
            out->ridge[i] = -1;
            continue;
        }
        double v = -(g[i] - mean[i]) / (sqrt(2.0) * sd[i] + 1e-3), fade = sd[i] / (full + 1e-6);
        fade = fade < 1 ? fade : 1;
        out->strength[i] = (float)fade;
        /* faint means less deposit: towards -1, the bare surface */
        out->ridge[i] = (float)(-1 + fade * (1 + tanh(2.2 * v) / t22));
    }

    /* the truth in the new pixels */
    if ((rc = mnt_template_copy_view(truth, 0, &out->truth))) goto nomem;
    out->truth.width = w;
    out->truth.height = h;
    out->truth.ppi = 500;
    out->truth.xres = out->truth.yres = mnt_ppi_to_ppcm(500);
    out->truth.cls[0] = 0;
    out->truth.level[0] = 0;
    mnt_view *v = &out->truth.views[0];
    for (size_t i = 0; i < v->n; i++) {
        v->m[i].x = (v->m[i].x + 0.5) * scale - 0.5 + m;
        v->m[i].y = (v->m[i].y + 0.5) * scale - 0.5 + m;
    }
    rc = MNT_OK;
    goto done;
nomem:
    rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
done:
    free(g);
    free(mean);
    free(sd);
    free(queue);
    free(label);
    mnt_image_free(&r500);
    if (rc) mnt_synth_print_free(out);
    return rc;
}
