/* Internals shared by the WSQ decoder files: tables read from the stream, the
 * decomposition trees and the stages (entropy decoding, wavelet synthesis). */
#ifndef MNT_WSQ_INTERNAL_H
#define MNT_WSQ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mnt_error.h"

/* Markers (the spec's table 1). */
enum {
    WSQ_SOI = 0xFFA0,
    WSQ_EOI = 0xFFA1,
    WSQ_SOF = 0xFFA2,
    WSQ_SOB = 0xFFA3,
    WSQ_DTT = 0xFFA4,
    WSQ_DQT = 0xFFA5,
    WSQ_DHT = 0xFFA6,
    WSQ_DRT = 0xFFA7,
    WSQ_COM = 0xFFA8
};

enum {
    WSQ_SUBBANDS = 64,       /* entries of the quantisation table */
    WSQ_CODED_SUBBANDS = 60, /* 60..63 are never coded */
    WSQ_W_NODES = 20,        /* 2-D synthesis steps */
    WSQ_HUFF_TABLES = 8,
    WSQ_HUFF_VALUES = 256,
    WSQ_MAX_TAPS = 31,       /* longest filter accepted (the standard uses 9 and 7) */
    WSQ_MIN_DIM = 32         /* below this the 5-level tree has empty lines */
};

/* Synthesis filters, centred: lo[k] is tap k - lo_len/2. Odd lengths only. */
typedef struct {
    int lo_len, hi_len;
    float lo[WSQ_MAX_TAPS], hi[WSQ_MAX_TAPS];
    int defined;
} wsq_transform;

typedef struct {
    float bin_center;
    float q[WSQ_SUBBANDS], z[WSQ_SUBBANDS];
    int defined;
} wsq_quant;

typedef struct {
    uint8_t bits[16]; /* number of codes of length 1..16 */
    uint8_t values[WSQ_HUFF_VALUES];
    int nvalues;
    int defined;
} wsq_huff_table;

typedef struct {
    int width, height;
    unsigned black, white, encoder, software;
    float m_shift, r_scale;
} wsq_frame;

/* Rectangles of the decomposition: synthesis nodes and coded subbands. */
typedef struct {
    int x, y, lenx, leny;
    int inv_rw, inv_cl; /* high band stored first along rows / columns */
} wsq_wnode;

typedef struct {
    int x, y, lenx, leny;
} wsq_band;

/* Value of a (scale, raw) pair of the tables: raw / 10^scale, divided step by step in
 * float as the reference decoder does (wsq_decode.c). */
float wsq_scaled(uint32_t raw, unsigned scale);

/* wsq_tree.c: the fixed 20-node / 64-subband decomposition of a width x height image. */
void wsq_build_trees(int width, int height, wsq_wnode w[WSQ_W_NODES], wsq_band q[WSQ_SUBBANDS]);

/* wsq_huffman.c */
typedef struct {
    int maxcode[17], mincode[17], valptr[17];
    const uint8_t *values;
    int nvalues;
} wsq_huff_decoder;

int wsq_huff_build(const wsq_huff_table *t, int id, wsq_huff_decoder *hd, mnt_diag *d);

/* Bit reader over entropy-coded data with FF 00 stuffing; stops at a marker. */
typedef struct {
    const uint8_t *p;
    size_t len, pos;
    unsigned cur;  /* current byte */
    int nbits;     /* unread bits in cur */
    unsigned marker; /* marker that ended the data, 0 while inside */
} wsq_bits;

/* Decodes one block's coefficients into coef[*n .. cap). Returns MNT_OK when a marker
 * ends the data (left in br->marker, its two bytes consumed). */
int wsq_decode_block(wsq_bits *br, const wsq_huff_decoder *hd, int32_t *coef, size_t cap, size_t *n, int block,
                     mnt_diag *d);

/* wsq_wavelet.c: inverse transform in place of the width x height coefficient plane. */
int wsq_synthesise(float *plane, int width, int height, const wsq_wnode w[WSQ_W_NODES], const wsq_transform *t,
                   mnt_diag *d);

/* Forward transform in place (the encoder): nodes 0..19, rows then columns, each line
 * analysed with the analysis lowpass h0 (taps lo_len) at even and highpass h1 at odd
 * positions; t holds the synthesis filters, the analysis ones are derived from them. */
int wsq_analyse(float *plane, int width, int height, const wsq_wnode w[WSQ_W_NODES], const wsq_transform *t,
                mnt_diag *d);

#endif
