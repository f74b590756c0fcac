/* libminutiae: the public API of include/minutiae.h over core/ and io/. One image goes
 * the way app/extract_job.c takes it (8-bit samples as the PGM reader scales them,
 * invert, mirror, resample to the model's 500 ppi, mnt_detect, coordinates back to the
 * input), so the library finds exactly what `minutiae extract` finds. */
#include "minutiae.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "detect.h"
#include "embedded_model.h"
#include "file_io.h"
#include "image.h"
#include "model_file.h"
#include "template_io.h"

#define STR2(x) #x
#define STR(x) STR2(x)

/* The public codes are the internal ones. */
_Static_assert((int)MINUTIAE_ERR_NOMEM == (int)MNT_ERR_NOMEM && (int)MINUTIAE_ERR_ARG == (int)MNT_ERR_ARG && (int)MINUTIAE_ERR_FORMAT == (int)MNT_ERR_FORMAT && (int)MINUTIAE_ERR_UNSUPPORTED == (int)MNT_ERR_UNSUPPORTED && (int)MINUTIAE_ERR_LIMIT == (int)MNT_ERR_LIMIT && (int)MINUTIAE_ERR_IO == (int)MNT_ERR_IO && (int)MINUTIAE_ERR_NOTFOUND == (int)MNT_ERR_NOTFOUND && (int)MINUTIAE_ERR_CREATE == (int)MNT_ERR_CREATE && (int)MINUTIAE_ERR_CONFIG == (int)MNT_ERR_CONFIG && (int)MINUTIAE_ERR_NUMERIC == (int)MNT_ERR_NUMERIC && (int)MINUTIAE_ERR_INTERRUPTED == (int)MNT_ERR_INTERRUPTED,
               "public and internal status codes differ");
_Static_assert((int)MINUTIAE_TYPE_ENDING == (int)MNT_TYPE_ENDING && (int)MINUTIAE_TYPE_BIFURCATION == (int)MNT_TYPE_BIFURCATION &&
                   (int)MINUTIAE_TYPE_OTHER == (int)MNT_TYPE_OTHER,
               "public and internal minutia types differ");

/* As extract_job.c: below this many pixels a side at 500 ppi no print can be told apart. */
enum { MIN_PRINT_SIDE = 64 };
/* As cmd_extract.c: the default image budget and the model file limit. */
#define DEFAULT_MAX_PIXELS ((size_t)40 << 20)
#define MAX_MODEL_BYTES ((size_t)1 << 30)

typedef struct {
    double threshold, nms_radius, roi_margin, quality_weight, direction_weight, region_threshold;
    size_t max_pixels;
    int mirror, invert;
} lib_settings;

struct minutiae_ctx {
    mnt_model model;
    lib_settings s;
    char error[600];
};

struct minutiae_result {
    int width, height;
    double ppi;
    size_t n;
    minutiae_minutia *m;
};

static _Thread_local char create_error[600];

static int set_error(char *buf, size_t cap, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int set_error(char *buf, size_t cap, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return code;
}

MINUTIAE_API const char *minutiae_version(void)
{
    return STR(MINUTIAE_VERSION_MAJOR) "." STR(MINUTIAE_VERSION_MINOR) "." STR(MINUTIAE_VERSION_PATCH);
}

MINUTIAE_API const char *minutiae_strerror(int code)
{
    return mnt_strerror(code);
}

MINUTIAE_API const char *minutiae_last_error(const minutiae_ctx *ctx)
{
    return ctx ? ctx->error : create_error;
}

static void defaults(minutiae_ctx *c)
{
    const mnt_model *m = &c->model;
    c->s.threshold = m->threshold;
    c->s.nms_radius = m->nms_radius;
    c->s.roi_margin = m->roi_margin;
    c->s.quality_weight = m->quality_weight;
    c->s.direction_weight = m->direction_weight;
    c->s.region_threshold = m->region_threshold;
    c->s.max_pixels = DEFAULT_MAX_PIXELS;
    c->s.mirror = c->s.invert = 0;
}

static minutiae_ctx *create(const uint8_t *data, size_t len, const char *what, int *err)
{
    mnt_diag d = {0};
    int rc;
    create_error[0] = 0;
    minutiae_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        rc = set_error(create_error, sizeof create_error, MNT_ERR_NOMEM, "out of memory");
    } else if ((rc = mnt_model_decode(data, len, &c->model, &d))) {
        set_error(create_error, sizeof create_error, rc, "%.200s: %.390s", what, mnt_diag_message(&d, rc));
        free(c);
        c = NULL;
    } else {
        defaults(c);
    }
    if (err) *err = rc;
    return c;
}

