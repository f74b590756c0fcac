/* Latent rendering: turns a clean print (synthetic, or real through latent_real.h) into
 * a latent mark on a surface, and says which minutiae stay visible.
 *
 * A minutia is hidden (kept in the truth with hidden = true, never a positive or a
 * negative for training, left out of the truth ISO file) when
 * - it lies outside the visible area or within `border_margin` pixels of its edge, or
 * - the print's local contrast there (mean ridge amplitude over a disc of radius 6 px,
 *   after unevenness, breaks, smudges and blotches, times the source print's own
 *   strength for real prints, in units of the 0..1 grey scale) is below `min_contrast`;
 * a minutia the input already marks hidden stays hidden.
 *
 * Order of the steps: elastic distortion of the print (truth moved with it), visible
 * area, contrast, breaks, smudges, blotches, the hidden test, surface (background,
 * illumination, clutter, substrate texture), second print, blotches over it, blur,
 * upsampling to output_ppi, specks, noise, inversion (light-on-dark), JPEG-like blocks.
 * The degradations added for real prints (distortion .. jpeg_quality below) draw from a
 * random stream of their own, so with them off (synth's defaults) a seed renders the
 * same latent as before they existed. */
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
    /* off in mnt_latent_defaults (synth), on in mnt_latent_degrade_defaults */
    mnt_range distortion;       /* elastic distortion: largest displacement, pixels */
    mnt_range texture;          /* substrate texture strength (relative brightness change) */
    double p_fibre;             /* paper fibre texture */
    double p_woven;             /* woven fabric pattern */
    double p_grating;           /* fine grating lines, period near the ridge period */
    mnt_range blotches;         /* powder and ink blotches per print */
    double p_invert;            /* light-on-dark mark: the whole image inverted */
    double p_jpeg;              /* JPEG-like 8x8 block compression */
    mnt_range jpeg_quality;     /* its quality, 1..100 (IJG scale) */
} mnt_latent_level_params;

typedef struct {
    mnt_latent_level_params level[MNT_LEVEL_COUNT];
    double min_contrast;        /* hidden below this local contrast */
    int border_margin;          /* hidden this close to the visible area's edge */
    int output_ppi;             /* 500 (the print's), or 1000: upsampled x2 near the end */
} mnt_latent_params;

/* synth's settings: the degradations for real prints off */
void mnt_latent_defaults(mnt_latent_params *p);
/* degrade's settings: synth's plus distortion, substrates, blotches, inversion, JPEG */
void mnt_latent_degrade_defaults(mnt_latent_params *p);
int mnt_latent_validate(const mnt_latent_params *p, mnt_diag *d);

typedef struct {
    mnt_image image;     /* the latent, grey in [0,1], at output_ppi */
    uint8_t *visible;    /* visible area of the print (the mask written beside it) */
} mnt_latent;

/* Renders print s at level into out and marks hidden minutiae in s->truth. With a
 * distortion, s itself is distorted (image, ridge, foreground, truth); with output_ppi
 * 1000, s->truth is scaled to the latent's pixels (its width, height and ppi too). */
int mnt_latent_render(const mnt_latent_params *p, mnt_latent_level level, mnt_synth_print *s, uint64_t seed,
                      mnt_latent *out, mnt_diag *d);
void mnt_latent_free(mnt_latent *l);

#endif
