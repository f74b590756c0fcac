#include "model_file.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "file_io.h"
#include "patches.h"
#include "yaml_tree.h"

enum { MAX_CARD = 1 << 20 };
#define MAX_MODEL_FILE ((size_t)1 << 30)

void mnt_model_free(mnt_model *m)
{
    if (!m) return;
    mnt_gsae_free(&m->net);
    free(m->card);
    memset(m, 0, sizeof *m);
}

const char *mnt_model_card_provenance(const char *card)
{
    const char *p = card ? strstr(card, "\ndetection:\n") : NULL;
    if (!p) return "";
    for (p = strchr(p + 1, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
        if (p[1] != ' ') return p + 1;
    return "";
}

mnt_detector mnt_model_detector(const mnt_model *m)
{
    mnt_detector det = {&m->net, m->patch_size, m->grid, m->threshold, m->stride, m->nms_radius, 256, m->roi_margin,
                        m->quality_weight, m->ridge_sigma, m->direction_weight, m->region_threshold, m->orientation_sigma,
                        m->context};
    return det;
}

int mnt_model_make_card(mnt_model *m, const char *provenance, mnt_diag *d)
{
    const mnt_gsae_config *c = &m->net.cfg;
    mnt_buf b = {0};
    mnt_buf_printf(&b,
                   "format: minutiae GSAE model\n"
                   "architecture:\n"
                   "  input: %d\n  hidden1: %d\n  hidden: %d\n  encoder: sigmoid\n  decoder: %s\n"
                   "  lambda: %.9g\n  beta: %.9g\n  rho: %.9g\n  lambda_g: %.9g\n  k_sparse: %d\n  k_alpha: %.9g\n  w_cls: %.9g\n"
                   "  heads: [minutia, type, direction, foreground]\n"
                   "  normalisation: per-patch zero mean, unit variance\n"
                   "patch:\n  size: %d\n  grid: %d\n  context: %d\n  ppi: 500\n  ridge_smoothing: %.6g\n  orientation_smoothing: %.6g\n"
                   "detection:\n  threshold: %.6g\n  stride: %d\n  quality_weight: %.6g\n  nms_radius: %.6g\n"
                   "  roi_margin: %.6g\n  direction_weight: %.6g\n  region_threshold: %.6g\n",
                   c->input, c->hidden1, c->hidden, c->sigmoid_decoder ? "sigmoid" : "linear", c->lambda, c->beta, c->rho, c->lambda_g, c->k_sparse, c->k_alpha, c->w_cls,
                   m->patch_size, m->grid, m->context, m->ridge_sigma, m->orientation_sigma, m->threshold, m->stride, m->quality_weight, m->nms_radius,
                   m->roi_margin, m->direction_weight, m->region_threshold);
    if (provenance) mnt_buf_printf(&b, "%s", provenance);
    mnt_buf_u8(&b, 0);
    if (b.failed) {
        mnt_buf_free(&b);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    free(m->card);
    m->card = (char *)b.data;
    return MNT_OK;
}

static void put_u64(mnt_buf *b, uint64_t v) { mnt_buf_u32(b, (uint32_t)(v >> 32)); mnt_buf_u32(b, (uint32_t)v); }

static void put_floats(mnt_buf *b, const float *p, size_t n)
{
    for (size_t i = 0; i < n; i++) mnt_buf_u32(b, mnt_f32_bits(p[i]));
}

int mnt_model_encode(const mnt_model *m, int with_state, mnt_buf *out, mnt_diag *d)
{
    if (!m->card) return mnt_fail(d, MNT_ERR_ARG, "model has no card");
    size_t start = out->len, clen = strlen(m->card);
    mnt_buf_put(out, "MNTMODEL", 8);
    mnt_buf_u32(out, MNT_MODEL_VERSION);
    mnt_buf_u32(out, (uint32_t)clen);
    mnt_buf_put(out, m->card, clen);
    mnt_buf_u32(out, with_state ? 1u : 0u);
    if (with_state) {
        const mnt_train_state *s = &m->state;
        mnt_buf_u32(out, (uint32_t)s->phase);
        mnt_buf_u32(out, (uint32_t)s->epoch);
        put_u64(out, (uint64_t)s->batch_index);
        put_u64(out, (uint64_t)s->global_step);
        uint64_t bv;
        memcpy(&bv, &s->best_val, 8);
        put_u64(out, bv);
        mnt_buf_u32(out, (uint32_t)s->bad_epochs);
        put_u64(out, (uint64_t)m->net.adam_t);
    }
    mnt_buf_u32(out, (uint32_t)m->net.nparams);
    put_floats(out, m->net.slab, m->net.nparams);
    if (with_state) {
        put_floats(out, m->net.m, m->net.nparams);
        put_floats(out, m->net.v, m->net.nparams);
    }
    if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    uLong crc = crc32(0L, out->data + start, (uInt)(out->len - start));
    mnt_buf_u32(out, (uint32_t)crc);
    return out->failed ? mnt_fail(d, MNT_ERR_NOMEM, "out of memory") : MNT_OK;
}

static int card_number(const mnt_ynode *root, const char *sec, const char *key, double *out, mnt_diag *d)
{
    const mnt_ynode *s = mnt_yaml_get(root, sec), *v = s ? mnt_yaml_get(s, key) : NULL;
    if (!v) return mnt_fail(d, MNT_ERR_FORMAT, "model card lacks %s.%s", sec, key);
    int rc = mnt_yaml_number(v, key, out, d);
    return rc ? MNT_ERR_FORMAT : MNT_OK;
}

static int read_u64(mnt_cursor *c, uint64_t *v, const char *what, mnt_diag *d)
{
    uint32_t hi = 0, lo = 0;
    int rc = mnt_cur_u32(c, &hi, what, d);
    if (!rc) rc = mnt_cur_u32(c, &lo, what, d);
    *v = (uint64_t)hi << 32 | lo;
    return rc;
}

int mnt_model_decode(const uint8_t *data, size_t len, mnt_model *m, mnt_diag *d)
{
    memset(m, 0, sizeof *m);
    if (len < 8 || memcmp(data, "MNTMODEL", 8) != 0) return mnt_fail(d, MNT_ERR_FORMAT, "not a minutiae model (bad magic)");
    if (len < 24) return mnt_fail(d, MNT_ERR_FORMAT, "model file truncated");
    mnt_cursor c = {data, len - 4, 8};
    uint32_t version, clen, has_state, np;
    int rc;
    if ((rc = mnt_cur_u32(&c, &version, "version", d))) return rc;
    if (version != MNT_MODEL_VERSION)
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "model version %u is not supported (this build reads %d)", (unsigned)version, MNT_MODEL_VERSION);
    uint32_t stored = mnt_be32(data + len - 4);
    if ((uint32_t)crc32(0L, data, (uInt)(len - 4)) != stored) return mnt_fail(d, MNT_ERR_FORMAT, "model checksum mismatch (corrupt file)");
    if ((rc = mnt_cur_u32(&c, &clen, "card length", d))) return rc;
    if (clen > MAX_CARD || clen > mnt_cur_left(&c)) return mnt_fail(d, MNT_ERR_FORMAT, "model card length %u invalid", (unsigned)clen);
    m->card = malloc((size_t)clen + 1);
    if (!m->card) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    memcpy(m->card, data + c.pos, clen);
    m->card[clen] = 0;
    c.pos += clen;
    mnt_ynode *root;
    if ((rc = mnt_yaml_parse(m->card, clen, &root, d))) {
        mnt_model_free(m);
        return MNT_ERR_FORMAT;
    }
    double v[13];
    const char *keys[13][2] = {{"architecture", "input"}, {"architecture", "hidden"}, {"architecture", "lambda"},
                               {"architecture", "beta"},  {"architecture", "rho"},    {"architecture", "lambda_g"},
                               {"architecture", "k_sparse"}, {"architecture", "k_alpha"}, {"architecture", "w_cls"},
                               {"patch", "size"},         {"patch", "grid"},          {"detection", "threshold"},
                               {"detection", "stride"}};
    for (int k = 0; k < 13 && !rc; k++) rc = card_number(root, keys[k][0], keys[k][1], &v[k], d);
    /* the counts become ints (and grid * grid must not overflow): whole numbers in 0..32768 */
    static const int counts[] = {0, 1, 6, 9, 10, 12};
    for (size_t k = 0; k < sizeof counts / sizeof *counts && !rc; k++) {
        double x = v[counts[k]];
        if (!(x >= 0 && x <= 32768) || x != floor(x))
            rc = mnt_fail(d, MNT_ERR_FORMAT, "model card %s.%s: %g is not a whole number in 0..32768", keys[counts[k]][0],
                          keys[counts[k]][1], x);
    }
    double nms = 0, qw = 0;
    if (!rc) rc = card_number(root, "detection", "nms_radius", &nms, d);
    /* optional (older cards have none) */
    const mnt_ynode *det = mnt_yaml_get(root, "detection"), *qn = det ? mnt_yaml_get(det, "quality_weight") : NULL;
    if (!rc && qn && (mnt_yaml_number(qn, "quality_weight", &qw, d) || !(qw >= 0 && qw <= 1)))
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model card detection.quality_weight invalid");
    double roi_margin = -1; /* cards before the key: the NMS radius */
    const mnt_ynode *rm = det ? mnt_yaml_get(det, "roi_margin") : NULL;
    if (!rc && rm && (mnt_yaml_number(rm, "roi_margin", &roi_margin, d) || !(roi_margin >= 0 && roi_margin <= 200)))
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model card detection.roi_margin invalid (0..200)");
    double dir_w = 0; /* cards before the key: off */
    const mnt_ynode *dw = det ? mnt_yaml_get(det, "direction_weight") : NULL;
    if (!rc && dw && (mnt_yaml_number(dw, "direction_weight", &dir_w, d) || !(dir_w >= 0 && dir_w <= 1)))
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model card detection.direction_weight invalid (0..1)");
    double region_thr = 0; /* cards before the key: segmented */
    const mnt_ynode *rt = det ? mnt_yaml_get(det, "region_threshold") : NULL;
    if (!rc && rt && (mnt_yaml_number(rt, "region_threshold", &region_thr, d) || !(region_thr >= 0 && region_thr < 1)))
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model card detection.region_threshold invalid (0..1)");
    double ridge_sigma = 0;
    const mnt_ynode *pn = mnt_yaml_get(root, "patch"), *rs = pn ? mnt_yaml_get(pn, "ridge_smoothing") : NULL;
    if (!rc && rs && (mnt_yaml_number(rs, "ridge_smoothing", &ridge_sigma, d) || !(ridge_sigma >= 0 && ridge_sigma <= 16)))
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model card patch.ridge_smoothing invalid (0..16)");
    double orient_sigma = MNT_ORIENTATION_SIGMA_LEGACY; /* cards before the key */
    const mnt_ynode *os = pn ? mnt_yaml_get(pn, "orientation_smoothing") : NULL;
    if (!rc && os && (mnt_yaml_number(os, "orientation_smoothing", &orient_sigma, d) || !(orient_sigma >= 1 && orient_sigma <= 16)))
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model card patch.orientation_smoothing invalid (1..16)");
    double context = 0; /* cards before the key: none */
    const mnt_ynode *cn = pn ? mnt_yaml_get(pn, "context") : NULL;
    if (!rc && cn && (mnt_yaml_number(cn, "context", &context, d) || context != floor(context) ||
                      !(context >= 0 && context <= MNT_CONTEXT_MAX) || !mnt_patch_context_valid((int)v[10], (int)context)))
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model card patch.context invalid (0, or 2..%d with context x grid at most %d)",
                      MNT_CONTEXT_MAX, MNT_CONTEXT_FINE_MAX);
    if (rc) {
        mnt_yaml_free(root);
        mnt_model_free(m);
        return rc;
    }
    mnt_gsae_config cfg = {(int)v[0], (int)v[1], v[2], v[3], v[4], v[5], (int)v[6], v[7], v[8], 0, 0};
    {
        /* optional keys (cards before two-layer encoders have neither) */
        const mnt_ynode *arch = mnt_yaml_get(root, "architecture");
        const mnt_ynode *h1 = arch ? mnt_yaml_get(arch, "hidden1") : NULL, *dec = arch ? mnt_yaml_get(arch, "decoder") : NULL;
        double hv = 0;
        /* converted only once in range (a card value beyond int is undefined as int) */
        if (h1 && (mnt_yaml_number(h1, "hidden1", &hv, d) || !(hv >= 0 && hv <= 8192) || hv != floor(hv))) rc = MNT_ERR_FORMAT;
        else cfg.hidden1 = (int)hv;
        if (dec && dec->kind == MNT_Y_SCALAR && !strcmp(dec->value, "sigmoid")) cfg.sigmoid_decoder = 1;
        else if (dec && !(dec->kind == MNT_Y_SCALAR && !strcmp(dec->value, "linear"))) rc = MNT_ERR_FORMAT;
    }
    mnt_yaml_free(root);
    if (rc) {
        mnt_model_free(m);
        return mnt_fail(d, MNT_ERR_FORMAT, "model card architecture.hidden1 or architecture.decoder invalid");
    }
    m->patch_size = (int)v[9];
    m->grid = (int)v[10];
    m->threshold = v[11];
    m->stride = (int)v[12];
    m->nms_radius = nms;
    m->quality_weight = qw;
    m->ridge_sigma = ridge_sigma;
    m->orientation_sigma = orient_sigma;
    m->roi_margin = roi_margin >= 0 ? roi_margin : nms;
    m->direction_weight = dir_w;
    m->region_threshold = region_thr;
    m->context = (int)context;
    if (mnt_patch_values(m->grid, m->context) != cfg.input || m->patch_size < m->grid || m->patch_size > 128 || m->stride < 1 ||
        m->stride > 64 || !(m->threshold >= 0 && m->threshold <= 1) || !(nms > 0 && nms < 200)) {
        mnt_model_free(m);
        return mnt_fail(d, MNT_ERR_FORMAT, "model card values are inconsistent (patch %d/%d, context %d, input %d, stride %d)",
                        (int)v[9], (int)v[10], m->context, cfg.input, (int)v[12]);
    }
    /* the weights must be there before their room is allocated: a few bytes of card
     * can ask for gigabytes (the foreground head may be missing, see below) */
    size_t need = mnt_gsae_param_count(&cfg) - (2 * (size_t)cfg.hidden + 2);
    if (mnt_cur_left(&c) / 4 < need) {
        mnt_model_free(m);
        return mnt_fail(d, MNT_ERR_FORMAT, "model weights are %zu bytes, its architecture needs at least %zu bytes",
                        mnt_cur_left(&c), 4 * need);
    }
    char *card = m->card;
    m->card = NULL;
    if ((rc = mnt_gsae_new(&m->net, &cfg, 0, d))) {
        free(card);
        return MNT_ERR_FORMAT;
    }
    m->card = card;
    if ((rc = mnt_cur_u32(&c, &has_state, "state flag", d))) goto fail;
    if (has_state > 1) { rc = mnt_fail(d, MNT_ERR_FORMAT, "state flag %u invalid", (unsigned)has_state); goto fail; }
    m->has_state = (int)has_state;
    if (has_state) {
        uint32_t phase, epoch, bad;
        uint64_t bi, gs, bv, at;
        if ((rc = mnt_cur_u32(&c, &phase, "phase", d)) || (rc = mnt_cur_u32(&c, &epoch, "epoch", d)) ||
            (rc = read_u64(&c, &bi, "batch", d)) || (rc = read_u64(&c, &gs, "step", d)) || (rc = read_u64(&c, &bv, "best", d)) ||
            (rc = mnt_cur_u32(&c, &bad, "bad epochs", d)) || (rc = read_u64(&c, &at, "adam step", d)))
            goto fail;
        if (phase > MNT_PHASE_DONE || epoch > 100000 || bi > (1ull << 40) || gs > (1ull << 40) || at > (1ull << 40)) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "training state out of range");
            goto fail;
        }
        m->state.phase = (int)phase;
        m->state.epoch = (int)epoch;
        m->state.batch_index = (long)bi;
        m->state.global_step = (long)gs;
        memcpy(&m->state.best_val, &bv, 8);
        m->state.bad_epochs = (int)bad;
        m->net.adam_t = (long)at;
    }
    if ((rc = mnt_cur_u32(&c, &np, "parameter count", d))) goto fail;
    /* models from before the foreground head hold the slab without it (it is last) */
    size_t head = 2 * (size_t)cfg.hidden + 2;
    if (np != m->net.nparams && !(np == m->net.nparams - head && !has_state)) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model holds %u parameters, its architecture needs %zu", (unsigned)np, m->net.nparams);
        goto fail;
    }
    if (np != m->net.nparams) {
        memset(m->net.slab + np, 0, head * sizeof *m->net.slab);
        if (m->region_threshold > 0) { rc = mnt_fail(d, MNT_ERR_FORMAT, "model card asks for the foreground head the model lacks"); goto fail; }
    }
    size_t nblocks = has_state ? 3 : 1;
    if (mnt_cur_left(&c) != nblocks * 4 * (size_t)np) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "model weights are %zu bytes, %zu expected", mnt_cur_left(&c), nblocks * 4 * (size_t)np);
        goto fail;
    }
    float *dst[3] = {m->net.slab, m->net.m, m->net.v};
    for (size_t bk = 0; bk < nblocks; bk++)
        for (size_t i = 0; i < np; i++) {
            float f = mnt_f32_from_bits(mnt_be32(data + c.pos));
            if (!isfinite(f)) { rc = mnt_fail(d, MNT_ERR_FORMAT, "model weight %zu is not finite", i); goto fail; }
            dst[bk][i] = f;
            c.pos += 4;
        }
    return MNT_OK;
fail:
    mnt_model_free(m);
    return rc;
}

int mnt_model_write(const char *path, const mnt_model *m, int with_state, mnt_diag *d)
{
    mnt_buf b = {0};
    int rc = mnt_model_encode(m, with_state, &b, d);
    if (!rc) rc = mnt_write_file_atomic(path, b.data, b.len, d);
    mnt_buf_free(&b);
    return rc;
}

int mnt_model_read(const char *path, mnt_model *m, mnt_diag *d)
{
    uint8_t *data;
    size_t len;
    int rc = mnt_read_file(path, MAX_MODEL_FILE, &data, &len, d);
    if (rc) return rc;
    rc = mnt_model_decode(data, len, m, d);
    free(data);
    return rc;
}