MINUTIAE_API minutiae_ctx *minutiae_new_default(int *err)
{
    const uint8_t *data;
    size_t len;
    if (!embedded_model(&data, &len)) {
        set_error(create_error, sizeof create_error, MNT_ERR_NOTFOUND, "this build of libminutiae has no embedded model: use minutiae_new_from_file");
        if (err) *err = MNT_ERR_NOTFOUND;
        return NULL;
    }
    return create(data, len, "embedded model", err);
}

MINUTIAE_API minutiae_ctx *minutiae_new_from_file(const char *path, int *err)
{
    if (!path) {
        set_error(create_error, sizeof create_error, MNT_ERR_ARG, "no model path given");
        if (err) *err = MNT_ERR_ARG;
        return NULL;
    }
    mnt_diag d = {0};
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = mnt_read_file(path, MAX_MODEL_BYTES, &data, &len, &d);
    if (rc) {
        set_error(create_error, sizeof create_error, rc, "%.200s: %.390s", path, mnt_diag_message(&d, rc));
        if (err) *err = rc;
        return NULL;
    }
    minutiae_ctx *c = create(data, len, path, err);
    free(data);
    return c;
}

MINUTIAE_API minutiae_ctx *minutiae_new_from_memory(const void *data, size_t len, int *err)
{
    if (!data || !len) {
        set_error(create_error, sizeof create_error, MNT_ERR_ARG, "no model bytes given");
        if (err) *err = MNT_ERR_ARG;
        return NULL;
    }
    return create(data, len, "model", err);
}

MINUTIAE_API void minutiae_free(minutiae_ctx *ctx)
{
    if (!ctx) return;
    mnt_model_free(&ctx->model);
    free(ctx);
}

MINUTIAE_API int minutiae_set(minutiae_ctx *ctx, minutiae_setting key, double v)
{
    if (!ctx) return MNT_ERR_ARG;
    lib_settings *s = &ctx->s;
    int ok;
    switch (key) {
    case MINUTIAE_SET_THRESHOLD: if ((ok = v >= 0 && v <= 1)) s->threshold = v; break;
    case MINUTIAE_SET_NMS_RADIUS: if ((ok = v > 0 && v < 200)) s->nms_radius = v; break;
    case MINUTIAE_SET_ROI_MARGIN: if ((ok = v >= 0 && v < 200)) s->roi_margin = v; break;
    case MINUTIAE_SET_QUALITY_WEIGHT: if ((ok = v >= 0 && v <= 1)) s->quality_weight = v; break;
    case MINUTIAE_SET_DIRECTION_WEIGHT: if ((ok = v >= 0 && v <= 1)) s->direction_weight = v; break;
    case MINUTIAE_SET_REGION_THRESHOLD:
        if ((ok = v >= 0 && v < 1 && !(v > 0 && ctx->model.region_threshold == 0))) s->region_threshold = v;
        break;
    case MINUTIAE_SET_MAX_PIXELS: if ((ok = v >= 1e4 && v <= 268435456.0)) s->max_pixels = (size_t)v; break;
    case MINUTIAE_SET_MIRROR: if ((ok = v == 0 || v == 1)) s->mirror = v == 1; break;
    case MINUTIAE_SET_INVERT: if ((ok = v == 0 || v == 1)) s->invert = v == 1; break;
    default: return set_error(ctx->error, sizeof ctx->error, MNT_ERR_ARG, "unknown setting %d", (int)key);
    }
    if (!ok) {
        static const char *const RANGE[] = {"", "threshold in 0..1", "nms_radius in (0, 200) pixels", "roi_margin in [0, 200) pixels",
                                            "quality_weight in 0..1", "direction_weight in 0..1",
                                            "region_threshold in [0, 1) (above 0 only for a model with a trained foreground head)",
                                            "max_pixels in 1e4..2^28", "mirror 0 or 1", "invert 0 or 1"};
        return set_error(ctx->error, sizeof ctx->error, MNT_ERR_CONFIG, "setting %g refused: %s", v, RANGE[key]);
    }
    return MNT_OK;
}

