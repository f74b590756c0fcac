/* The review page of one image (NAME.review.html): self-contained HTML (no network,
 * works from file://) with the image, the marks and the candidates down to a floor,
 * for an examiner to check, correct and export the corrected JSON. The page itself is
 * app/review/review.html, embedded at build time. */
#ifndef MNT_REVIEW_PAGE_H
#define MNT_REVIEW_PAGE_H

#include "bytes.h"
#include "image.h"
#include "template.h"

typedef struct {
    const mnt_image *image;       /* as the examiner sees it (not mirrored or inverted) */
    const mnt_view *minutiae;     /* the tool's marks, at or above threshold */
    const mnt_view *candidates;   /* below threshold, down to floor */
    const char *file, *model;
    double ppi, threshold, floor;
} review_page_input;

int review_page_render(const review_page_input *in, mnt_buf *html, mnt_diag *d);

#endif
