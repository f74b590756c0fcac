/* WSQ stream parsing: markers and segments (DTT, DQT, DHT, SOF, SOB, COM), limits on
 * every field, then entropy decoding, dequantisation, synthesis and the shift/scale
 * back to 8-bit pixels. */
#include "wsq.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "wsq_internal.h"

typedef struct {
    mnt_cursor c;
    wsq_transform dtt;
    wsq_quant dqt;
    wsq_huff_table dht[WSQ_HUFF_TABLES];
    wsq_frame frame;
    int have_frame;
    double ppi;
    mnt_diag *d;
} wsq_ctx;

float wsq_scaled(uint32_t raw, unsigned scale)
{
    float v = (float)raw;
    while (scale-- > 0) v = (float)(v / 10.0);
    return v;
}

int mnt_is_wsq(const uint8_t *data, size_t len)
{
    return len >= 2 && data[0] == 0xFF && data[1] == 0xA0;
}

static const char *marker_name(unsigned m)
{
    switch (m) {
    case WSQ_DTT: return "transform table (DTT)";
    case WSQ_DQT: return "quantisation table (DQT)";
    case WSQ_DHT: return "Huffman table (DHT)";
    case WSQ_SOF: return "frame header (SOF)";
    case WSQ_SOB: return "block header (SOB)";
    case WSQ_COM: return "comment (COM)";
    case WSQ_DRT: return "restart interval (DRT)";
    default: return "segment";
    }
}

static int seg_scaled16(mnt_cursor *s, float *v, const char *field, mnt_diag *d)
{
    unsigned scale, raw;
    int rc = mnt_cur_u8(s, &scale, field, d);
    if (!rc) rc = mnt_cur_u16(s, &raw, field, d);
    if (!rc) *v = wsq_scaled(raw, scale);
    return rc;
}

/* Opens the segment whose length field is at the cursor: seg covers its payload. */
static int open_segment(wsq_ctx *x, unsigned marker, size_t at, mnt_cursor *seg)
{
    unsigned len;
    int rc = mnt_cur_u16(&x->c, &len, marker_name(marker), x->d);
    if (rc) return rc;
    if (len < 2)
        return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: %s at byte %zu has length %u (at least 2)", marker_name(marker), at,
                        len);
    if (len - 2 > mnt_cur_left(&x->c))
        return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: truncated: %s at byte %zu declares %u bytes, %zu left",
                        marker_name(marker), at, len, mnt_cur_left(&x->c) + 2);
    seg->p = x->c.p + x->c.pos;
    seg->len = len - 2;
    seg->pos = 0;
    x->c.pos += len - 2;
    return MNT_OK;
}

static int end_segment(wsq_ctx *x, const mnt_cursor *seg, unsigned marker, size_t at)
{
    if (seg->pos != seg->len)
        return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: %s at byte %zu has %zu unexpected trailing bytes",
                        marker_name(marker), at, seg->len - seg->pos);
    return MNT_OK;
}

/* Symmetric filter of odd length n from its n/2 + 1 stored halves: the table gives the
 * analysis filters; the synthesis filters are them with alternating signs, the
 * analysis lowpass becoming the synthesis highpass and the reverse. */
static int read_filter(mnt_cursor *s, unsigned n, float *out, const char *which, mnt_diag *d)
{
    int h = (int)n / 2;
    for (int k = 0; k <= h; k++) {
        unsigned sign, scale;
        uint32_t raw;
        int rc = mnt_cur_u8(s, &sign, which, d);
        if (!rc) rc = mnt_cur_u8(s, &scale, which, d);
        if (!rc) rc = mnt_cur_u32(s, &raw, which, d);
        if (rc) return rc;
        if (sign > 1) return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: %s coefficient %d has sign byte %u (0 or 1)", which, k, sign);
        float v = wsq_scaled(raw, scale);
        if (sign) v = -v;
        if (k % 2) v = -v;
        out[h + k] = out[h - k] = v;
    }
    return MNT_OK;
}

