/* WSQ encoder: shift/scale to about +-128, the forward 9/7 transform over the standard
 * 64-subband tree, the spec's bit allocation for a target rate (bin widths from the
 * subband variances), dead-zone quantisation (zero bin 1.2 bin widths, bin centre 0.44),
 * Huffman tables built from the symbol counts (JPEG Annex K.2, at most 16 bits), and the
 * stream NBIS writes: SOI, NISTCOM, DTT, DQT, SOF, DHT 0, SOB (subbands 0..18), DHT 1,
 * SOB (19..51), SOB (52..59), EOI. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wsq.h"
#include "wsq_internal.h"

/* The standard's analysis filters, centre tap first, as NBIS tabulates them. */
static const double A_LO[5] = {0.852698679009, 0.377402855613, -0.110624404418, -0.023849465020, 0.037828455507};
static const double A_HI[4] = {0.788485616406, -0.418092273222, -0.040689417609, 0.064538882629};

/* Largest decimal scale at which |v| fits in max, and the value the decoder will read. */
static unsigned pick_scale(double v, double max, uint32_t *raw)
{
    unsigned s = 0;
    double a = fabs(v);
    while (s < 12 && round(a * pow(10.0, s + 1)) <= max) s++;
    *raw = (uint32_t)round(a * pow(10.0, s));
    return s;
}

/* (scale, u16) pair; returns the value as decoded. */
static float put_scaled16(mnt_buf *b, double v)
{
    uint32_t raw;
    unsigned s = pick_scale(v, 65535, &raw);
    mnt_buf_u8(b, s);
    mnt_buf_u16(b, raw);
    return wsq_scaled(raw, s);
}

/* (sign, scale, u32) filter coefficient; returns the value as decoded. */
static float put_coefficient(mnt_buf *b, double v)
{
    uint32_t raw;
    unsigned s = pick_scale(v, 4294967295.0, &raw);
    mnt_buf_u8(b, v < 0);
    mnt_buf_u8(b, s);
    mnt_buf_u32(b, raw);
    float f = wsq_scaled(raw, s);
    return v < 0 ? -f : f;
}

/* ---- symbols ---- */

typedef struct {
    uint8_t sym;
    uint8_t nextra; /* 0, 8 or 16 */
    uint16_t extra;
} wsq_sym;

typedef struct {
    wsq_sym *s;
    size_t n, cap;
} sym_list;

static int push(sym_list *l, unsigned sym, unsigned nextra, unsigned extra)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4096;
        wsq_sym *ns = realloc(l->s, cap * sizeof *ns);
        if (!ns) return -1;
        l->s = ns;
        l->cap = cap;
    }
    wsq_sym v = {(uint8_t)sym, (uint8_t)nextra, (uint16_t)extra};
    l->s[l->n++] = v;
    return 0;
}

static int push_run(sym_list *l, size_t run)
{
    while (run > 0) {
        size_t r = run > 65535 ? 65535 : run;
        int rc = r <= 100 ? push(l, (unsigned)r, 0, 0) : r <= 255 ? push(l, 105, 8, (unsigned)r) : push(l, 106, 16, (unsigned)r);
        if (rc) return rc;
        run -= r;
    }
    return 0;
}

static int push_value(sym_list *l, int32_t v)
{
    if (v >= -73 && v <= 74) return push(l, (unsigned)(v + 180), 0, 0);
    unsigned a = (unsigned)(v < 0 ? -v : v);
    if (a <= 255) return push(l, v > 0 ? 101 : 102, 8, a);
    return push(l, v > 0 ? 103 : 104, 16, a > 65535 ? 65535 : a);
}

static int block_symbols(const int32_t *q, size_t n, sym_list *l)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i] == 0) {
            run++;
            continue;
        }
        if (push_run(l, run) || push_value(l, q[i])) return -1;
        run = 0;
    }
    return push_run(l, run);
}

/* ---- Huffman tables (JPEG Annex K.2: lengths from counts, limited to 16 bits, the
 * all-ones code kept free by a reserved symbol) ---- */