MINUTIAE_API int minutiae_get(const minutiae_ctx *ctx, minutiae_setting key, double *v)
{
    if (!ctx || !v) return MNT_ERR_ARG;
    const lib_settings *s = &ctx->s;
    switch (key) {
    case MINUTIAE_SET_THRESHOLD: *v = s->threshold; break;
    case MINUTIAE_SET_NMS_RADIUS: *v = s->nms_radius; break;
    case MINUTIAE_SET_ROI_MARGIN: *v = s->roi_margin; break;
    case MINUTIAE_SET_QUALITY_WEIGHT: *v = s->quality_weight; break;
    case MINUTIAE_SET_DIRECTION_WEIGHT: *v = s->direction_weight; break;
    case MINUTIAE_SET_REGION_THRESHOLD: *v = s->region_threshold; break;
    case MINUTIAE_SET_MAX_PIXELS: *v = (double)s->max_pixels; break;
    case MINUTIAE_SET_MIRROR: *v = s->mirror; break;
    case MINUTIAE_SET_INVERT: *v = s->invert; break;
    default: return MNT_ERR_ARG;
    }
    return MNT_OK;
}

MINUTIAE_API int minutiae_reset_settings(minutiae_ctx *ctx)
{
    if (!ctx) return MNT_ERR_ARG;
    defaults(ctx);
    return MNT_OK;
}

MINUTIAE_API int minutiae_set_threshold(minutiae_ctx *ctx, double threshold)
{
    return minutiae_set(ctx, MINUTIAE_SET_THRESHOLD, threshold);
}

MINUTIAE_API double minutiae_get_threshold(const minutiae_ctx *ctx)
{
    return ctx ? ctx->s.threshold : -1;
}

MINUTIAE_API const char *minutiae_model_card(const minutiae_ctx *ctx)
{
    return ctx && ctx->model.card ? ctx->model.card : "";
}

MINUTIAE_API int minutiae_extract(minutiae_ctx *ctx, const uint8_t *pixels, int width, int height, int stride, double ppi,
                                  minutiae_result **out)
{
    if (out) *out = NULL;
    if (!ctx) return MNT_ERR_ARG;
    ctx->error[0] = 0;
    char *e = ctx->error;
    size_t ecap = sizeof ctx->error;
    if (!out || !pixels) return set_error(e, ecap, MNT_ERR_ARG, "no %s given", out ? "pixels" : "result pointer");
    if (width <= 0 || height <= 0 || stride < width)
        return set_error(e, ecap, MNT_ERR_ARG, "image of %dx%d with stride %d: sizes must be positive, stride at least the width",
                         width, height, stride);
    if (ppi == 0) ppi = 500;
    if (!(ppi >= 400 && ppi <= 1200))
        return set_error(e, ecap, MNT_ERR_UNSUPPORTED, "resolution %.0f ppi outside 400..1200", ppi);
    if (width * 500.0 / ppi < MIN_PRINT_SIDE || height * 500.0 / ppi < MIN_PRINT_SIDE)
        return set_error(e, ecap, MNT_ERR_FORMAT,
                         "image of %dx%d pixels at %.0f ppi is too small to hold a print (at least %dx%d at 500 ppi)", width, height,
                         ppi, MIN_PRINT_SIDE, MIN_PRINT_SIDE);
    const lib_settings *s = &ctx->s;
    const mnt_model *model = &ctx->model;
    mnt_diag d = {0};
    mnt_image im = {0}, work = {0};
    mnt_detection det = {0};
    minutiae_result *r = NULL;
    int rc = mnt_image_alloc(&im, width, height, s->max_pixels, &d);
    if (rc) goto fail;
    im.ppi = ppi;
    for (int y = 0; y < height; y++) {
        const uint8_t *row = pixels + (size_t)y * (size_t)stride;
        float *o = im.px + (size_t)y * width;
        for (int x = 0; x < width; x++) o[x] = (float)((double)row[x] / 255.0); /* as the PGM reader */
    }
    size_t n = (size_t)width * height;
    if (s->invert)
        for (size_t i = 0; i < n; i++) im.px[i] = 1.0f - im.px[i];
    if (s->mirror) mnt_image_mirror_rows(im.px, width, height);
    double scale = 500.0 / ppi;
    const mnt_image *wim = &im;
    if (fabs(scale - 1.0) > 1e-3) {
        if ((rc = mnt_image_resample(&im, scale, &work, &d))) goto fail;
        wim = &work;
    }
    mnt_detector dt = mnt_model_detector(model);
    dt.threshold = s->threshold;
    dt.nms_radius = s->nms_radius;
    dt.roi_margin = s->roi_margin;
    dt.quality_weight = s->quality_weight;
    dt.direction_weight = s->direction_weight;
    dt.region_threshold = s->region_threshold;
    if ((rc = mnt_detect(&dt, wim, NULL, &det, &d))) goto fail;
    r = calloc(1, sizeof *r);
    if (!r || (det.minutiae.n && !(r->m = calloc(det.minutiae.n, sizeof *r->m)))) {
        rc = mnt_fail(&d, MNT_ERR_NOMEM, "out of memory");
        goto fail;
    }
    r->width = width;
    r->height = height;
    r->ppi = ppi;
    r->n = det.minutiae.n;
    for (size_t i = 0; i < det.minutiae.n; i++) {
        mnt_minutia m = mnt_detection_to_input(det.minutiae.m[i], scale, width, height, s->mirror);
        r->m[i] = (minutiae_minutia){m.x, m.y, m.angle, (minutiae_type)m.type, m.quality, m.score};
    }
    mnt_image_free(&im);
    mnt_image_free(&work);
    mnt_detection_free(&det);
    *out = r;
    return MNT_OK;
fail:
    set_error(e, ecap, rc, "%s", mnt_diag_message(&d, rc));
    minutiae_result_free(r);
    mnt_image_free(&im);
    mnt_image_free(&work);
    mnt_detection_free(&det);
    return rc;
}

