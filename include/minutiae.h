/* libminutiae: minutia extraction from latent fingerprint images, as a C library.
 *
 * The same detector as `minutiae extract`: a context holds a model (the embedded
 * default model or a model file) and the detection settings (from the model card,
 * changeable); minutiae_extract() takes an 8-bit grey pixel buffer with its resolution
 * and returns the minutiae in the buffer's pixel coordinates; minutiae_encode() writes
 * them as an ISO/IEC 19794-2, ANSI 378, NIST xyt or JSON template.
 *
 * Conventions (as the command's): x, y in pixels of the input, origin top-left, y down;
 * angle in degrees [0, 360), counter-clockwise as displayed, 0 = pointing right, a ridge
 * ending pointing into its ridge, a bifurcation into the valley between its branches;
 * quality 0..100; score 0..1 (the detector's confidence, compared with the threshold).
 *
 * Errors: every function that can fail returns (or stores in *err) 0 or a negative
 * minutiae_status; minutiae_strerror() names the code, minutiae_last_error() gives the
 * one-line message of the last failure on a context (or, with NULL, of the calling
 * thread's last failed minutiae_new_*()).
 *
 * Thread safety: a context may be used by one thread at a time (its settings and
 * last-error message are not locked). Different contexts may be used concurrently from
 * different threads; results and encoded buffers are independent of their context and
 * of each other. OpenBLAS threading is left as the application sets it (for many images
 * in parallel, one context per thread and openblas_set_num_threads(1) is fastest).
 *
 * Full guide: docs/library.md. */
#ifndef MINUTIAE_H
#define MINUTIAE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MINUTIAE_VERSION_MAJOR 0
#define MINUTIAE_VERSION_MINOR 1
#define MINUTIAE_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if tests */
#define MINUTIAE_VERSION_NUMBER (MINUTIAE_VERSION_MAJOR * 10000 + MINUTIAE_VERSION_MINOR * 100 + MINUTIAE_VERSION_PATCH)

#if defined(MINUTIAE_BUILDING) && defined(__GNUC__)
#define MINUTIAE_API __attribute__((visibility("default")))
#else
#define MINUTIAE_API
#endif

/* Status codes: 0 = success, failures negative. */
typedef enum {
    MINUTIAE_OK = 0,
    MINUTIAE_ERR_NOMEM = -1,       /* allocation failed */
    MINUTIAE_ERR_ARG = -2,         /* invalid argument (NULL, size, range) */
    MINUTIAE_ERR_FORMAT = -3,      /* malformed input (model file, image too small) */
    MINUTIAE_ERR_UNSUPPORTED = -4, /* valid input this build cannot handle (resolution) */
    MINUTIAE_ERR_LIMIT = -5,       /* input exceeds a size limit */
    MINUTIAE_ERR_IO = -6,          /* read failed */
    MINUTIAE_ERR_NOTFOUND = -7,    /* file missing, or no embedded model in this build */
    MINUTIAE_ERR_CREATE = -8,      /* output cannot be created */
    MINUTIAE_ERR_CONFIG = -9,      /* setting out of range */
    MINUTIAE_ERR_NUMERIC = -10,    /* numerical failure */
    MINUTIAE_ERR_INTERRUPTED = -11 /* stopped on request */
} minutiae_status;

typedef enum {
    MINUTIAE_TYPE_OTHER = 0,
    MINUTIAE_TYPE_ENDING = 1,
    MINUTIAE_TYPE_BIFURCATION = 2
} minutiae_type;

/* Template formats for minutiae_encode(). */
typedef enum {
    MINUTIAE_FORMAT_ISO2005 = 1, /* ISO/IEC 19794-2:2005 (what extract writes as NAME.iso) */
    MINUTIAE_FORMAT_ISO2011 = 2, /* ISO/IEC 19794-2:2011 */
    MINUTIAE_FORMAT_ANSI378 = 3, /* ANSI INCITS 378-2004 */
    MINUTIAE_FORMAT_XYT = 4,     /* NIST xyt text, NIST frame (origin bottom-left) */
    MINUTIAE_FORMAT_XYT_M1 = 5,  /* NIST xyt text, M1 frame (origin top-left) */
    MINUTIAE_FORMAT_JSON = 6     /* the project's JSON (docs/formats.md) */
} minutiae_format;