static void huff_lengths(const long *count_in, uint8_t bits[16], uint8_t *values, int *nvalues)
{
    long freq[257];
    int size[257], others[257];
    memcpy(freq, count_in, 256 * sizeof *freq);
    int any = 0;
    for (int i = 0; i < 256; i++) any |= freq[i] > 0;
    if (!any) freq[1] = 1; /* an empty block still needs a table */
    freq[256] = 1;
    for (int i = 0; i < 257; i++) size[i] = 0, others[i] = -1;
    for (;;) {
        int v1 = -1, v2 = -1;
        for (int i = 0; i < 257; i++)
            if (freq[i] > 0 && (v1 < 0 || freq[i] <= freq[v1])) v1 = i;
        for (int i = 0; i < 257; i++)
            if (freq[i] > 0 && i != v1 && (v2 < 0 || freq[i] <= freq[v2])) v2 = i;
        if (v2 < 0) break;
        freq[v1] += freq[v2];
        freq[v2] = 0;
        size[v1]++;
        while (others[v1] >= 0) v1 = others[v1], size[v1]++;
        others[v1] = v2;
        size[v2]++;
        while (others[v2] >= 0) v2 = others[v2], size[v2]++;
    }
    int nb[64] = {0};
    for (int i = 0; i < 257; i++)
        if (size[i]) nb[size[i] < 63 ? size[i] : 63]++;
    for (int i = 63; i > 16; i--) {
        while (nb[i] > 0) {
            int j = i - 2;
            while (nb[j] == 0) j--;
            nb[i] -= 2;
            nb[i - 1]++;
            nb[j + 1] += 2;
            nb[j]--;
        }
    }
    int i = 16;
    while (nb[i] == 0) i--;
    nb[i]--; /* the reserved symbol goes */
    for (int l = 0; l < 16; l++) bits[l] = (uint8_t)nb[l + 1];
    /* values by increasing length (the reserved symbol, among the longest, is last) */
    int k = 0;
    for (int len = 1; len <= 63; len++)
        for (int s = 0; s < 256; s++)
            if (size[s] == len) values[k++] = (uint8_t)s;
    *nvalues = k;
}

typedef struct {
    uint16_t code[256];
    uint8_t len[256];
} huff_codes;

/* Canonical codes of values in order, lengths from bits; the lengths after the 16-bit
 * limit come from bits, not from the tree, so assign them in the table's order. */
static void huff_codes_of(const uint8_t bits[16], const uint8_t *values, huff_codes *hc)
{
    memset(hc, 0, sizeof *hc);
    unsigned code = 0;
    int k = 0;
    for (int l = 1; l <= 16; l++) {
        for (int i = 0; i < bits[l - 1]; i++) {
            hc->code[values[k]] = (uint16_t)code++;
            hc->len[values[k]] = (uint8_t)l;
            k++;
        }
        code <<= 1;
    }
}

static void write_dht(mnt_buf *b, unsigned id, const uint8_t bits[16], const uint8_t *values, int nvalues)
{
    mnt_buf_u16(b, WSQ_DHT);
    mnt_buf_u16(b, (unsigned)(2 + 1 + 16 + nvalues));
    mnt_buf_u8(b, id);
    mnt_buf_put(b, bits, 16);
    mnt_buf_put(b, values, (size_t)nvalues);
}

/* ---- entropy-coded bits with FF 00 stuffing, padded with ones ---- */

typedef struct {
    mnt_buf *b;
    unsigned cur;
    int n;
} bit_writer;

static void put_bits(bit_writer *w, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        w->cur = w->cur << 1 | ((v >> i) & 1u);
        if (++w->n == 8) {
            mnt_buf_u8(w->b, w->cur);
            if (w->cur == 0xFF) mnt_buf_u8(w->b, 0);
            w->cur = 0;
            w->n = 0;
        }
    }
}

static void flush_bits(bit_writer *w)
{
    while (w->n) put_bits(w, 1, 1);
}

