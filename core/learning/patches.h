/* Patches for the GSAE: extraction with rotation and mirroring, and the sampling of
 * labelled training patches around true minutiae. */
#ifndef MNT_PATCHES_H
#define MNT_PATCHES_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "orientation.h"
#include "rng.h"
#include "template.h"

enum { MNT_FRAME_IMAGE = 0, MNT_FRAME_RIDGE = 1 };

/* Samples a grid x grid patch covering size x size pixels centred on (cx, cy), rotated
 * by angle (radians, CCW as displayed: the patch's +x axis points along angle) and
 * mirrored about its vertical axis if mirror; bilinear, edges clamped. Out: grid^2
 * values in [0,1]. */
void mnt_patch_extract(const mnt_image *im, double cx, double cy, double angle, int mirror, int size, int grid,
                       float *out);

/* Axis-aligned patch at an integer centre when size / grid is even: the samples fall
 * on pixels, so this equals mnt_patch_extract(angle 0) without interpolation. */
void mnt_patch_extract_pixels(const mnt_image *im, int cx, int cy, int size, int grid, float *out);
/* The same, mirrored: equals mnt_patch_extract(angle 0, mirror 1) there (the detector's
 * second opinion), a row reversal instead of 256 bilinear samples in double. */
void mnt_patch_extract_pixels_mirrored(const mnt_image *im, int cx, int cy, int size, int grid, float *out);

/* Multi-scale input: with context c (2..MNT_CONTEXT_MAX; 0 = off) a patch is the
 * size x size window on grid x grid samples followed by the window c times as large,
 * cut on a grid c times as fine and pooled c x c back to grid x grid (so it is smoothed
 * in proportion to its step). The two parts are normalised apart. */
enum { MNT_CONTEXT_MAX = 4, MNT_CONTEXT_FINE_MAX = 64 /* c * grid, at most */ };

/* Values per patch: grid^2, or twice that with a context window. */
int mnt_patch_values(int grid, int context);
/* A context is 0, or 2..MNT_CONTEXT_MAX with context * grid <= MNT_CONTEXT_FINE_MAX. */
int mnt_patch_context_valid(int grid, int context);

/* mnt_patch_extract, then the context window (if any) into out + grid^2. */
void mnt_patch_cut(const mnt_image *im, double cx, double cy, double angle, int mirror, int size, int grid, int context,
                   float *out);
/* mnt_patch_extract_pixels(_mirrored), then the context window the same way; equals
 * mnt_patch_cut(angle 0) where mnt_patch_extract_pixels equals mnt_patch_extract. */
void mnt_patch_cut_pixels(const mnt_image *im, int cx, int cy, int mirror, int size, int grid, int context, float *out);
/* An axis-aligned patch at an integer centre: mnt_patch_cut_pixels where the samples fall
 * on pixels (size / grid even), mnt_patch_cut(angle 0) otherwise; the same floats. */
void mnt_patch_cut_upright(const mnt_image *im, int cx, int cy, int mirror, int size, int grid, int context, float *out);
/* mnt_patch_normalise on each part of a patch of mnt_patch_values(grid, context). */
void mnt_patch_normalise_parts(float *x, int grid, int context);

/* Orientation smoothing of models and patch sets from before the setting. */
#define MNT_ORIENTATION_SIGMA_LEGACY 4.0

/* The image patches are cut from: smoothed by about half the sampling step, so that
 * sampling every step-th pixel does not alias noise into the patch, then (ridge_sigma
 * > 0) smoothed along the ridges of orient by that many pixels (enhance.h); the same
 * in training and detection. out must be freed with mnt_image_free. */
int mnt_patch_source(const mnt_image *im, int size, int grid, double ridge_sigma, const mnt_orientation *orient,
                     mnt_image *out, mnt_diag *d);

