#include "filter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int mnt_gaussian_blur(float *plane, int w, int h, double sigma)
{
    if (sigma <= 0) return MNT_OK;
    int r = (int)ceil(3.0 * sigma);
    if (r > 200) r = 200;
    float *k = malloc((size_t)(2 * r + 1) * sizeof *k);
    int n = w > h ? w : h;
    float *line = malloc((size_t)n * sizeof *line);
    if (!k || !line) {
        free(k);
        free(line);
        return MNT_ERR_NOMEM;
    }
    double sum = 0;
    for (int i = -r; i <= r; i++) sum += k[i + r] = (float)exp(-0.5 * i * i / (sigma * sigma));
    for (int i = 0; i <= 2 * r; i++) k[i] = (float)(k[i] / sum);
    for (int y = 0; y < h; y++) {
        float *row = plane + (size_t)y * w;
        memcpy(line, row, (size_t)w * sizeof *line);
        for (int x = 0; x < w; x++) {
            float acc = 0;
            for (int i = -r; i <= r; i++) acc += k[i + r] * line[clampi(x + i, 0, w - 1)];
            row[x] = acc;
        }
    }
    for (int x = 0; x < w; x++) {
        for (int y = 0; y < h; y++) line[y] = plane[(size_t)y * w + x];
        for (int y = 0; y < h; y++) {
            float acc = 0;
            for (int i = -r; i <= r; i++) acc += k[i + r] * line[clampi(y + i, 0, h - 1)];
            plane[(size_t)y * w + x] = acc;
        }
    }
    free(k);
    free(line);
    return MNT_OK;
}

/* One row, horizontally: out[x] = mean of in[a..b], a = max(x - r, 0), b = min(x + r, w - 1),
 * from prefix sums in double (cum: w + 1, filled by the caller). The interior, where
 * the window is whole, has no clamps and a constant divisor, so it vectorises; the same
 * sums and divisions as the reference, hence the same floats. */
static void box_row(float *row, int w, int r, const double *cum)
{
    int lo = r < w ? r : w, hi = w - 1 - r; /* interior: lo <= x <= hi */
    if (hi < lo - 1) hi = lo - 1;
    const double n = 2 * r + 1;
    for (int x = 0; x < lo && x < w; x++) {
        int b = clampi(x + r, 0, w - 1);
        row[x] = (float)((cum[b + 1] - cum[0]) / (b + 1));
    }
    for (int x = lo; x <= hi; x++) row[x] = (float)((cum[x + r + 1] - cum[x - r]) / n);
    for (int x = hi + 1 > lo ? hi + 1 : lo; x < w; x++) {
        int a = clampi(x - r, 0, w - 1);
        row[x] = (float)((cum[w] - cum[a]) / (w - a));
    }
}

/* Rows y0 .. y0 + 3 horizontally: their prefix sums side by side (cum: 4 (w + 1)), four
 * independent chains of adds instead of one, each in the order of a single row. */
static void box_rows4(float *plane, int w, int y0, int r, double *cum)
{
    float *r0 = plane + (size_t)y0 * w, *r1 = r0 + w, *r2 = r1 + w, *r3 = r2 + w;
    double *c0 = cum, *c1 = c0 + w + 1, *c2 = c1 + w + 1, *c3 = c2 + w + 1;
    c0[0] = c1[0] = c2[0] = c3[0] = 0;
    for (int x = 0; x < w; x++) {
        c0[x + 1] = c0[x] + r0[x];
        c1[x + 1] = c1[x] + r1[x];
        c2[x + 1] = c2[x] + r2[x];
        c3[x + 1] = c3[x] + r3[x];
    }
    box_row(r0, w, r, c0);
    box_row(r1, w, r, c1);
    box_row(r2, w, r, c2);
    box_row(r3, w, r, c3);
}

