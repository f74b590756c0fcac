/* WSQ inverse wavelet transform: each of the 20 tree nodes, from the smallest (19) to
 * the whole image (0), is rebuilt from its four quadrants by a separable two-channel
 * synthesis, columns first, then rows.
 *
 * One line of n samples holds a low band of ceil(n/2) samples and a high band of
 * floor(n/2) (high first when the node is spectrally inverted). Sample k of the low
 * band sits at position 2k of the line, sample k of the high band at 2k + 1. Both
 * bands are extended by whole-sample symmetry about the line's first and last
 * positions (position p and -p, p and 2(n-1) - p carry the same value), as the
 * analysis extended the image, and
 *   x[m] = sum_p band(p) * g(m - p),  g = synthesis lowpass at even p, highpass at odd p,
 * with both filters odd-length, symmetric and centred. */
#include <stdlib.h>

#include "wsq_internal.h"

/* Position p folded into 0..n-1 by whole-sample symmetric extension (n >= 2). */
static int reflect(long p, int n)
{
    long period = 2L * (n - 1);
    p %= period;
    if (p < 0) p += period;
    if (p >= n) p = period - p;
    return (int)p;
}

typedef struct {
    int radius;
    double k[2][2 * WSQ_MAX_TAPS + 1]; /* k[m & 1][c + radius]: weight of z[m - c] in x[m] */
    double *z;                         /* line with its extension: z[i + radius] = position i */
    float *line, *out;
    float *region; /* copy of a node, for the column pass */
    double *acc;   /* one output row of the column pass */
} synth_ctx;

static void synth_line(synth_ctx *s, int n, int inv)
{
    int llen = (n + 1) / 2, hlen = n / 2, r = s->radius;
    const float *low = inv ? s->line + hlen : s->line, *high = inv ? s->line : s->line + llen;
    double *z = s->z + r;
    for (int k = 0; k < hlen; k++) {
        z[2 * k] = low[k];
        z[2 * k + 1] = high[k];
    }
    if (llen > hlen) z[n - 1] = low[llen - 1];
    for (int i = 1; i <= r; i++) {
        z[-i] = z[reflect(-i, n)];
        z[n - 1 + i] = z[reflect(n - 1 + i, n)];
    }
    for (int m = 0; m < n; m++) {
        const double *k = s->k[m & 1];
        const double *zm = z + m; /* zm[-c] = position m - c */
        double acc = 0;
        for (int c = -r; c <= r; c++) acc += zm[-c] * k[c + r];
        s->out[m] = (float)acc;
    }
}

/* Rebuilds n lines of length len starting at base, lines step by pitch, samples by stride. */
static void synth_lines(synth_ctx *s, float *base, int nlines, int len, size_t pitch, size_t stride, int inv)
{
    for (int l = 0; l < nlines; l++) {
        float *p = base + (size_t)l * pitch;
        for (int i = 0; i < len; i++) s->line[i] = p[(size_t)i * stride];
        synth_line(s, len, inv);
        for (int i = 0; i < len; i++) p[(size_t)i * stride] = s->out[i];
    }
}

/* The column pass over a node of lenx x leny at base, a whole row at a time (the same
 * sums as synth_line down each column, in the same order, with contiguous access). */
static void synth_columns(synth_ctx *s, float *base, int lenx, int leny, size_t width, int inv)
{
    size_t w = (size_t)lenx;
    for (int r = 0; r < leny; r++)
        for (size_t x = 0; x < w; x++) s->region[(size_t)r * w + x] = base[(size_t)r * width + x];
    int llen = (leny + 1) / 2, hlen = leny / 2;
    int low0 = inv ? hlen : 0, high0 = inv ? 0 : llen;
    for (int m = 0; m < leny; m++) {
        const double *k = s->k[m & 1];
        for (size_t x = 0; x < w; x++) s->acc[x] = 0;
        for (int c = -s->radius; c <= s->radius; c++) {
            double wt = k[c + s->radius];
            if (wt == 0) continue;
            int p = reflect(m - c, leny);
            const float *src = s->region + (size_t)(p % 2 == 0 ? low0 + p / 2 : high0 + p / 2) * w;
            for (size_t x = 0; x < w; x++) s->acc[x] += src[x] * wt;
        }
        float *dst = base + (size_t)m * width;
        for (size_t x = 0; x < w; x++) dst[x] = (float)s->acc[x];
    }
}