typedef struct {
    int size, grid;               /* pixels covered, samples per side */
    double pos_radius;            /* positives centred within this of a true minutia */
    double neg_radius;            /* negatives at least this far from any truth */
    double neg_per_pos;           /* negatives per positive patch */
    double share_foreground, share_ridge, share_clutter; /* where negatives come from */
    double share_border;          /* ... and near the edge of the foreground mask, where
                                     ridges end without being minutiae */
    int rotations;                /* augmented copies per positive (random rotations) */
    double mirror_prob;
    double contrast_lo, contrast_hi, brightness, noise;
    int oriented;                 /* also write ridge-frame copies for type/direction */
    double ridge_sigma;           /* smoothing along ridges before cutting, pixels (0 = off) */
    double orientation_sigma;     /* smoothing of the structure tensor that gives the ridge
                                     orientation (patch frames, smoothing along ridges), pixels */
    int context;                  /* multi-scale input (see mnt_patch_cut), 0 = off */
} mnt_patch_params;

void mnt_patch_defaults(mnt_patch_params *p);
int mnt_patch_validate(const mnt_patch_params *p, mnt_diag *d);

/* Where a patch's centre lies, for the foreground head: inside the print's region,
 * outside it (background, clutter), or not recorded (patch sets before format 3). */
enum { MNT_REGION_UNKNOWN = 0, MNT_REGION_FOREGROUND = 1, MNT_REGION_BACKGROUND = 2 };

/* Patch classes: an unlabelled patch trains only the autoencoder's terms (format 3). */
enum { MNT_PATCH_NON_MINUTIA = 0, MNT_PATCH_MINUTIA = 1, MNT_PATCH_UNLABELLED = 2 };

typedef struct {
    uint8_t cls;       /* MNT_CLASS_* */
    uint8_t type;      /* mnt_minutia_type for positives */
    uint8_t frame;     /* MNT_FRAME_IMAGE or MNT_FRAME_RIDGE */
    float angle;       /* minutia direction in the patch frame, degrees (positives) */
    uint32_t source;   /* index of the source image */
    float x, y;        /* centre in the source image */
    uint8_t region;    /* MNT_REGION_* */
} mnt_patch;

typedef struct {
    int grid, size;
    double ridge_sigma;  /* the sampling's smoothing along ridges (the model must match) */
    double orientation_sigma; /* ... and its orientation smoothing */
    int context;         /* ... and its context window (mnt_patch_cut), 0 = none */
    size_t n, cap;
    mnt_patch *p;
    uint8_t *pool;     /* pixels: patch i at pool + i * mnt_patch_values(grid, context) */
    size_t pool_cap;
    size_t nsources;
    char **sources;
} mnt_patch_set;

void mnt_patch_set_init(mnt_patch_set *s, int size, int grid);
void mnt_patch_set_free(mnt_patch_set *s);
int mnt_patch_set_add_source(mnt_patch_set *s, const char *name, uint32_t *index);
int mnt_patch_set_push(mnt_patch_set *s, const float *pixels, const mnt_patch *meta);

/* Samples patches from one image with its truth (hidden minutiae are neither positives
 * nor negatives) and optional foreground mask (NULL = everything is foreground). */
int mnt_patch_sample(const mnt_patch_params *p, const mnt_image *im, const uint8_t *mask, const mnt_view *truth,
                     uint32_t source, mnt_rng *rng, mnt_patch_set *out, mnt_diag *d);

/* Unlabelled patches for the autoencoder: n patches centred at random inside the
 * segmented region of an image without truth (real latents, unlabelled prints), with
 * the same rotations, mirroring and photometric changes as labelled ones. */
int mnt_patch_sample_unlabelled(const mnt_patch_params *p, const mnt_image *im, size_t n, uint32_t source, mnt_rng *rng,
                                mnt_patch_set *out, mnt_diag *d);

/* Hard negatives: augmented non-minutia patches at given points (for example a model's
 * false detections), each at least min_dist from every true minutia (others are
 * skipped: a detection a few pixels off a true minutia is not a false one). Returns
 * the number added in *added. */
int mnt_patch_add_negatives_at(const mnt_patch_params *p, const mnt_image *im, const mnt_view *truth,
                               const double *xy, size_t npoints, double min_dist, uint32_t source, mnt_rng *rng,
                               mnt_patch_set *out, size_t *added, mnt_diag *d);

#endif
