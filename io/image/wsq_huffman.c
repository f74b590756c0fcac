/* WSQ entropy-coded data: canonical Huffman codes (as in JPEG), FF 00 byte stuffing,
 * and the coefficient categories of the WSQ spec: zero runs (1..100, or 8 / 16 bits
 * follow), signed 8 / 16-bit values, and small values 107..254 meaning v - 180. */
#include "wsq_internal.h"

int wsq_huff_build(const wsq_huff_table *t, int id, wsq_huff_decoder *hd, mnt_diag *d)
{
    if (!t->defined) return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: block uses Huffman table %d, which is not defined", id);
    int code = 0, k = 0;
    for (int l = 1; l <= 16; l++) {
        int cnt = t->bits[l - 1];
        if (cnt == 0) {
            hd->maxcode[l] = -1;
            hd->mincode[l] = hd->valptr[l] = 0;
        } else {
            hd->valptr[l] = k;
            hd->mincode[l] = code;
            code += cnt;
            k += cnt;
            hd->maxcode[l] = code - 1;
            if (code > (1 << l))
                return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: Huffman table %d has more codes of length %d than fit", id, l);
        }
        code <<= 1;
    }
    if (k == 0) return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: Huffman table %d is empty", id);
    hd->maxcode[0] = hd->mincode[0] = hd->valptr[0] = 0;
    hd->values = t->values;
    hd->nvalues = k;
    return MNT_OK;
}

/* Loads the next data byte. Returns 1 when a marker stands there instead (allowed only
 * between or inside Huffman codes, not inside the extra bits of a coefficient). */
static int fetch(wsq_bits *br, int code_bits, int block, mnt_diag *d)
{
    if (br->len - br->pos < 1 || (br->p[br->pos] == 0xFF && br->len - br->pos < 2))
        return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: truncated: data of block %d ends at byte %zu without a marker", block,
                        br->len);
    unsigned b = br->p[br->pos++];
    if (b == 0xFF) {
        unsigned b2 = br->p[br->pos++];
        if (b2 != 0) {
            if (!code_bits)
                return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: marker FF%02X at byte %zu cuts a coefficient of block %d", b2,
                                br->pos - 2, block);
            br->marker = 0xFF00u | b2;
            return 1;
        }
    }
    br->cur = b;
    br->nbits = 8;
    return 0;
}

static int get_bits(wsq_bits *br, int n, unsigned *v, int code_bits, int block, mnt_diag *d)
{
    unsigned r = 0;
    for (int i = 0; i < n; i++) {
        if (br->nbits == 0) {
            int rc = fetch(br, code_bits, block, d);
            if (rc) return rc;
        }
        br->nbits--;
        r = r << 1 | ((br->cur >> br->nbits) & 1u);
    }
    *v = r;
    return 0;
}

/* Next symbol; 1 when a marker ends the data (a partial code before it is padding). */
static int get_symbol(wsq_bits *br, const wsq_huff_decoder *hd, unsigned *sym, int block, mnt_diag *d)
{
    unsigned bit;
    int rc = get_bits(br, 1, &bit, 1, block, d);
    if (rc) return rc;
    int code = (int)bit, l = 1;
    while (code > hd->maxcode[l]) {
        if (++l > 16)
            return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: invalid Huffman code in block %d near byte %zu", block, br->pos);
        if ((rc = get_bits(br, 1, &bit, 1, block, d))) return rc;
        code = code << 1 | (int)bit;
    }
    int idx = hd->valptr[l] + code - hd->mincode[l];
    if (idx < 0 || idx >= hd->nvalues)
        return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: invalid Huffman code in block %d near byte %zu", block, br->pos);
    *sym = hd->values[idx];
    return 0;
}

int wsq_decode_block(wsq_bits *br, const wsq_huff_decoder *hd, int32_t *coef, size_t cap, size_t *n, int block,
                     mnt_diag *d)
{
    br->nbits = 0;
    br->marker = 0;
    for (;;) {
        unsigned sym = 0, extra = 0;
        int rc = get_symbol(br, hd, &sym, block, d);
        if (rc < 0) return rc;
        if (rc == 1) return MNT_OK;
        size_t zeros = 0;
        int32_t value = 0;
        int is_run = 0;
        if (sym >= 1 && sym <= 100) {
            zeros = sym;
            is_run = 1;
        } else if (sym >= 107 && sym <= 254) {
            value = (int32_t)sym - 180;
        } else if (sym >= 101 && sym <= 106) {
            int nb = sym == 101 || sym == 102 || sym == 105 ? 8 : 16;
            if ((rc = get_bits(br, nb, &extra, 0, block, d))) return rc;
            if (sym == 105 || sym == 106) {
                zeros = extra;
                is_run = 1;
            } else {
                value = sym == 101 || sym == 103 ? (int32_t)extra : -(int32_t)extra;
            }
        } else {
            return mnt_fail(d, MNT_ERR_FORMAT, "WSQ: invalid coefficient category %u in block %d near byte %zu", sym,
                            block, br->pos);
        }
        size_t count = is_run ? zeros : 1;
        if (count > cap - *n)
            return mnt_fail(d, MNT_ERR_FORMAT,
                            "WSQ: block %d decodes more coefficients than the subbands hold (%zu) near byte %zu", block,
                            cap, br->pos);
        if (is_run) {
            for (size_t i = 0; i < zeros; i++) coef[(*n)++] = 0;
        } else {
            coef[(*n)++] = value;
        }
    }
}
