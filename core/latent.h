/* Latent rendering: turns a clean synthetic print into a latent mark on a surface, and
 * says which minutiae stay visible.
 *
 * A minutia is hidden (kept in the truth with hidden = true, never a positive or a
 * negative for training, left out of the truth ISO file) when
 * - it lies outside the visible area or within `border_margin` pixels of its edge, or
 * - the print's local contrast there (mean ridge amplitude over a disc of radius 6 px,
 *   after unevenness, breaks and smudges, in units of the 0..1 grey scale) is below
 *   `min_contrast`. */
#ifndef MNT_LATENT_H
#define MNT_LATENT_H

#include <stdint.h>

#include "image.h"
#include "synth.h"

typedef enum { MNT_LEVEL_GOOD = 0, MNT_LEVEL_BAD, MNT_LEVEL_UGLY, MNT_LEVEL_COUNT } mnt_latent_level;

const char *mnt_level_name(mnt_latent_level l);
int mnt_level_from_name(const char *s, mnt_latent_level *out);

typedef struct { double lo, hi; } mnt_range;

typedef struct {
    mnt_range visible_area;     /* share of the finger that stays visible */
    mnt_range contrast;         /* ridge contrast, grey levels 0..1 */
    mnt_range unevenness;       /* relative amplitude of low-frequency contrast changes */
    mnt_range breaks;           /* ridge breaks per 10000 px of visible print */
    mnt_range smudges;          /* smudge patches per print */
    mnt_range blur;             /* Gaussian sigma, pixels */
    mnt_range noise;            /* Gaussian noise sigma, grey levels */
    mnt_range speckle;          /* powder specks per 10000 px */
    mnt_range background;       /* surface brightness */
    mnt_range illumination;     /* brightness change across the image */
    double p_lines;             /* probability of printed ruled lines */
    double p_text;              /* text-like glyph strokes */
    double p_handwriting;       /* handwriting-like curves */
    double p_stains;            /* stains */
    double p_second_print;      /* an overlapping second print */
} mnt_latent_level_params;

typedef struct {
    mnt_latent_level_params level[MNT_LEVEL_COUNT];
    double min_contrast;        /* hidden below this local contrast */
    int border_margin;          /* hidden this close to the visible area's edge */
} mnt_latent_params;

void mnt_latent_defaults(mnt_latent_params *p);
int mnt_latent_validate(const mnt_latent_params *p, mnt_diag *d);

typedef struct {
    mnt_image image;     /* the latent, grey in [0,1] */
    uint8_t *visible;    /* visible area of the print (the mask written beside it) */
} mnt_latent;

/* Renders print s at level into out and marks hidden minutiae in s->truth. */
int mnt_latent_render(const mnt_latent_params *p, mnt_latent_level level, mnt_synth_print *s, uint64_t seed,
                      mnt_latent *out, mnt_diag *d);
void mnt_latent_free(mnt_latent *l);

#endif