static int read_dtt(wsq_ctx *x, size_t at)
{
    mnt_cursor s;
    int rc = open_segment(x, WSQ_DTT, at, &s);
    unsigned nlo, nhi;
    if (!rc) rc = mnt_cur_u8(&s, &nlo, "DTT lowpass length", x->d);
    if (!rc) rc = mnt_cur_u8(&s, &nhi, "DTT highpass length", x->d);
    if (rc) return rc;
    if (nlo == 0 || nhi == 0 || nlo > WSQ_MAX_TAPS || nhi > WSQ_MAX_TAPS)
        return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: transform table filter lengths %u and %u outside 1..%d", nlo, nhi,
                        WSQ_MAX_TAPS);
    if (nlo % 2 == 0 || nhi % 2 == 0)
        return mnt_fail(x->d, MNT_ERR_UNSUPPORTED,
                        "WSQ: transform table with even filter lengths (%u, %u): only odd, symmetric filters are supported",
                        nlo, nhi);
    wsq_transform t = {0};
    t.hi_len = (int)nlo; /* analysis lowpass -> synthesis highpass */
    t.lo_len = (int)nhi;
    if ((rc = read_filter(&s, nlo, t.hi, "DTT lowpass filter", x->d))) return rc;
    if ((rc = read_filter(&s, nhi, t.lo, "DTT highpass filter", x->d))) return rc;
    if ((rc = end_segment(x, &s, WSQ_DTT, at))) return rc;
    t.defined = 1;
    x->dtt = t;
    return MNT_OK;
}

static int read_dqt(wsq_ctx *x, size_t at)
{
    mnt_cursor s;
    int rc = open_segment(x, WSQ_DQT, at, &s);
    if (rc) return rc;
    wsq_quant q = {0};
    if ((rc = seg_scaled16(&s, &q.bin_center, "DQT bin centre", x->d))) return rc;
    for (int b = 0; b < WSQ_SUBBANDS; b++) {
        if ((rc = seg_scaled16(&s, &q.q[b], "DQT bin width", x->d))) return rc;
        if ((rc = seg_scaled16(&s, &q.z[b], "DQT zero-bin width", x->d))) return rc;
    }
    if ((rc = end_segment(x, &s, WSQ_DQT, at))) return rc;
    q.defined = 1;
    x->dqt = q;
    return MNT_OK;
}

static int read_dht(wsq_ctx *x, size_t at)
{
    mnt_cursor s;
    int rc = open_segment(x, WSQ_DHT, at, &s);
    if (rc) return rc;
    if (s.len == 0) return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: empty Huffman table segment at byte %zu", at);
    while (mnt_cur_left(&s) > 0) {
        unsigned id, cnt;
        if ((rc = mnt_cur_u8(&s, &id, "DHT table id", x->d))) return rc;
        if (id >= WSQ_HUFF_TABLES)
            return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: Huffman table id %u out of range 0..%d", id, WSQ_HUFF_TABLES - 1);
        wsq_huff_table t = {0};
        int total = 0;
        for (int l = 0; l < 16; l++) {
            if ((rc = mnt_cur_u8(&s, &cnt, "DHT code counts", x->d))) return rc;
            t.bits[l] = (uint8_t)cnt;
            total += (int)cnt;
        }
        if (total == 0 || total > WSQ_HUFF_VALUES)
            return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: Huffman table %u declares %d values (1..%d)", id, total,
                            WSQ_HUFF_VALUES);
        if ((size_t)total > mnt_cur_left(&s))
            return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: truncated: Huffman table %u declares %d values, %zu bytes left",
                            id, total, mnt_cur_left(&s));
        memcpy(t.values, s.p + s.pos, (size_t)total);
        s.pos += (size_t)total;
        t.nvalues = total;
        t.defined = 1;
        x->dht[id] = t;
    }
    return MNT_OK;
}

