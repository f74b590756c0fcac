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

int mnt_box_blur(float *plane, int w, int h, int r)
{
    if (r <= 0) return MNT_OK;
    int n = w > h ? w : h;
    double *cum = malloc((size_t)(n + 1) * sizeof *cum), *acc = malloc((size_t)w * sizeof *acc);
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