static void write_block(mnt_buf *b, unsigned id, const sym_list *l, const huff_codes *hc)
{
    mnt_buf_u16(b, WSQ_SOB);
    mnt_buf_u16(b, 3);
    mnt_buf_u8(b, id);
    bit_writer w = {b, 0, 0};
    for (size_t i = 0; i < l->n; i++) {
        put_bits(&w, hc->code[l->s[i].sym], hc->len[l->s[i].sym]);
        if (l->s[i].nextra) put_bits(&w, l->s[i].extra, l->s[i].nextra);
    }
    flush_bits(&w);
}

/* ---- the stream ---- */

static void write_nistcom(mnt_buf *b, const mnt_image *im, double bitrate)
{
    mnt_buf body = {0};
    mnt_buf_printf(&body, "NIST_COM 9\nPIX_WIDTH %d\nPIX_HEIGHT %d\nPIX_DEPTH 8\nPPI %d\nLOSSY 1\nCOLORSPACE GRAY\n"
                          "COMPRESSION WSQ\nWSQ_BITRATE %f",
                   im->width, im->height, im->ppi > 0 ? (int)lround(im->ppi) : -1, bitrate);
    if (body.failed) b->failed = 1;
    mnt_buf_u16(b, WSQ_COM);
    mnt_buf_u16(b, (unsigned)(2 + body.len));
    mnt_buf_put(b, body.data, body.len);
    mnt_buf_free(&body);
}

/* Subbands coded in each of the three blocks. */
static const int BLOCK_FIRST[4] = {0, 19, 52, WSQ_CODED_SUBBANDS};

/* Variance of a subband over the central part the spec samples (3/4 of the width from
 * 1/8 in, 7/16 of the height from 9/32 down), or over all of it. */
static double band_variance(const float *plane, int width, const wsq_band *b, int central)
{
    int x0 = b->x, y0 = b->y, lx = b->lenx, ly = b->leny;
    if (central) {
        x0 += b->lenx / 8;
        y0 += 9 * b->leny / 32;
        lx = 3 * b->lenx / 4;
        ly = 7 * b->leny / 16;
    }
    double n = (double)lx * ly;
    if (n < 2) return 0;
    double sum = 0, ssq = 0;
    for (int r = 0; r < ly; r++) {
        const float *row = plane + (size_t)(y0 + r) * (size_t)width + (size_t)x0;
        for (int c = 0; c < lx; c++) sum += row[c], ssq += (double)row[c] * row[c];
    }
    return (ssq - sum * sum / n) / (n - 1);
}

/* Bin widths for a target bit rate (the spec's bit allocation): relative widths from
 * the subband variances and weights, scaled by the q that spends the rate over the
 * subbands whose share stays positive. Subbands of variance under 1.01 are not coded. */
static void bin_widths(const float *plane, int width, const wsq_band *bands, double rate, double qbin[WSQ_SUBBANDS])
{
    enum { N = WSQ_CODED_SUBBANDS };
    double var[N], sigma[N], rel[N], m[N];
    double v03 = 0;
    for (int k = 0; k < 4; k++) v03 += var[k] = band_variance(plane, width, &bands[k], 1);
    for (int k = 4; k < N; k++) var[k] = band_variance(plane, width, &bands[k], v03 >= 20000);
    if (v03 < 20000)
        for (int k = 0; k < 4; k++) var[k] = band_variance(plane, width, &bands[k], 0);
    int in0[N], in[N];
    for (int k = 0; k < N; k++) {
        double a = k == 52 || k == 56 ? 1.32 : k == 54 || k == 57 ? 1.42 : k >= 52 ? 1.08 : 1.0;
        in0[k] = in[k] = var[k] >= 1.01;
        sigma[k] = sqrt(var[k] > 0 ? var[k] : 0);
        rel[k] = !in0[k] ? 0 : k < 4 ? 1.0 : 10.0 / (a * log(var[k]));
        m[k] = k < 4 ? 1.0 / 1024 : k < 51 ? 1.0 / 256 : 1.0 / 16; /* each band's share of the image */
    }
    double q = 1;
    for (int iter = 0; iter < N; iter++) {
        double S = 0, logP = 0;
        for (int k = 0; k < N; k++)
            if (in[k]) S += m[k], logP += m[k] * log(sigma[k] / rel[k]);
        if (S <= 0) break;
        q = pow(2.0, rate / S - 1.0) / 2.5 / exp(logP / S);
        int dropped = 0;
        for (int k = 0; k < N; k++)
            if (in[k] && rel[k] / q >= 5.0 * sigma[k]) in[k] = 0, dropped = 1;
        if (!dropped) break;
    }
    for (int k = 0; k < WSQ_SUBBANDS; k++) qbin[k] = k < N && in0[k] ? rel[k] / q : 0;
}

