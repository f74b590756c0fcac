#include "jpeg_blocks.h"

#include <math.h>
#include <stdlib.h>

#include "mnt_math.h"

/* ITU-T T.81 Annex K, Table K.1 (luminance), row-major */
static const int LUMA[64] = {16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
                             14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
                             18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
                             49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};

void mnt_jpeg_table(int quality, int q[64])
{
    if (quality < 1) quality = 1;
    if (quality > 100) quality = 100;
    int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality; /* jpeg_quality_scaling */
    for (int i = 0; i < 64; i++) {
        int v = (LUMA[i] * scale + 50) / 100;
        q[i] = v < 1 ? 1 : v > 255 ? 255 : v;
    }
}

/* basis[k][x] = C(k)/2 cos((2x + 1) k pi / 16): F = B f B^T and f = B^T F B */
static void dct_basis(double b[8][8])
{
    for (int k = 0; k < 8; k++)
        for (int x = 0; x < 8; x++) b[k][x] = (k ? 0.5 : 0.5 / sqrt(2.0)) * cos((2 * x + 1) * k * MNT_PI / 16);
}

int mnt_jpeg_blocks(float *px, int w, int h, int quality, mnt_diag *d)
{
    if (!px || w <= 0 || h <= 0) return mnt_fail(d, MNT_ERR_ARG, "empty image");
    if (quality < 1 || quality > 100) return mnt_fail(d, MNT_ERR_ARG, "JPEG quality %d outside 1..100", quality);
    int q[64];
    double b[8][8];
    mnt_jpeg_table(quality, q);
    dct_basis(b);
    for (int by = 0; by < h; by += 8)
        for (int bx = 0; bx < w; bx += 8) {
            double f[8][8], t[8][8], c[8][8];
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++) {
                    int sx = bx + x < w ? bx + x : w - 1, sy = by + y < h ? by + y : h - 1;
                    double v = px[(size_t)sy * w + sx];
                    f[y][x] = 255.0 * (v < 0 ? 0 : v > 1 ? 1 : v) - 128.0;
                }
            /* forward: rows then columns */
            for (int y = 0; y < 8; y++)
                for (int u = 0; u < 8; u++) {
                    double s = 0;
                    for (int x = 0; x < 8; x++) s += b[u][x] * f[y][x];
                    t[y][u] = s;
                }
            for (int v = 0; v < 8; v++)
                for (int u = 0; u < 8; u++) {
                    double s = 0;
                    for (int y = 0; y < 8; y++) s += b[v][y] * t[y][u];
                    int qq = q[8 * v + u];
                    c[v][u] = qq * round(s / qq); /* quantise, dequantise */
                }
            /* inverse: columns then rows */
            for (int y = 0; y < 8; y++)
                for (int u = 0; u < 8; u++) {
                    double s = 0;
                    for (int v = 0; v < 8; v++) s += b[v][y] * c[v][u];
                    t[y][u] = s;
                }
            for (int y = 0; y < 8 && by + y < h; y++)
                for (int x = 0; x < 8 && bx + x < w; x++) {
                    double s = 0;
                    for (int u = 0; u < 8; u++) s += b[u][x] * t[y][u];
                    double g = round(s + 128.0);
                    px[(size_t)(by + y) * w + bx + x] = (float)((g < 0 ? 0 : g > 255 ? 255 : g) / 255.0);
                }
        }
    return MNT_OK;
}