static int read_sof(wsq_ctx *x, size_t at, size_t max_pixels)
{
    if (x->have_frame) return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: second frame header (SOF) at byte %zu", at);
    mnt_cursor s;
    int rc = open_segment(x, WSQ_SOF, at, &s);
    wsq_frame f = {0};
    unsigned h = 0, w = 0;
    if (!rc) rc = mnt_cur_u8(&s, &f.black, "SOF black", x->d);
    if (!rc) rc = mnt_cur_u8(&s, &f.white, "SOF white", x->d);
    if (!rc) rc = mnt_cur_u16(&s, &h, "SOF height", x->d);
    if (!rc) rc = mnt_cur_u16(&s, &w, "SOF width", x->d);
    if (!rc) rc = seg_scaled16(&s, &f.m_shift, "SOF shift", x->d);
    if (!rc) rc = seg_scaled16(&s, &f.r_scale, "SOF scale", x->d);
    if (!rc) rc = mnt_cur_u8(&s, &f.encoder, "SOF encoder", x->d);
    if (!rc) rc = mnt_cur_u16(&s, &f.software, "SOF software", x->d);
    if (!rc) rc = end_segment(x, &s, WSQ_SOF, at);
    if (rc) return rc;
    if (w == 0 || h == 0) return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: frame header gives an empty image (%ux%u)", w, h);
    if (w > MNT_MAX_DIM || h > MNT_MAX_DIM)
        return mnt_fail(x->d, MNT_ERR_LIMIT, "WSQ: image of %ux%u pixels exceeds the limit of %d pixels a side", w, h,
                        MNT_MAX_DIM);
    if (max_pixels && (size_t)w * h > max_pixels)
        return mnt_fail(x->d, MNT_ERR_LIMIT, "WSQ: image of %ux%u pixels exceeds the budget of %zu pixels", w, h,
                        max_pixels);
    if (w < WSQ_MIN_DIM || h < WSQ_MIN_DIM)
        return mnt_fail(x->d, MNT_ERR_UNSUPPORTED, "WSQ: image of %ux%u pixels is below the %dx%d this decoder handles",
                        w, h, WSQ_MIN_DIM, WSQ_MIN_DIM);
    if (!(f.r_scale > 0)) return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: frame header scale is 0");
    f.width = (int)w;
    f.height = (int)h;
    x->frame = f;
    x->have_frame = 1;
    return MNT_OK;
}

/* NISTCOM: "NIST_COM n" then KEY VALUE lines; PPI is the resolution (-1 = unknown). */
static void parse_comment(wsq_ctx *x, const mnt_cursor *s)
{
    static const char tag[] = "NIST_COM";
    if (x->ppi > 0 || s->len < sizeof tag - 1 || memcmp(s->p, tag, sizeof tag - 1) != 0) return;
    size_t i = 0;
    while (i < s->len) {
        size_t e = i;
        while (e < s->len && s->p[e] != '\n' && s->p[e] != '\r') e++;
        if (e - i > 4 && memcmp(s->p + i, "PPI", 3) == 0 && (s->p[i + 3] == ' ' || s->p[i + 3] == '\t')) {
            size_t k = i + 4;
            while (k < e && (s->p[k] == ' ' || s->p[k] == '\t')) k++;
            long v = 0;
            size_t digits = 0;
            while (k < e && s->p[k] >= '0' && s->p[k] <= '9' && v <= 1000000) v = v * 10 + (s->p[k++] - '0'), digits++;
            if (digits && k == e && v >= 1 && v <= 100000)
                x->ppi = (double)v;
            else if (!(e - k >= 2 && s->p[k] == '-' && s->p[k + 1] == '1'))
                mnt_warn(x->d, "WSQ: NISTCOM PPI field is not a resolution; ignored");
            return;
        }
        i = e + 1;
    }
}

static int read_com(wsq_ctx *x, size_t at)
{
    mnt_cursor s;
    int rc = open_segment(x, WSQ_COM, at, &s);
    if (!rc) parse_comment(x, &s);
    return rc;
}

/* Coefficients the coded subbands (those with a non-zero bin width) hold. */
static size_t coded_count(const wsq_quant *q, const wsq_band *bands)
{
    size_t n = 0;
    for (int b = 0; b < WSQ_CODED_SUBBANDS; b++)
        if (q->q[b] != 0.0f) n += (size_t)bands[b].lenx * (size_t)bands[b].leny;
    return n;
}