int mnt_wsq_encode(const mnt_image *im, double bitrate, mnt_buf *out, mnt_diag *d)
{
    if (!im || !im->px || !out) return mnt_fail(d, MNT_ERR_ARG, "WSQ encode: no image");
    if (!(bitrate >= 0.05 && bitrate <= 8))
        return mnt_fail(d, MNT_ERR_ARG, "WSQ encode: bit rate %g outside 0.05..8 bits per pixel", bitrate);
    int w = im->width, h = im->height;
    if (w < WSQ_MIN_DIM || h < WSQ_MIN_DIM || w > 65535 || h > 65535)
        return mnt_fail(d, MNT_ERR_ARG, "WSQ encode: image %dx%d outside %d..65535 a side", w, h, WSQ_MIN_DIM);
    size_t n = (size_t)w * (size_t)h;
    float *plane = malloc(n * sizeof *plane);
    int32_t *q = malloc(n * sizeof *q);
    sym_list syms[3] = {{0}};
    mnt_buf head = {0};
    int rc = MNT_OK;
    if (!plane || !q) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for WSQ encoding");
        goto done;
    }
    /* 8-bit pixels, their mean and spread */
    double sum = 0;
    int lo = 255, hi = 0;
    for (size_t i = 0; i < n; i++) {
        float v = im->px[i] * 255.0f + 0.5f;
        int p = !(v >= 0) ? 0 : v > 255 ? 255 : (int)v; /* NaN -> 0 */
        plane[i] = (float)p;
        sum += p;
        lo = p < lo ? p : lo;
        hi = p > hi ? p : hi;
    }
    mnt_buf_u16(&head, WSQ_SOI);
    write_nistcom(&head, im, bitrate);

    /* DTT: the decoder's synthesis filters from the analysis ones */
    wsq_transform t = {0};
    t.hi_len = 9;
    t.lo_len = 7;
    mnt_buf_u16(&head, WSQ_DTT);
    mnt_buf_u16(&head, 2 + 2 + 6 * (5 + 4));
    mnt_buf_u8(&head, 9);
    mnt_buf_u8(&head, 7);
    for (int k = 0; k < 5; k++) {
        float v = put_coefficient(&head, A_LO[k]);
        t.hi[4 + k] = t.hi[4 - k] = k % 2 ? -v : v;
    }
    for (int k = 0; k < 4; k++) {
        float v = put_coefficient(&head, A_HI[k]);
        t.lo[3 + k] = t.lo[3 - k] = k % 2 ? -v : v;
    }
    t.defined = 1;

    /* shift to the mean, scale the larger excursion to 128; the transform */
    mnt_buf sof = {0};
    double mean = sum / (double)n, spread = fmax(hi - mean, mean - lo) / 128.0;
    mnt_buf_u16(&sof, WSQ_SOF);
    mnt_buf_u16(&sof, 17);
    mnt_buf_u8(&sof, 0);
    mnt_buf_u8(&sof, 255);
    mnt_buf_u16(&sof, (unsigned)h);
    mnt_buf_u16(&sof, (unsigned)w);
    float m_shift = put_scaled16(&sof, mean), r_scale = put_scaled16(&sof, spread > 0.01 ? spread : 1.0);
    mnt_buf_u8(&sof, 2);
    mnt_buf_u16(&sof, 0);
    for (size_t i = 0; i < n; i++) plane[i] = (plane[i] - m_shift) / r_scale;
    wsq_wnode nodes[WSQ_W_NODES];
    wsq_band bands[WSQ_SUBBANDS];
    wsq_build_trees(w, h, nodes, bands);
    if ((rc = wsq_analyse(plane, w, h, nodes, &t, d))) {
        mnt_buf_free(&sof);
        goto done;
    }

    /* DQT from the bit allocation */
    double want[WSQ_SUBBANDS];
    float qbin[WSQ_SUBBANDS], zbin[WSQ_SUBBANDS];
    bin_widths(plane, w, bands, bitrate, want);
    mnt_buf_u16(&head, WSQ_DQT);
    mnt_buf_u16(&head, 2 + 3 + 6 * WSQ_SUBBANDS);
    mnt_buf_u8(&head, 2); /* bin centre 0.44, written as cwsq does */
    mnt_buf_u16(&head, 44);
    for (int b = 0; b < WSQ_SUBBANDS; b++) {
        /* coarse enough for 16-bit coefficients, fine enough for a u16 at scale 1 */
        double peak = 0;
        for (int r = 0; b < WSQ_CODED_SUBBANDS && r < bands[b].leny; r++)
            for (int c = 0; c < bands[b].lenx; c++)
                peak = fmax(peak, fabs(plane[(size_t)(bands[b].y + r) * (size_t)w + (size_t)(bands[b].x + c)]));
        double qv = want[b] > 0 ? fmin(fmax(want[b], peak / 60000.0), 6000.0) : 0;
        qbin[b] = put_scaled16(&head, qv);
        zbin[b] = put_scaled16(&head, 1.2 * qv);
    }
    mnt_buf_put(&head, sof.data, sof.len);
    if (sof.failed) head.failed = 1;
    mnt_buf_free(&sof);
    if (head.failed) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for WSQ encoding");
        goto done;
    }

    /* quantise the coded subbands, in the order the decoder reads them */
    size_t k = 0, block_start[4] = {0};
    for (int b = 0; b < WSQ_CODED_SUBBANDS; b++) {
        for (int blk = 0; blk < 4; blk++)
            if (BLOCK_FIRST[blk] == b) block_start[blk] = k;
        if (qbin[b] == 0.0f) continue;
        double half_z = zbin[b] / 2.0;
        for (int r = 0; r < bands[b].leny; r++) {
            const float *row = plane + (size_t)(bands[b].y + r) * (size_t)w + (size_t)bands[b].x;
            for (int col = 0; col < bands[b].lenx; col++) {
                double x = row[col];
                long v = 0;
                if (x > half_z) v = (long)((x - half_z) / qbin[b]) + 1;
                else if (x < -half_z) v = (long)((x + half_z) / qbin[b]) - 1;
                q[k++] = (int32_t)(v > 65535 ? 65535 : v < -65535 ? -65535 : v);
            }
        }
    }
    block_start[3] = k;

    for (int blk = 0; blk < 3; blk++)
        if (block_symbols(q + block_start[blk], block_start[blk + 1] - block_start[blk], &syms[blk])) {
            rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for WSQ encoding");
            goto done;
        }
    /* table 0 for block 1, table 1 for blocks 2 and 3; an empty block still gets its SOB */
    mnt_buf_put(out, head.data, head.len);
    for (int table = 0; table < 2; table++) {
        long count[256] = {0};
        for (int blk = table; blk < (table ? 3 : 1); blk++)
            for (size_t i = 0; i < syms[blk].n; i++) count[syms[blk].s[i].sym]++;
        uint8_t bits[16], values[256];
        int nvalues;
        huff_lengths(count, bits, values, &nvalues);
        huff_codes hc;
        huff_codes_of(bits, values, &hc);
        write_dht(out, (unsigned)table, bits, values, nvalues);
        for (int blk = table; blk < (table ? 3 : 1); blk++) write_block(out, (unsigned)table, &syms[blk], &hc);
    }
    mnt_buf_u16(out, WSQ_EOI);
    if (out->failed) rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for WSQ encoding");
done:
    mnt_buf_free(&head);
    for (int blk = 0; blk < 3; blk++) free(syms[blk].s);
    free(plane);
    free(q);
    return rc;
}
