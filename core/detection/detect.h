/* Minutia detection with a trained GSAE: dense patch scoring inside the region of
 * interest (patches of a tile go through the encoder as one sgemm), a probability
 * map, non-maximum suppression, a threshold, then per minutia a sub-cell position, the
 * direction (ridge orientation plus the direction head's 180-degree choice) and the
 * type (type head) from a patch rotated into the local ridge orientation. */
#ifndef MNT_DETECT_H
#define MNT_DETECT_H

#include <stdint.h>

#include "gsae.h"
#include "image.h"
#include "template.h"

typedef struct {
    const mnt_gsae *net;
    int patch_size, grid;
    double threshold;     /* on the minutia probability; 0 keeps every peak */
    int stride;           /* pixels between scored patch centres */
    double nms_radius;    /* pixels */
    int tile;             /* patches per encoder call */
    double roi_margin;    /* drop detections this close to the region's edge, pixels */
    double quality_weight;/* score = probability * (1 - w + w * local ridge quality), 0 = off */
    double ridge_sigma;   /* smoothing along ridges before cutting patches (as trained) */
    double direction_weight; /* score *= 1 - w + w |2 p_along - 1|: a minutia has a direction */
    double region_threshold; /* > 0: the region from the foreground head (region.h); 0: segmented */
    double orientation_sigma; /* structure tensor smoothing, pixels (as trained) */
    int context;          /* multi-scale input (patches.h mnt_patch_cut), as trained */
} mnt_detector;

typedef struct {
    int width, height;
    uint8_t *roi;         /* width*height */
    float *prob;          /* pw*ph probability grid, -1 outside the ROI */
    int pw, ph, stride;
    mnt_view minutiae;    /* score = probability, quality = round(100 score) */
    long patches_scored;
} mnt_detection;

/* mask: the examiner's region (width*height, nonzero = inside) or NULL to find it. */
int mnt_detect(const mnt_detector *det, const mnt_image *im, const uint8_t *mask, mnt_detection *out, mnt_diag *d);

/* A detection made at 500 ppi on an image resampled by scale, back to the pixels of the
 * w x h input (clamped to it), unmirrored when the input was mirrored first. */
mnt_minutia mnt_detection_to_input(mnt_minutia m, double scale, int w, int h, int mirror);
void mnt_detection_free(mnt_detection *r);

#endif
