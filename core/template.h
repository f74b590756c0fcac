/* In-memory minutiae template: the canonical form every format converts to.
 * Coordinates in pixels of the image, origin top-left, y down; angle in degrees
 * in [0, 360), counter-clockwise as displayed, 0 = pointing right, pointing into
 * the ridge (ending) or into the enclosed valley (bifurcation). */
#ifndef MNT_TEMPLATE_H
#define MNT_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "mnt_error.h"

typedef enum {
    MNT_TYPE_OTHER = 0,
    MNT_TYPE_ENDING = 1,
    MNT_TYPE_BIFURCATION = 2
} mnt_minutia_type;

enum {
    MNT_QUALITY_NOT_COMPUTED = 254, /* ISO 2011 only */
    MNT_QUALITY_FAILED = 255,       /* ISO 2011 only */
    MNT_MAX_VIEW_MINUTIAE = 255     /* binary record limit */
};

typedef struct {
    double x, y;     /* pixels */
    double angle;    /* degrees [0, 360) */
    mnt_minutia_type type;
    int quality;     /* 0..100 (254/255 from ISO 2011) */
    double score;    /* detector confidence 0..1, valid when has_score */
    int has_score;
    int hidden;      /* truth only: invisible in the latent */
} mnt_minutia;

/* Fields only ISO/IEC 19794-2:2011 carries, kept for lossless round trips. */
typedef struct {
    uint8_t datetime[9];   /* year u16, mon, day, h, m, s, ms u16; all 0xFF = absent */
    uint8_t sensor_tech;
    uint16_t sensor_vendor;
    uint16_t sensor_type;
    int n_quality;         /* quality blocks, at most 8 kept */
    struct { uint8_t score; uint16_t vendor, algorithm; } quality[8];
    int n_cert;
    struct { uint16_t authority; uint8_t scheme; } cert[8];
    uint8_t ending_type;   /* 0 valley-skeleton fork, 1 ridge-skeleton end */
    uint8_t minutia_size;  /* 5 or 6 */
} mnt_iso2011_extra;

typedef struct {
    int position;    /* finger position 0..10 */
    int view;        /* view / representation number */
    int impression;  /* impression type code */
    int quality;     /* finger quality 0..100 */
    size_t n, cap;
    mnt_minutia *m;
    mnt_iso2011_extra x2011;
    int width, height; /* per representation (ISO 2011); 0 = record's */
} mnt_view;

typedef struct {
    int width, height;     /* pixels */
    int xres, yres;        /* pixels per centimetre, 0 = unknown */
    double ppi;            /* pixels per inch when known exactly (JSON), else 0 */
    uint16_t capture_equipment; /* compliance nibble + device id */
    uint32_t cbeff;        /* ANSI product identifier owner<<16 | type */
    int certification;     /* ISO 2011 certification flag */
    size_t nviews;
    mnt_view *views;
    /* JSON extras */
    char image[256];
    char level[16];
    char cls[24];
} mnt_template;

int mnt_template_init(mnt_template *t); /* zeroes, one empty view */
void mnt_template_free(mnt_template *t);
int mnt_template_add_view(mnt_template *t, mnt_view **out);
int mnt_view_push(mnt_view *v, const mnt_minutia *m);
/* Deep copy of one view into a fresh single-view template. */
int mnt_template_copy_view(const mnt_template *src, size_t view, mnt_template *dst);

/* Keeps the `keep` minutiae of highest quality (stable: ties keep input order). */
void mnt_view_keep_best(mnt_view *v, size_t keep);

/* ppi <-> pixels per centimetre, rounded as FORMATS.md: (dpi*100+50)/254. */
int mnt_ppi_to_ppcm(double ppi);
double mnt_ppcm_to_ppi(int ppcm);
/* Resolution of t in ppi: t->ppi, else from xres rounded to whole ppi, else 0. */
double mnt_template_ppi(const mnt_template *t);

/* Angle and unit conversions of FORMATS.md section 5. */
double mnt_angle_norm(double deg);          /* into [0, 360) */
double mnt_angle_diff(double a, double b);  /* smallest |a-b| in [0, 180] */
int mnt_angle_to_iso(double deg);           /* 360/256 units, 0..255 */
double mnt_angle_from_iso(int a);
int mnt_angle_to_ansi(double deg);          /* 2-degree units, 0..179 */
double mnt_angle_from_ansi(int a);

const char *mnt_type_name(mnt_minutia_type t); /* "ending", "bifurcation", "other" */
int mnt_type_from_name(const char *s, mnt_minutia_type *out);

#endif