/* Detection settings; their defaults come from the model card. */
typedef enum {
    MINUTIAE_SET_THRESHOLD = 1,        /* score threshold 0..1 (0 keeps every peak) */
    MINUTIAE_SET_NMS_RADIUS = 2,       /* non-maximum suppression radius, pixels at 500 ppi, (0, 200) */
    MINUTIAE_SET_ROI_MARGIN = 3,       /* drop detections this close to the region's edge, px at 500 ppi, [0, 200) */
    MINUTIAE_SET_QUALITY_WEIGHT = 4,   /* weight of the local ridge quality in the score, 0..1 */
    MINUTIAE_SET_DIRECTION_WEIGHT = 5, /* weight of the direction head's certainty in the score, 0..1 */
    MINUTIAE_SET_REGION_THRESHOLD = 6, /* > 0: region from the foreground head; 0 = segmented, [0, 1) */
    MINUTIAE_SET_MAX_PIXELS = 7,       /* largest image accepted, pixels, 1e4..2^28 (default 40 Mi) */
    MINUTIAE_SET_MIRROR = 8,           /* 1: the image is mirrored (tape and gel lifts) */
    MINUTIAE_SET_INVERT = 9            /* 1: light ridges on a dark surface */
} minutiae_setting;

typedef struct {
    double x, y;        /* pixels of the input buffer, origin top-left */
    double angle;       /* degrees [0, 360), counter-clockwise, 0 = right */
    minutiae_type type;
    int quality;        /* 0..100 */
    double score;       /* detector confidence 0..1 */
} minutiae_minutia;

typedef struct minutiae_ctx minutiae_ctx;
typedef struct minutiae_result minutiae_result;

/* "MAJOR.MINOR.PATCH" of the library actually loaded. */
MINUTIAE_API const char *minutiae_version(void);

/* Contexts. Each returns NULL on failure with the code in *err (err may be NULL) and the
 * message in minutiae_last_error(NULL). */
MINUTIAE_API minutiae_ctx *minutiae_new_default(int *err); /* the model embedded in the library */
MINUTIAE_API minutiae_ctx *minutiae_new_from_file(const char *path, int *err);
MINUTIAE_API minutiae_ctx *minutiae_new_from_memory(const void *data, size_t len, int *err); /* data is copied */
MINUTIAE_API void minutiae_free(minutiae_ctx *ctx);                                          /* NULL is fine */

/* Settings. set: 0, MINUTIAE_ERR_CONFIG when out of range (unchanged), MINUTIAE_ERR_ARG for
 * an unknown key. get: 0 and *value, or MINUTIAE_ERR_ARG. reset: the model card's values. */
MINUTIAE_API int minutiae_set(minutiae_ctx *ctx, minutiae_setting key, double value);
MINUTIAE_API int minutiae_get(const minutiae_ctx *ctx, minutiae_setting key, double *value);
MINUTIAE_API int minutiae_reset_settings(minutiae_ctx *ctx);
MINUTIAE_API int minutiae_set_threshold(minutiae_ctx *ctx, double threshold);
MINUTIAE_API double minutiae_get_threshold(const minutiae_ctx *ctx); /* -1 for NULL */
/* The model card (YAML text: architecture, detection defaults, provenance), owned by ctx. */
MINUTIAE_API const char *minutiae_model_card(const minutiae_ctx *ctx);

/* Extracts the minutiae of one image: width x height 8-bit grey samples (0 = black),
 * row r starting at pixels + r * stride (stride >= width); ppi = its resolution,
 * 400..1200 (0 = 500), resampled to the model's 500 ppi as extract does, minutiae mapped
 * back to the buffer's pixels. *out receives a result (free with minutiae_result_free)
 * or NULL on failure. */
MINUTIAE_API int minutiae_extract(minutiae_ctx *ctx, const uint8_t *pixels, int width, int height, int stride, double ppi,
                                  minutiae_result **out);

MINUTIAE_API size_t minutiae_result_count(const minutiae_result *r); /* 0 for NULL */
/* Copies minutia i (0 <= i < count, in the order extract writes them) to *m. */
MINUTIAE_API int minutiae_result_get(const minutiae_result *r, size_t i, minutiae_minutia *m);
MINUTIAE_API void minutiae_result_free(minutiae_result *r);

/* Encodes a result as a template in a new buffer (*buf, *len; free with minutiae_buffer_free).
 * width, height and ppi describe the image (0 = those given to minutiae_extract). Binary
 * formats round positions to whole pixels and keep at most 255 minutiae (the best). */
MINUTIAE_API int minutiae_encode(const minutiae_result *r, minutiae_format format, int width, int height, double ppi,
                                 uint8_t **buf, size_t *len);
MINUTIAE_API void minutiae_buffer_free(uint8_t *buf);

/* Static text naming a status code ("invalid argument", ...). */
MINUTIAE_API const char *minutiae_strerror(int code);
/* The one-line message of the last failure on ctx ("" when none), valid until the next
 * call on ctx; with ctx NULL, of this thread's last failed minutiae_new_*(). */
MINUTIAE_API const char *minutiae_last_error(const minutiae_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
