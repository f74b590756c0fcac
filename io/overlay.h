/* The examiner's overlay: a PNG an examiner can review and sign (docs/review.md,
 * "Overlays").
 *
 * Canvas: the image at (info.image_x, info.image_y) inside a white pad, and a legend
 * panel to its right. The image area is the input unaltered in grey (sample v shown as
 * round(255 v)): nothing is drawn over it but the marks, their numbers and the region
 * outline.
 *
 * Marks: shape by type (circle = ending, square = bifurcation, triangle = other) and
 * colour by type from the Okabe-Ito palette, safe for colour-blind readers and the same
 * as the review page's (vermillion #D55E00, blue #0072B2, bluish green #009E73), with a tail along the direction and
 * a white halo around every stroke, so shape and contrast survive a grey printout over
 * dark and light ridges. Mark k is labelled "k": its row in the view (row k of
 * NAME.json's "minutiae", the # column of `minutiae inspect`), placed on the side
 * opposite its tail where that is free. The confidence (score, else quality / 100) sets
 * the stroke width, thin at the threshold and thick at 1, as the legend shows
 * (show_scores prints it after the number as well). Marks below the threshold and
 * hidden truth marks are faint (or, with hide_below, not drawn); marks outside the
 * image are not drawn and are counted in the legend. The region of interest is a sky
 * blue (#56B4E9) outline.
 *
 * Compare set: the same shapes larger, thin and black, numbered in black, so two sets
 * (examiner and tool) read apart in colour and in grey; the legend names both and
 * counts their one-to-one pairs (15 px at 500 ppi and 30 degrees, as `minutiae eval`).
 *
 * Panel: heading, file name, size and resolution, model, threshold, counts, the legend
 * of shapes, widths, faint marks and region line, and a 1 mm scale bar (ppi / 25.4 px). */
#ifndef MNT_OVERLAY_H
#define MNT_OVERLAY_H

#include <stdint.h>

#include "image.h"
#include "template.h"

/* What to draw. Zero-initialise, then set image and marks; every other member is
 * optional (0 / NULL = off or the default said). Strings are copied into the drawing,
 * not kept. */
typedef struct {
    const mnt_image *image;    /* required: samples in [0, 1], shown unaltered */
    const mnt_view *marks;     /* required (may be empty): mark k is labelled k */
    const uint8_t *region;     /* image->width * image->height bytes, non-zero inside */
    double threshold;          /* confidence below which a mark is faint; 0 = none */
    int hide_below;            /* 1: marks below the threshold are not drawn at all */
    int show_scores;           /* 1: "k .74": the confidence after each number */
    double ppi;                /* sizes and scale bar; 0 = image->ppi, else 500 */
    int ppi_assumed;           /* the resolution is a default: said in the title */
    const char *heading;       /* first title line (case, examiner), NULL = none */
    const char *file_name;     /* the image's file name */
    const char *model;         /* model that found the marks, NULL = not shown */
    const char *marks_label;   /* what the marks are ("tool.iso"), NULL = "marks" */
    const mnt_view *compare;   /* optional second set, drawn large and black */
    const char *compare_label; /* NULL = "compare" */
} mnt_overlay_desc;

/* Where things went (for callers and tests). */
typedef struct {
    int image_x, image_y;     /* canvas position of the image's pixel (0, 0) */
    int panel_x;              /* left edge of the legend panel */
    double mark_radius;       /* circle radius = square half side, canvas pixels */
    int scale_x, scale_y;     /* top-left pixel of the 1 mm bar */
    int scale_len, scale_h;   /* its length (round(ppi / 25.4)) and height */
    size_t drawn, faint, not_drawn, outside; /* marks: full, faint, hidden by hide_below, off the image */
    size_t compare_outside;
    long pairs;               /* pairs of marks and compare, -1 without a compare set */
} mnt_overlay_info;

/* Draws desc into out (allocated here; free with mnt_rgb_free); info may be NULL.
 * out->ppi is the resolution used. Errors: MNT_ERR_ARG (no image or marks, a region
 * without an image), MNT_ERR_NOMEM. */
int mnt_overlay_draw(const mnt_overlay_desc *desc, mnt_rgb_image *out, mnt_overlay_info *info, mnt_diag *d);

/* The earlier entry point: mnt_overlay_draw with only the image, the region (roi:
 * im->width * im->height bytes or NULL), the marks and the threshold. */
int mnt_overlay_render(const mnt_image *im, const uint8_t *roi, const mnt_view *m, double threshold, mnt_rgb_image *out,
                       mnt_diag *d);

#endif