static void dequantise(const wsq_quant *q, const wsq_band *bands, const int32_t *coef, float *plane, int width)
{
    size_t k = 0;
    float c = q->bin_center;
    for (int b = 0; b < WSQ_CODED_SUBBANDS; b++) {
        if (q->q[b] == 0.0f) continue;
        float qb = q->q[b];
        double half_z = q->z[b] / 2.0;
        for (int r = 0; r < bands[b].leny; r++) {
            float *row = plane + (size_t)(bands[b].y + r) * (size_t)width + (size_t)bands[b].x;
            for (int col = 0; col < bands[b].lenx; col++) {
                int32_t v = coef[k++];
                if (v > 0)
                    row[col] = (float)(qb * ((float)v - c) + half_z);
                else if (v < 0)
                    row[col] = (float)(qb * ((float)v + c) - half_z);
                else
                    row[col] = 0.0f;
            }
        }
    }
}

static int next_marker(wsq_ctx *x, unsigned *m, size_t *at)
{
    *at = x->c.pos;
    if (mnt_cur_left(&x->c) < 2)
        return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: truncated at byte %zu: expected a marker%s", x->c.pos,
                        x->have_frame ? "" : " (no frame header yet)");
    unsigned v = (unsigned)x->c.p[x->c.pos] << 8 | x->c.p[x->c.pos + 1];
    if ((v & 0xFF00) != 0xFF00)
        return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: expected a marker at byte %zu, found %02X %02X", x->c.pos, v >> 8,
                        v & 0xFF);
    x->c.pos += 2;
    *m = v;
    return MNT_OK;
}

typedef struct {
    wsq_band bands[WSQ_SUBBANDS];
    wsq_wnode nodes[WSQ_W_NODES];
    int32_t *coef;
    size_t ncoef, cap;
    int blocks;
} wsq_data;

static int read_block(wsq_ctx *x, wsq_data *dd, size_t at, unsigned *pending)
{
    if (!x->have_frame) return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: block header (SOB) at byte %zu before the frame header", at);
    if (!x->dqt.defined)
        return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: data block at byte %zu before the quantisation table (DQT)", at);
    mnt_cursor s;
    unsigned id;
    int rc = open_segment(x, WSQ_SOB, at, &s);
    if (!rc) rc = mnt_cur_u8(&s, &id, "SOB table id", x->d);
    if (!rc) rc = end_segment(x, &s, WSQ_SOB, at);
    if (rc) return rc;
    if (id >= WSQ_HUFF_TABLES)
        return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: block at byte %zu uses Huffman table %u (0..%d)", at, id,
                        WSQ_HUFF_TABLES - 1);
    if (dd->blocks == 0) {
        dd->cap = coded_count(&x->dqt, dd->bands);
        /* densest coding: a 1-bit code for a 16-bit zero run, 65535 zeros in 17 bits */
        size_t left = mnt_cur_left(&x->c), most = 8 * 65535 / 17;
        if (dd->cap / most > left)
            return mnt_fail(x->d, MNT_ERR_FORMAT, "WSQ: %zu bytes of data cannot hold the %zu coefficients of a %dx%d image",
                            left, dd->cap, x->frame.width, x->frame.height);
        dd->coef = malloc((dd->cap ? dd->cap : 1) * sizeof *dd->coef);
        if (!dd->coef) return mnt_fail(x->d, MNT_ERR_NOMEM, "out of memory for %zu WSQ coefficients", dd->cap);
    }
    dd->blocks++;
    wsq_huff_decoder hd;
    if ((rc = wsq_huff_build(&x->dht[id], (int)id, &hd, x->d))) return rc;
    wsq_bits br = {x->c.p, x->c.len, x->c.pos, 0, 0, 0};
    if ((rc = wsq_decode_block(&br, &hd, dd->coef, dd->cap, &dd->ncoef, dd->blocks, x->d))) return rc;
    x->c.pos = br.pos;
    *pending = br.marker;
    return MNT_OK;
}