int mnt_box_blur(float *plane, int w, int h, int r)
{
    if (r <= 0) return MNT_OK;
    int n = w > h ? w : h, keep = r + 1 < h ? r + 1 : h;
    /* ring: the original rows y - r .. y (keep x w), the ones the running column sums
     * still have to take out after the rows were overwritten */
    double *cum = malloc(4 * (size_t)(n + 1) * sizeof *cum), *acc = malloc((size_t)w * sizeof *acc);
    float *ring = malloc((size_t)keep * w * sizeof *ring);
    if (!cum || !acc || !ring) {
        free(cum);
        free(acc);
        free(ring);
        return MNT_ERR_NOMEM;
    }
    int rows = 0;
    for (; rows + 4 <= h; rows += 4) box_rows4(plane, w, rows, r, cum);
    for (; rows < h; rows++) {
        const float *row = plane + (size_t)rows * w;
        cum[0] = 0;
        for (int x = 0; x < w; x++) cum[x + 1] = cum[x] + row[x];
        box_row(plane + (size_t)rows * w, w, r, cum);
    }
    /* vertical: running column sums, row by row (walking down columns would miss the
     * cache on every pixel) */
    for (int x = 0; x < w; x++) acc[x] = 0;
    for (int k = 0; k <= r && k < h; k++)
        for (int x = 0; x < w; x++) acc[x] += plane[(size_t)k * w + x];
    for (int y = 0; y < h; y++) {
        int a = y - r, b = y + r;
        double inv = 1.0 / (clampi(b, 0, h - 1) - clampi(a, 0, h - 1) + 1);
        float *row = plane + (size_t)y * w, *saved = ring + (size_t)(y % keep) * w;
        memcpy(saved, row, (size_t)w * sizeof *saved);
        for (int x = 0; x < w; x++) row[x] = (float)(acc[x] * inv);
        if (b + 1 < h)
            for (int x = 0; x < w; x++) acc[x] += plane[(size_t)(b + 1) * w + x];
        if (a >= 0) {
            const float *old = ring + (size_t)(a % keep) * w;
            for (int x = 0; x < w; x++) acc[x] -= old[x];
        }
    }
    free(cum);
    free(acc);
    free(ring);
    return MNT_OK;
}

/* The first version, kept as the reference the one above is tested against (equal
 * floats): a whole copy of the plane for the vertical pass, clamps on every pixel. */
int mnt_box_blur_reference(float *plane, int w, int h, int r)
{
    if (r <= 0) return MNT_OK;
    int n = w > h ? w : h;
    double *cum = malloc(4 * (size_t)(n + 1) * sizeof *cum), *acc = malloc((size_t)w * sizeof *acc);
    float *copy = malloc((size_t)w * h * sizeof *copy);
    if (!cum || !acc || !copy) {
        free(cum);
        free(acc);
        free(copy);
        return MNT_ERR_NOMEM;
    }
    for (int y = 0; y < h; y++) {
        float *row = plane + (size_t)y * w;
        cum[0] = 0;
        for (int x = 0; x < w; x++) cum[x + 1] = cum[x] + row[x];
        for (int x = 0; x < w; x++) {
            int a = clampi(x - r, 0, w - 1), b = clampi(x + r, 0, w - 1);
            row[x] = (float)((cum[b + 1] - cum[a]) / (b - a + 1));
        }
    }
    /* vertical: running column sums, row by row (walking down columns would miss the
     * cache on every pixel) */
    memcpy(copy, plane, (size_t)w * h * sizeof *copy);
    for (int x = 0; x < w; x++) acc[x] = 0;
    for (int k = 0; k <= r && k < h; k++)
        for (int x = 0; x < w; x++) acc[x] += copy[(size_t)k * w + x];
    for (int y = 0; y < h; y++) {
        int a = y - r, b = y + r;
        double inv = 1.0 / (clampi(b, 0, h - 1) - clampi(a, 0, h - 1) + 1);
        float *row = plane + (size_t)y * w;
        for (int x = 0; x < w; x++) row[x] = (float)(acc[x] * inv);
        if (b + 1 < h)
            for (int x = 0; x < w; x++) acc[x] += copy[(size_t)(b + 1) * w + x];
        if (a >= 0)
            for (int x = 0; x < w; x++) acc[x] -= copy[(size_t)a * w + x];
    }
    free(cum);
    free(acc);
    free(copy);
    return MNT_OK;
}

int mnt_smooth(float *plane, int w, int h, double sigma)
{
    /* two passes of radius r have variance 2 ((2r+1)^2 - 1) / 12 */
    int r = (int)lround((sqrt(6.0 * sigma * sigma + 1.0) - 1.0) / 2.0);
    if (r < 1) return mnt_gaussian_blur(plane, w, h, sigma);
    int rc = mnt_box_blur(plane, w, h, r);
    return rc ? rc : mnt_box_blur(plane, w, h, r);
}
