#include "extract_job.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "an2k.h"
#include "bytes.h"
#include "detect.h"
#include "file_io.h"
#include "fs_util.h"
#include "image_io.h"
#include "input_list.h"
#include "overlay.h"
#include "pgm_io.h"
#include "png_io.h"
#include "review_page.h"
#include "sha256.h"
#include "template_io.h"

static const struct {
    unsigned flag;
    const char *suffix;
} SUFFIXES[] = {{OUT_ISO, ".iso"},       {OUT_JSON, ".json"},        {OUT_OVERLAY, ".overlay.png"}, {OUT_ANSI, ".ansi"},
                {OUT_XYT, ".xyt"},       {OUT_XYT_M1, ".m1.xyt"},    {OUT_ISO2011, ".iso2011"},     {OUT_PROB, ".prob.png"},
                {OUT_REVIEW, ".review.html"}, {OUT_AN2K, ".an2"}};

void extract_settings_from_model(extract_settings *s, const mnt_model *m)
{
    s->model = m;
    s->threshold = m->threshold;
    s->nms_radius = m->nms_radius;
    s->roi_margin = -1; /* the card's */
    s->quality_weight = m->quality_weight;
    s->direction_weight = m->direction_weight;
    s->region_threshold = m->region_threshold;
    if (!s->max_pixels) s->max_pixels = (size_t)40 << 20;
}

size_t extract_output_paths(unsigned formats, const char *base, char paths[][4200], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof SUFFIXES / sizeof *SUFFIXES && n < max; i++)
        if (formats & SUFFIXES[i].flag) snprintf(paths[n++], 4200, "%s%s", base, SUFFIXES[i].suffix);
    return n;
}

/* Below this many pixels a side (at 500 ppi, about 3 mm) no minutia can be told apart
 * from noise: such an image is reported, not answered with "0 minutiae". */
enum { MIN_PRINT_SIDE = 64 };

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int fail(extract_result *r, int code, const char *where, const char *what)
{
    r->status = code;
    snprintf(r->error, sizeof r->error, "%.300s: %.290s", where, what);
    return code;
}

/* Reads the examiner's mask, drawn over the input image (in_w x in_h), and scales it to
 * the working w x h by nearest neighbour. A mask of another shape is refused; one of
 * another size but the same aspect is scaled, with a warning. */
static int load_mask(const char *path, int in_w, int in_h, int w, int h, uint8_t **out, char *warning, size_t wcap, mnt_diag *d)
{
    mnt_image m;
    int rc = mnt_image_read(path, (size_t)16384 * 16384, &m, d);
    if (rc) return rc;
    if (m.width != in_w || m.height != in_h) {
        double aspect = ((double)m.width / m.height) / ((double)in_w / in_h);
        if (fabs(aspect - 1.0) > 0.01) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "mask is %dx%d but the image is %dx%d (another shape): refused", m.width, m.height,
                          in_w, in_h);
            mnt_image_free(&m);
            return rc;
        }
        snprintf(warning, wcap, "mask %dx%d scaled to the image's %dx%d", m.width, m.height, in_w, in_h);
    }
    uint8_t *mask = malloc((size_t)w * h);
    if (!mask) {
        mnt_image_free(&m);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int sx = (int)((x + 0.5) * m.width / w), sy = (int)((y + 0.5) * m.height / h);
            mask[(size_t)y * w + x] = m.px[(size_t)sy * m.width + sx] > 0.5f;
        }
    mnt_image_free(&m);
    *out = mask;
    return MNT_OK;
}

/* The staged bytes of one output (suffix from SUFFIXES). */
static mnt_buf *stage_slot(extract_outputs *o, unsigned flag)
{
    for (size_t i = 0; i < sizeof SUFFIXES / sizeof *SUFFIXES; i++)
        if (SUFFIXES[i].flag == flag && o->n < sizeof o->files / sizeof *o->files) {
            o->files[o->n].suffix = SUFFIXES[i].suffix;
            memset(&o->files[o->n].data, 0, sizeof o->files[o->n].data);
            return &o->files[o->n++].data;
        }
    return NULL;
}

static int stage_template(extract_outputs *o, unsigned flag, const mnt_template *t, mnt_format f, mnt_diag *d)
{
    mnt_buf *b = stage_slot(o, flag);
    if (!b) return mnt_fail(d, MNT_ERR_ARG, "too many outputs");
    return mnt_template_encode(t, f, NULL, b, d);
}

/* The JSON template with its provenance as the first member: who made it, from which
 * bytes, with which model and settings. */