static int to_image(const wsq_ctx *x, const float *plane, size_t max_pixels, mnt_image *im)
{
    int rc = mnt_image_alloc(im, x->frame.width, x->frame.height, max_pixels, x->d);
    if (rc) return rc;
    size_t n = (size_t)x->frame.width * (size_t)x->frame.height;
    for (size_t i = 0; i < n; i++) {
        float v = plane[i] * x->frame.r_scale + x->frame.m_shift + 0.5f;
        int g = !(v >= 0.0f) ? 0 : v > 255.0f ? 255 : (int)v; /* NaN (absurd filters) -> 0 */
        im->px[i] = (float)g / 255.0f;
    }
    im->ppi = x->ppi;
    return MNT_OK;
}

int mnt_wsq_decode(const uint8_t *data, size_t len, size_t max_pixels, mnt_image *im, mnt_diag *d)
{
    memset(im, 0, sizeof *im);
    if (len < 2) return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: file of %zu bytes is too short", len);
    if (!mnt_is_wsq(data, len))
        return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: no SOI marker (file starts with %02X %02X, expected FF A0)", data[0],
                        data[1]);
    wsq_ctx *x = calloc(1, sizeof *x);
    wsq_data *dd = calloc(1, sizeof *dd);
    float *plane = NULL;
    int rc = MNT_OK;
    if (!x || !dd) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        goto done;
    }
    x->c.p = data;
    x->c.len = len;
    x->c.pos = 2;
    x->d = d;
    unsigned m = 0, pending = 0;
    for (;;) {
        size_t at;
        if (pending) {
            m = pending;
            at = x->c.pos - 2;
            pending = 0;
        } else if ((rc = next_marker(x, &m, &at))) {
            goto done;
        }
        if (m == WSQ_EOI) break;
        switch (m) {
        case WSQ_DTT: rc = read_dtt(x, at); break;
        case WSQ_DQT:
            rc = dd->blocks ? mnt_fail(d, MNT_ERR_FORMAT, "WSQ: quantisation table redefined at byte %zu after the data began", at)
                            : read_dqt(x, at);
            break;
        case WSQ_DHT: rc = read_dht(x, at); break;
        case WSQ_COM: rc = read_com(x, at); break;
        case WSQ_SOF:
            rc = read_sof(x, at, max_pixels);
            if (!rc) wsq_build_trees(x->frame.width, x->frame.height, dd->nodes, dd->bands);
            break;
        case WSQ_SOB: rc = read_block(x, dd, at, &pending); break;
        case WSQ_DRT:
            rc = mnt_fail(d, MNT_ERR_UNSUPPORTED, "WSQ: restart interval (DRT) at byte %zu is not supported", at);
            break;
        default: rc = mnt_fail(d, MNT_ERR_FORMAT, "WSQ: unexpected marker %04X at byte %zu", m, at); break;
        }
        if (rc) goto done;
    }
    if (!x->have_frame) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "WSQ: end of image (EOI) before the frame header");
        goto done;
    }
    if (!dd->blocks) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "WSQ: no data blocks before the end of image (EOI)");
        goto done;
    }
    if (!x->dtt.defined) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "WSQ: no transform table (DTT)");
        goto done;
    }
    if (dd->ncoef != dd->cap) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "WSQ: data blocks hold %zu coefficients, the subbands need %zu", dd->ncoef,
                      dd->cap);
        goto done;
    }
    size_t npix = (size_t)x->frame.width * (size_t)x->frame.height;
    plane = calloc(npix, sizeof *plane);
    if (!plane) {
        rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for a %dx%d WSQ image", x->frame.width, x->frame.height);
        goto done;
    }
    dequantise(&x->dqt, dd->bands, dd->coef, plane, x->frame.width);
    free(dd->coef);
    dd->coef = NULL;
    if ((rc = wsq_synthesise(plane, x->frame.width, x->frame.height, dd->nodes, &x->dtt, d))) goto done;
    rc = to_image(x, plane, max_pixels, im);
done:
    free(plane);
    if (dd) free(dd->coef);
    free(dd);
    free(x);
    return rc;
}
