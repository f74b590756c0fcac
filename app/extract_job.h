/* One image through extraction: load, resolution, mirror/invert, resample to the
 * model's 500 ppi, region, detection, coordinates back to the input, outputs written
 * atomically. */
#ifndef MNT_EXTRACT_JOB_H
#define MNT_EXTRACT_JOB_H

#include <stddef.h>

#include "bytes.h"
#include "model_file.h"
#include "template.h"

enum {
    OUT_ISO = 1, OUT_JSON = 2, OUT_OVERLAY = 4, OUT_ANSI = 8, OUT_XYT = 16, OUT_XYT_M1 = 32, OUT_ISO2011 = 64, OUT_PROB = 128,
    OUT_REVIEW = 256, /* NAME.review.html, with candidates down to the review floor */
    OUT_AN2K = 512    /* NAME.an2: ANSI/NIST-ITL transaction with the image record and Type-9 */
};

/* Candidates for the review page go down to this share of the threshold. */
#define EXTRACT_REVIEW_FLOOR_SHARE 0.5

typedef struct {
    const mnt_model *model;
    double threshold;
    double nms_radius;     /* pixels at 500 ppi */
    double roi_margin;     /* drop detections this close to the region's edge */
    double quality_weight; /* weight of the local ridge quality in the score */
    double direction_weight; /* weight of the direction head's certainty in the score */
    double region_threshold; /* > 0: region from the foreground head at this probability */
    double ppi;            /* --ppi, 0 = from the file, else 500 */
    int mirror, invert;
    size_t max_pixels;
    unsigned formats;
    const char *mask_file; /* the examiner's region for a single input */
    const char *mask_dir;  /* NAME.mask.png per input */
    const char *tool_version;    /* provenance written into NAME.json */
    const char *settings_json;   /* the effective settings, a JSON object */
    const char *settings_sha256; /* SHA-256 of settings_json */
    const char *model_name;      /* shown on the review page and in the overlay's title (NULL = not shown) */
} extract_settings;

typedef struct {
    int status;            /* library status, 0 = ok */
    char error[600];
    size_t minutiae;
    double ms;
    char sha256[65];
    double ppi;
    int ppi_assumed;
    int skipped;           /* --resume found complete outputs */
    int input_unreadable;  /* the input is missing or cannot be read */
    char warning[200];     /* done, with a caveat (a mask scaled to the image) */
} extract_result;

/* The settings the model card gives (threshold, detection weights, region), and the
 * default pixel budget if none is set; every other field of s is left as it is. */
void extract_settings_from_model(extract_settings *s, const mnt_model *m);

/* Output file of base + suffix for each requested format (NULL-terminated list). */
size_t extract_output_paths(unsigned formats, const char *base, char paths[][4200], size_t max);

/* The encoded outputs of one image, not yet written (the caller commits them). */
typedef struct {
    size_t n;
    struct {
        const char *suffix;
        mnt_buf data;
    } files[10];
} extract_outputs;
void extract_outputs_free(extract_outputs *o);

/* minutiae (optional) receives the detections in input coordinates; out (optional)
 * receives the encoded outputs of s->formats (emptied when the image failed). */
void extract_image(const extract_settings *s, const char *input, extract_result *r, mnt_view *minutiae,
                   extract_outputs *out);
/* The same for image record `record` (1-based, > 0) of the ANSI/NIST-ITL transaction at
 * input; record 0 is the whole file (an image, or a transaction that is refused with
 * the reason). r->sha256 is the SHA-256 of the record's bytes. */
void extract_image_record(const extract_settings *s, const char *input, int record, extract_result *r, mnt_view *minutiae,
                          extract_outputs *out);
/* What the outputs of (input, record) are made from: the SHA-256 of the file, or of the
 * record's bytes. 0 when it could be read. */
int extract_input_sha256(const char *input, int record, char sha[65]);

/* Loads --model FILE (path) or the embedded default model (path NULL); name and sha
 * (hex SHA-256 of the model bytes) describe it in reports. */
int extract_load_model(const char *path, mnt_model *m, char *name, size_t ncap, char sha[65], mnt_diag *d);

#endif