int wsq_synthesise(float *plane, int width, int height, const wsq_wnode w[WSQ_W_NODES], const wsq_transform *t,
                   mnt_diag *d)
{
    synth_ctx s = {0};
    int hl = t->lo_len / 2, hh = t->hi_len / 2;
    s.radius = hl > hh ? hl : hh;
    /* x[m] takes position p = m - c: p has the parity of m when c is even */
    for (int c = -s.radius; c <= s.radius; c++) {
        double lo = c >= -hl && c <= hl ? t->lo[c + hl] : 0, hi = c >= -hh && c <= hh ? t->hi[c + hh] : 0;
        int c_even = c % 2 == 0;
        s.k[0][c + s.radius] = c_even ? lo : hi; /* m even: p even when c even */
        s.k[1][c + s.radius] = c_even ? hi : lo; /* m odd: p odd when c even */
    }
    int maxlen = width > height ? width : height;
    s.z = malloc(((size_t)maxlen + 2 * (size_t)s.radius) * sizeof *s.z);
    s.line = malloc((size_t)maxlen * sizeof *s.line);
    s.out = malloc((size_t)maxlen * sizeof *s.out);
    s.region = malloc((size_t)width * (size_t)height * sizeof *s.region);
    s.acc = malloc((size_t)width * sizeof *s.acc);
    int rc = MNT_OK;
    if (!s.z || !s.line || !s.out || !s.region || !s.acc) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for the WSQ transform");
    } else {
        for (int node = WSQ_W_NODES - 1; node >= 0; node--) {
            const wsq_wnode *nd = &w[node];
            if (nd->lenx < 2 || nd->leny < 2) {
                rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "WSQ: image %dx%d too small for the WSQ decomposition", width,
                              height);
                break;
            }
            float *base = plane + (size_t)nd->y * (size_t)width + (size_t)nd->x;
            synth_columns(&s, base, nd->lenx, nd->leny, (size_t)width, nd->inv_cl);
            synth_lines(&s, base, nd->leny, nd->lenx, (size_t)width, 1, nd->inv_rw);
        }
    }
    free(s.z);
    free(s.line);
    free(s.out);
    free(s.region);
    free(s.acc);
    return rc;
}

/* ---- forward transform (encoder) ---- */

typedef struct {
    int r0, r1;                                 /* half lengths of h0, h1 */
    double h0[WSQ_MAX_TAPS], h1[WSQ_MAX_TAPS]; /* centred: h0[c + r0] */
    float *line, *out;
} analysis_ctx;

static void analyse_line(analysis_ctx *a, int n, int inv)
{
    int llen = (n + 1) / 2, hlen = n / 2;
    float *low = inv ? a->out + hlen : a->out, *high = inv ? a->out : a->out + llen;
    for (int k = 0; k < llen; k++) {
        double acc = 0;
        for (int c = -a->r0; c <= a->r0; c++) acc += a->h0[c + a->r0] * a->line[reflect(2L * k + c, n)];
        low[k] = (float)acc;
    }
    for (int k = 0; k < hlen; k++) {
        double acc = 0;
        for (int c = -a->r1; c <= a->r1; c++) acc += a->h1[c + a->r1] * a->line[reflect(2L * k + 1 + c, n)];
        high[k] = (float)acc;
    }
}

static void analyse_lines(analysis_ctx *a, float *base, int nlines, int len, size_t pitch, size_t stride, int inv)
{
    for (int l = 0; l < nlines; l++) {
        float *p = base + (size_t)l * pitch;
        for (int i = 0; i < len; i++) a->line[i] = p[(size_t)i * stride];
        analyse_line(a, len, inv);
        for (int i = 0; i < len; i++) p[(size_t)i * stride] = a->out[i];
    }
}

int wsq_analyse(float *plane, int width, int height, const wsq_wnode w[WSQ_W_NODES], const wsq_transform *t,
                mnt_diag *d)
{
    analysis_ctx a = {0};
    /* the analysis lowpass is the synthesis highpass with alternating signs, and the
     * analysis highpass the synthesis lowpass */
    a.r0 = t->hi_len / 2;
    a.r1 = t->lo_len / 2;
    for (int c = -a.r0; c <= a.r0; c++) a.h0[c + a.r0] = (c % 2 ? -1.0 : 1.0) * t->hi[c + a.r0];
    for (int c = -a.r1; c <= a.r1; c++) a.h1[c + a.r1] = (c % 2 ? -1.0 : 1.0) * t->lo[c + a.r1];
    int maxlen = width > height ? width : height;
    a.line = malloc((size_t)maxlen * sizeof *a.line);
    a.out = malloc((size_t)maxlen * sizeof *a.out);
    int rc = MNT_OK;
    if (!a.line || !a.out) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for the WSQ transform");
    } else {
        for (int node = 0; node < WSQ_W_NODES; node++) {
            const wsq_wnode *nd = &w[node];
            if (nd->lenx < 2 || nd->leny < 2) {
                rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "WSQ: image %dx%d too small for the WSQ decomposition", width,
                              height);
                break;
            }
            float *base = plane + (size_t)nd->y * (size_t)width + (size_t)nd->x;
            analyse_lines(&a, base, nd->leny, nd->lenx, (size_t)width, 1, nd->inv_rw);
            analyse_lines(&a, base, nd->lenx, nd->leny, 1, (size_t)width, nd->inv_cl);
        }
    }
    free(a.line);
    free(a.out);
    return rc;
}