MINUTIAE_API size_t minutiae_result_count(const minutiae_result *r)
{
    return r ? r->n : 0;
}

MINUTIAE_API int minutiae_result_get(const minutiae_result *r, size_t i, minutiae_minutia *m)
{
    if (!r || !m || i >= r->n) return MNT_ERR_ARG;
    *m = r->m[i];
    return MNT_OK;
}

MINUTIAE_API void minutiae_result_free(minutiae_result *r)
{
    if (!r) return;
    free(r->m);
    free(r);
}

MINUTIAE_API int minutiae_encode(const minutiae_result *r, minutiae_format format, int width, int height, double ppi,
                                 uint8_t **buf, size_t *len)
{
    if (buf) *buf = NULL;
    if (len) *len = 0;
    if (!r || !buf || !len || width < 0 || height < 0 || ppi < 0) return MNT_ERR_ARG;
    static const mnt_format FORMATS[] = {MNT_FMT_UNKNOWN, MNT_FMT_ISO2005, MNT_FMT_ISO2011, MNT_FMT_ANSI378,
                                         MNT_FMT_XYT,     MNT_FMT_XYT_M1,  MNT_FMT_JSON};
    if ((int)format < 1 || (int)format > 6) return MNT_ERR_ARG;
    if (!width) width = r->width;
    if (!height) height = r->height;
    if (!(ppi > 0)) ppi = r->ppi > 0 ? r->ppi : 500;
    mnt_template t;
    int rc = mnt_template_init(&t);
    if (rc) return rc;
    /* the template extract writes (extract_job.c) */
    t.width = width;
    t.height = height;
    t.ppi = ppi;
    t.xres = t.yres = mnt_ppi_to_ppcm(ppi);
    t.views[0].impression = 2; /* non-live-scan plain: the closest code for a latent */
    for (size_t i = 0; !rc && i < r->n; i++) {
        const minutiae_minutia *p = &r->m[i];
        mnt_minutia m = {p->x, p->y, p->angle, (mnt_minutia_type)p->type, p->quality, p->score, 1, 0};
        rc = mnt_view_push(&t.views[0], &m);
    }
    mnt_buf b = {0};
    if (!rc) rc = mnt_template_encode(&t, FORMATS[format], NULL, &b, NULL);
    mnt_template_free(&t);
    if (rc) {
        mnt_buf_free(&b);
        return rc;
    }
    if (!b.data) { /* an empty text template: still a buffer the caller frees */
        b.data = malloc(1);
        if (!b.data) return MNT_ERR_NOMEM;
    }
    *buf = b.data;
    *len = b.len;
    return MNT_OK;
}

MINUTIAE_API void minutiae_buffer_free(uint8_t *buf)
{
    free(buf);
}