static int stage_json(extract_outputs *o, const mnt_template *t, const mnt_view *candidates, const extract_settings *s,
                      const char *input_sha256, mnt_diag *d)
{
    mnt_buf body = {0};
    int rc = mnt_template_encode(t, MNT_FMT_JSON, NULL, &body, d);
    mnt_buf *b = rc ? NULL : stage_slot(o, OUT_JSON);
    if (!rc && !b) rc = mnt_fail(d, MNT_ERR_ARG, "too many outputs");
    if (!rc && (body.len < 2 || body.data[0] != '{')) rc = mnt_fail(d, MNT_ERR_ARG, "unexpected JSON template");
    if (!rc) {
        mnt_buf_printf(b, "{\n  \"provenance\": {\"tool\": \"minutiae %s\", \"input_sha256\": \"%s\", \"settings_sha256\": \"%s\", "
                          "\"settings\": %s},",
                       s->tool_version ? s->tool_version : "", input_sha256, s->settings_sha256 ? s->settings_sha256 : "",
                       s->settings_json ? s->settings_json : "{}");
        /* the template's members after its '{', and the review candidates before its '}' */
        size_t end = body.len;
        while (end > 1 && (body.data[end - 1] == '\n' || body.data[end - 1] == '}')) end--;
        mnt_buf_put(b, body.data + 1, end - 1);
        if (candidates) {
            mnt_template ct = *t;
            ct.views = (mnt_view *)candidates;
            ct.nviews = 1;
            mnt_buf cb = {0};
            if (!(rc = mnt_template_encode(&ct, MNT_FMT_JSON, NULL, &cb, d))) {
                const char *arr = strstr((const char *)cb.data, "\"minutiae\": [");
                size_t from = arr ? (size_t)(arr - (const char *)cb.data) + 12 : 0, to = cb.len;
                while (to > from && cb.data[to - 1] != ']') to--;
                mnt_buf_printf(b, ",\n  \"candidates_floor\": %.4f,\n  \"candidates\": ", s->threshold * EXTRACT_REVIEW_FLOOR_SHARE);
                if (arr) mnt_buf_put(b, cb.data + from, to - from);
                else mnt_buf_printf(b, "[]");
            }
            mnt_buf_free(&cb);
        }
        mnt_buf_printf(b, "\n}\n");
        if (b->failed) rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    mnt_buf_free(&body);
    return rc;
}

/* Review candidates: a detection down to the floor, less what lies within the NMS
 * radius of a kept minutia (the same minutia found again). */
static int review_candidates(const mnt_detector *dt, const mnt_image *wim, const uint8_t *mask, const mnt_view *kept,
                             double scale, int w, int h, int mirror, mnt_view *out, mnt_diag *d)
{
    mnt_detector low = *dt;
    low.threshold = dt->threshold * EXTRACT_REVIEW_FLOOR_SHARE;
    mnt_detection det = {0};
    int rc = mnt_detect(&low, wim, mask, &det, d);
    double near = dt->nms_radius / scale;
    for (size_t i = 0; !rc && i < det.minutiae.n; i++) {
        mnt_minutia m = mnt_detection_to_input(det.minutiae.m[i], scale, w, h, mirror);
        if (m.score >= dt->threshold) continue;
        int dup = 0;
        for (size_t k = 0; k < kept->n && !dup; k++) dup = hypot(kept->m[k].x - m.x, kept->m[k].y - m.y) <= near;
        if (!dup) rc = mnt_view_push(out, &m);
    }
    mnt_detection_free(&det);
    return rc;
}

void extract_outputs_free(extract_outputs *o)
{
    for (size_t i = 0; i < o->n; i++) mnt_buf_free(&o->files[i].data);
    o->n = 0;
}

int extract_input_sha256(const char *input, int record, char sha[65])
{
    uint8_t *data;
    size_t len;
    if (mnt_read_file(input, MNT_MAX_IMAGE_FILE, &data, &len, NULL)) return -1;
    int rc = 0;
    if (record > 0) {
        mnt_an2k t;
        rc = mnt_an2k_parse(data, len, &t, NULL);
        if (!rc && (size_t)record > t.nrec) rc = -1;
        if (!rc) mnt_sha256_hex(data + t.rec[record - 1].off, t.rec[record - 1].len, sha);
        if (!rc) mnt_an2k_free(&t);
    } else mnt_sha256_hex(data, len, sha);
    free(data);
    return rc ? -1 : 0;
}

/* NAME.an2: Type-1 (the transaction's own, CNT rebuilt, for a record) + the image record
 * as it came (or a Type-13 latent record with the image as PNG) + Type-9. */
static int stage_an2k(extract_outputs *o, const mnt_template *t, const mnt_an2k *tx, size_t k, const mnt_image *im, mnt_diag *d)
{
    mnt_buf *b = stage_slot(o, OUT_AN2K);
    if (!b) return mnt_fail(d, MNT_ERR_ARG, "too many outputs");
    mnt_template one = *t; /* shallow: only the impression of the view differs */
    mnt_view v = t->views[0];
    one.views = &v;
    one.nviews = 1;
    int rc, idc;
    if (tx) {
        const mnt_an2k_record *r = &tx->rec[k];
        idc = r->idc;
        v.impression = r->imp;
        v.position = r->fgp <= 10 ? r->fgp : 0;
        mnt_an2k_raw_record raw = {r->type, r->idc, tx->data + r->off, r->len};
        rc = mnt_an2k_write(b, tx, &raw, 1, &one, &idc, d);
    } else {
        mnt_buf rec = {0};
        idc = 1;
        v.impression = 4; /* latent impression */
        rc = mnt_an2k_put_type13_png(&rec, im, idc, d);
        mnt_an2k_raw_record raw = {13, idc, rec.data, rec.len};
        if (!rc) rc = mnt_an2k_write(b, NULL, &raw, 1, &one, &idc, d);
        mnt_buf_free(&rec);
    }
    return rc;
}

void extract_image(const extract_settings *s, const char *input, extract_result *r, mnt_view *minutiae,
                   extract_outputs *out)
{
    extract_image_record(s, input, 0, r, minutiae, out);
}

void extract_image_record(const extract_settings *s, const char *input, int record, extract_result *r, mnt_view *minutiae,
                          extract_outputs *out)
{
    memset(r, 0, sizeof *r);
    mnt_an2k tx = {0};
    int have_tx = 0;
    size_t rk = 0;
    char label[32] = "";
    double t0 = now_ms();
    mnt_diag d = {0};
    uint8_t *data = NULL, *mask = NULL, *roi_in = NULL;
    size_t len = 0;
    mnt_image im = {0}, work = {0};
    mnt_detection det = {0};
    mnt_template t = {0};
    mnt_view cand = {0};
    int rc = mnt_read_file(input, 512u << 20, &data, &len, &d);
    if (rc) { fail(r, rc, input, mnt_diag_message(&d, rc)); goto done; }
    if (record > 0 || (len >= 6 && memcmp(data, "1.001:", 6) == 0)) {
        /* an ANSI/NIST-ITL transaction: one of its image records */
        if ((rc = mnt_an2k_parse(data, len, &tx, &d))) { fail(r, rc, input, mnt_diag_message(&d, rc)); goto done; }
        have_tx = 1;
        if (record <= 0) {
            rc = MNT_ERR_FORMAT;
            fail(r, rc, input, "ANSI/NIST-ITL transaction without a friction-ridge image record (Type-4, 13 or 14)");
            goto done;
        }
        rk = (size_t)record - 1;
        if (rk >= tx.nrec || !tx.rec[rk].is_image) {
            rc = MNT_ERR_ARG;
            fail(r, rc, input, "the transaction changed: the planned record is not an image record");
            goto done;
        }
        mnt_sha256_hex(data + tx.rec[rk].off, tx.rec[rk].len, r->sha256);
        mnt_an2k_record_label(&tx, rk, label, sizeof label);
        rc = mnt_an2k_decode_image(&tx, rk, s->max_pixels, &im, &d);
    } else {
        mnt_sha256_hex(data, len, r->sha256);
        rc = mnt_image_decode(data, len, s->max_pixels, &im, &d);
    }
    if (rc) { fail(r, rc, input, mnt_diag_message(&d, rc)); goto done; }
    double ppi = s->ppi > 0 ? s->ppi : im.ppi > 0 ? im.ppi : 500;
    r->ppi_assumed = !(s->ppi > 0) && !(im.ppi > 0);
    r->ppi = ppi;
    if (ppi < 400 || ppi > 1200) {
        rc = MNT_ERR_UNSUPPORTED;
        char v[96];
        snprintf(v, sizeof v, "resolution %.0f ppi outside 400..1200 (give --ppi if the file is wrong)", ppi);
        fail(r, rc, input, v);
        goto done;
    }
    im.ppi = ppi;
    if (im.width * 500.0 / ppi < MIN_PRINT_SIDE || im.height * 500.0 / ppi < MIN_PRINT_SIDE) {
        rc = MNT_ERR_FORMAT;
        char v[160];
        snprintf(v, sizeof v, "image of %dx%d pixels at %.0f ppi is too small to hold a print (at least %dx%d at 500 ppi)", im.width,
                 im.height, ppi, MIN_PRINT_SIDE, MIN_PRINT_SIDE);
        fail(r, rc, input, v);
        goto done;
    }
    size_t n = (size_t)im.width * im.height;
    if (s->invert)
        for (size_t i = 0; i < n; i++) im.px[i] = 1.0f - im.px[i];
    if (s->mirror) mnt_image_mirror_rows(im.px, im.width, im.height);
    /* work at the model's 500 ppi */
    double scale = 500.0 / ppi;
    const mnt_image *wim = &im;
    if (fabs(scale - 1.0) > 1e-3) {
        if ((rc = mnt_image_resample(&im, scale, &work, &d))) { fail(r, rc, input, mnt_diag_message(&d, rc)); goto done; }
        wim = &work;
    }
    char mpath[4200] = "";
    if (s->mask_file) snprintf(mpath, sizeof mpath, "%s", s->mask_file);
    else if (s->mask_dir) {
        char stem[1100];
        input_stem(input, stem, 1024);
        if (label[0]) { /* NAME.IDC.mask.png for a transaction's record */
            size_t l = strlen(stem);
            snprintf(stem + l, sizeof stem - l, ".%s", label);
        }
        join_path(mpath, sizeof mpath, s->mask_dir, stem, ".mask.png");
    }
    if (mpath[0]) {
        if ((rc = load_mask(mpath, im.width, im.height, wim->width, wim->height, &mask, r->warning, sizeof r->warning, &d))) {
            fail(r, rc, mpath, mnt_diag_message(&d, rc));
            goto done;
        }
        if (s->mirror)
            for (int y = 0; y < wim->height; y++) {
                uint8_t *row = mask + (size_t)y * wim->width;
                for (int x = 0; x < wim->width / 2; x++) {
                    uint8_t tmp = row[x];
                    row[x] = row[wim->width - 1 - x];
                    row[wim->width - 1 - x] = tmp;
                }
            }
    }
    mnt_detector dt = mnt_model_detector(s->model);
    dt.threshold = s->threshold;
    if (s->nms_radius > 0) dt.nms_radius = s->nms_radius;
    if (s->roi_margin >= 0) dt.roi_margin = s->roi_margin;
    dt.quality_weight = s->quality_weight;
    dt.direction_weight = s->direction_weight;
    dt.region_threshold = s->region_threshold;
    if ((rc = mnt_detect(&dt, wim, mask, &det, &d))) { fail(r, rc, input, mnt_diag_message(&d, rc)); goto done; }
    /* back to input coordinates (and unmirror) */
    if ((rc = mnt_template_init(&t))) { fail(r, rc, input, "out of memory"); goto done; }
    t.width = im.width;
    t.height = im.height;
    t.ppi = ppi;
    t.xres = t.yres = mnt_ppi_to_ppcm(ppi);
    t.views[0].impression = 2; /* non-live-scan plain: the closest code for a latent */
    {
        const char *base = strrchr(input, '/');
        snprintf(t.image, sizeof t.image, "%s", base ? base + 1 : input);
    }
    for (size_t i = 0; i < det.minutiae.n; i++) {
        mnt_minutia m = mnt_detection_to_input(det.minutiae.m[i], scale, im.width, im.height, s->mirror);
        if ((rc = mnt_view_push(&t.views[0], &m))) { fail(r, rc, input, "out of memory"); goto done; }
    }
    r->minutiae = t.views[0].n;
    if (minutiae) {
        for (size_t i = 0; i < t.views[0].n; i++)
            if ((rc = mnt_view_push(minutiae, &t.views[0].m[i]))) { fail(r, rc, input, "out of memory"); goto done; }
    }
    if (!out) goto done;
    mnt_diag wd = {0};
    const char *what = "review candidates";
    if ((s->formats & OUT_REVIEW) && s->threshold > 0 &&
        (rc = review_candidates(&dt, wim, mask, &t.views[0], scale, im.width, im.height, s->mirror, &cand, &wd)))
        goto write_failed;
    what = "template";
    if ((s->formats & OUT_ISO) && (rc = stage_template(out, OUT_ISO, &t, MNT_FMT_ISO2005, &wd))) goto write_failed;
    if ((s->formats & OUT_JSON) && (rc = stage_json(out, &t, (s->formats & OUT_REVIEW) ? &cand : NULL, s, r->sha256, &wd)))
        goto write_failed;
    if ((s->formats & OUT_ANSI) && (rc = stage_template(out, OUT_ANSI, &t, MNT_FMT_ANSI378, &wd))) goto write_failed;
    if ((s->formats & OUT_XYT) && (rc = stage_template(out, OUT_XYT, &t, MNT_FMT_XYT, &wd))) goto write_failed;
    if ((s->formats & OUT_XYT_M1) && (rc = stage_template(out, OUT_XYT_M1, &t, MNT_FMT_XYT_M1, &wd))) goto write_failed;
    if ((s->formats & OUT_ISO2011) && (rc = stage_template(out, OUT_ISO2011, &t, MNT_FMT_ISO2011, &wd))) goto write_failed;
    if (s->formats & (OUT_OVERLAY | OUT_PROB | OUT_REVIEW)) {
        /* the region in input coordinates, for the outline */
        roi_in = malloc(n);
        if (!roi_in) { rc = MNT_ERR_NOMEM; goto write_failed; }
        for (int y = 0; y < im.height; y++)
            for (int x = 0; x < im.width; x++) {
                int sx = (int)((x + 0.5) * scale), sy = (int)((y + 0.5) * scale);
                if (sx >= det.width) sx = det.width - 1;
                if (sy >= det.height) sy = det.height - 1;
                if (s->mirror) sx = det.width - 1 - sx;
                roi_in[(size_t)y * im.width + x] = det.roi[(size_t)sy * det.width + sx];
            }
    }
    if (s->formats & (OUT_OVERLAY | OUT_REVIEW | OUT_AN2K)) {
        /* the overlay, the review page and the transaction show the input as the
         * examiner sees it (not mirrored or inverted) */
        if (s->invert)
            for (size_t i = 0; i < n; i++) im.px[i] = 1.0f - im.px[i];
        if (s->mirror) mnt_image_mirror_rows(im.px, im.width, im.height);
    }
    what = "ANSI/NIST-ITL transaction";
    if ((s->formats & OUT_AN2K) && (rc = stage_an2k(out, &t, have_tx ? &tx : NULL, rk, &im, &wd))) goto write_failed;
    if (s->formats & OUT_REVIEW) {
        what = "review page";
        review_page_input rp = {&im, &t.views[0], &cand, t.image, s->model_name, ppi, s->threshold,
                                s->threshold * EXTRACT_REVIEW_FLOOR_SHARE};
        if ((rc = review_page_render(&rp, stage_slot(out, OUT_REVIEW), &wd))) goto write_failed;
    }
    if (s->formats & OUT_OVERLAY) {
        mnt_rgb_image ov;
        what = "overlay";
        mnt_overlay_desc od = {.image = &im, .marks = &t.views[0], .region = roi_in, .threshold = s->threshold, .ppi = ppi,
                               .ppi_assumed = r->ppi_assumed, .file_name = t.image, .model = s->model_name};
        if ((rc = mnt_overlay_draw(&od, &ov, NULL, &wd))) goto write_failed;
        rc = mnt_png_encode_rgb(&ov, stage_slot(out, OUT_OVERLAY), &wd);
        mnt_rgb_free(&ov);
        if (rc) goto write_failed;
    }
    if (s->formats & OUT_PROB) {
        mnt_image pm;
        if ((rc = mnt_image_alloc(&pm, im.width, im.height, 0, &wd))) goto write_failed;
        pm.ppi = ppi;
        for (int y = 0; y < im.height; y++)
            for (int x = 0; x < im.width; x++) {
                int gx = (int)((x + 0.5) * scale) / det.stride, gy = (int)((y + 0.5) * scale) / det.stride;
                if (gx >= det.pw) gx = det.pw - 1;
                if (gy >= det.ph) gy = det.ph - 1;
                if (s->mirror) gx = det.pw - 1 - gx;
                float v = det.prob[(size_t)gy * det.pw + gx];
                pm.px[(size_t)y * im.width + x] = v < 0 ? 0 : v;
            }
        what = "probability map";
        rc = mnt_png_encode_grey(&pm, stage_slot(out, OUT_PROB), &wd);
        mnt_image_free(&pm);
        if (rc) goto write_failed;
    }
    goto done;
write_failed:
    extract_outputs_free(out);
    {
        char why[400];
        snprintf(why, sizeof why, "cannot make the %s: %.300s", what, mnt_diag_message(&wd, rc));
        fail(r, rc == MNT_ERR_NOMEM ? MNT_ERR_NOMEM : MNT_ERR_IO, input, why);
    }
done:
    if (out && r->status) extract_outputs_free(out);
    free(data);
    free(mask);
    free(roi_in);
    mnt_image_free(&im);
    mnt_image_free(&work);
    mnt_detection_free(&det);
    mnt_template_free(&t);
    free(cand.m);
    if (have_tx) mnt_an2k_free(&tx);
    r->ms = now_ms() - t0;
}
