#include "segment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void mnt_segment_defaults(mnt_segment_params *p)
{
    /* the hysteresis share 0.7: validation latents best F1 0.440 -> 0.423, prints 0.740 -> 0.737,
     * and the region covers the visible ridges of every real latent (0 left most of them out) */
    *p = (mnt_segment_params){16, 0.12, 0.2, 0.15, 6.0, 14.0, 1, 0.7};
}

double mnt_block_period(const mnt_image *im, const mnt_orientation *o, int cx, int cy)
{
    enum { ACROSS = 32, ALONG = 9 };
    int w = im->width, h = im->height;
    float th = mnt_orientation_theta(o, (size_t)cy * w + cx);
    double tx = cos(th), ty = -sin(th), nx = sin(th), ny = cos(th); /* along, across */
    double sig[ACROSS], smooth[ACROSS], mean = 0;
    for (int u = 0; u < ACROSS; u++) {
        double acc = 0;
        for (int v = 0; v < ALONG; v++) {
            double a = u - ACROSS / 2 + 0.5, b = 2 * (v - ALONG / 2);
            double sx = cx + a * nx + b * tx, sy = cy + a * ny + b * ty;
            sx = sx < 0 ? 0 : sx > w - 1 ? w - 1 : sx;
            sy = sy < 0 ? 0 : sy > h - 1 ? h - 1 : sy;
            int x0 = (int)sx, y0 = (int)sy, x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
            double fx = sx - x0, fy = sy - y0;
            const float *r0 = im->px + (size_t)y0 * w, *r1 = im->px + (size_t)y1 * w;
            acc += (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]);
        }
        sig[u] = acc;
    }
    for (int u = 0; u < ACROSS; u++) {
        double l = sig[u > 0 ? u - 1 : u], r = sig[u + 1 < ACROSS ? u + 1 : u];
        smooth[u] = 0.25 * l + 0.5 * sig[u] + 0.25 * r;
        mean += smooth[u];
    }
    mean /= ACROSS;
    int changes = 0;
    for (int u = 1; u < ACROSS; u++) changes += (smooth[u] > mean) != (smooth[u - 1] > mean);
    return changes ? 2.0 * ACROSS / changes : 0;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* one pass of binary dilation (grow = 1) or erosion (grow = 0), 8-neighbourhood */
static void morph(const uint8_t *in, uint8_t *out, int bw, int bh, int grow)
{
    for (int y = 0; y < bh; y++)
        for (int x = 0; x < bw; x++) {
            int v = grow ? 0 : 1;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int xx = x + dx, yy = y + dy;
                    int s = xx >= 0 && yy >= 0 && xx < bw && yy < bh ? in[yy * bw + xx] : 0;
                    if (grow) v |= s;
                    else v &= s;
                }
            out[y * bw + x] = (uint8_t)v;
        }
}

int mnt_segment(const mnt_image *im, const mnt_orientation *o, const mnt_segment_params *p, uint8_t *mask,
                mnt_diag *d)
{
    int w = o->width, h = o->height, B = p->block;
    int bw = (w + B - 1) / B, bh = (h + B - 1) / B;
    size_t nb = (size_t)bw * bh;
    float *be = calloc(nb, sizeof *be), *bc = calloc(nb, sizeof *bc), *sorted = malloc(nb * sizeof *sorted);
    uint8_t *fg = calloc(nb, 1);
    if (!be || !bc || !sorted || !fg) {
        free(be); free(bc); free(sorted); free(fg);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for segmentation");
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t b = (size_t)(y / B) * bw + x / B, i = (size_t)y * w + x;
            be[b] += mnt_orientation_energy(o, i);
            bc[b] += mnt_orientation_coherence(o, i);
        }
    for (size_t b = 0; b < nb; b++) {
        int bx = (int)(b % (size_t)bw), by = (int)(b / (size_t)bw);
        int cw = (bx + 1) * B > w ? w - bx * B : B, ch = (by + 1) * B > h ? h - by * B : B;
        be[b] /= (float)(cw * ch);
        bc[b] /= (float)(cw * ch);
        sorted[b] = be[b];
    }
    qsort(sorted, nb, sizeof *sorted, cmp_float);
    float e95 = sorted[(size_t)(0.95 * (double)(nb - 1))];
    for (size_t b = 0; b < nb; b++) {
        fg[b] = be[b] >= p->energy_rel * e95 && bc[b] >= p->min_coherence;
        if (fg[b] && im && p->max_period > 0) {
            int bx = (int)(b % (size_t)bw), by = (int)(b / (size_t)bw);
            int cx = bx * B + B / 2 < w ? bx * B + B / 2 : w - 1, cy = by * B + B / 2 < h ? by * B + B / 2 : h - 1;
            double period = mnt_block_period(im, o, cx, cy);
            fg[b] = period >= p->min_period && period <= p->max_period;
        }
    }
    /* hysteresis: weaker blocks (a share of both thresholds, no period test) join the
     * region where they touch it; a faint mark's clearest part seeds the rest */
    if (p->weak_share > 0) {
        int *stack = malloc(nb * sizeof *stack), sp = 0;
        if (!stack) {
            free(be); free(bc); free(sorted); free(fg);
            return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for segmentation");
        }
        for (size_t b = 0; b < nb; b++)
            if (fg[b]) stack[sp++] = (int)b;
        while (sp) {
            int b = stack[--sp], bx = b % bw, by = b / bw;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int x = bx + dx, y = by + dy;
                    if (x < 0 || y < 0 || x >= bw || y >= bh) continue;
                    int q = y * bw + x;
                    if (fg[q] || be[q] < p->weak_share * p->energy_rel * e95 || bc[q] < p->weak_share * p->min_coherence) continue;
                    fg[q] = 1;
                    stack[sp++] = q;
                }
        }
        free(stack);
    }
    free(be); free(bc); free(sorted);
    int rc = mnt_region_from_blocks(fg, bw, bh, B, p, w, h, mask, d);
    free(fg);
    return rc;
}

int mnt_region_from_blocks(uint8_t *fg, int bw, int bh, int B, const mnt_segment_params *p, int w, int h, uint8_t *mask,
                           mnt_diag *d)
{
    size_t nb = (size_t)bw * bh;
    uint8_t *tmp = calloc(nb, 1);
    int *label = malloc(nb * sizeof *label), *stack = malloc(nb * sizeof *stack);
    if (!tmp || !label || !stack) {
        free(tmp); free(label); free(stack);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for the region");
    }
    /* closing then opening, one block each */
    morph(fg, tmp, bw, bh, 1);
    morph(tmp, fg, bw, bh, 0);
    morph(fg, tmp, bw, bh, 0);
    morph(tmp, fg, bw, bh, 1);
    /* connected components (4-neighbourhood); keep the large ones */
    for (size_t b = 0; b < nb; b++) label[b] = -1;
    int ncomp = 0, largest = 0;
    int *sizes = NULL;
    for (size_t b0 = 0; b0 < nb; b0++) {
        if (!fg[b0] || label[b0] >= 0) continue;
        int *ns = realloc(sizes, (size_t)(ncomp + 1) * sizeof *ns);
        if (!ns) {
            free(tmp); free(label); free(stack); free(sizes);
            return mnt_fail(d, MNT_ERR_NOMEM, "out of memory for the region");
        }
        sizes = ns;
        int sp = 0, count = 0;
        stack[sp++] = (int)b0;
        label[b0] = ncomp;
        while (sp) {
            int b = stack[--sp], bx = b % bw, by = b / bw;
            count++;
            const int nx[4] = {bx - 1, bx + 1, bx, bx}, ny[4] = {by, by, by - 1, by + 1};
            for (int k = 0; k < 4; k++) {
                if (nx[k] < 0 || ny[k] < 0 || nx[k] >= bw || ny[k] >= bh) continue;
                int q = ny[k] * bw + nx[k];
                if (fg[q] && label[q] < 0) {
                    label[q] = ncomp;
                    stack[sp++] = q;
                }
            }
        }
        sizes[ncomp] = count;
        if (count > largest) largest = count;
        ncomp++;
    }
    for (size_t b = 0; b < nb; b++)
        fg[b] = label[b] >= 0 && sizes && sizes[label[b]] >= p->min_component * largest;
    /* fill holes: background blocks not connected to the border become foreground */
    memset(tmp, 0, nb);
    int sp = 0;
    for (int b = 0; b < (int)nb; b++) {
        int bx = b % bw, by = b / bw;
        if (!fg[b] && (bx == 0 || by == 0 || bx == bw - 1 || by == bh - 1)) {
            tmp[b] = 1;
            stack[sp++] = b;
        }
    }
    while (sp) {
        int b = stack[--sp], bx = b % bw, by = b / bw;
        const int nx[4] = {bx - 1, bx + 1, bx, bx}, ny[4] = {by, by, by - 1, by + 1};
        for (int k = 0; k < 4; k++) {
            if (nx[k] < 0 || ny[k] < 0 || nx[k] >= bw || ny[k] >= bh) continue;
            int q = ny[k] * bw + nx[k];
            if (!fg[q] && !tmp[q]) {
                tmp[q] = 1;
                stack[sp++] = q;
            }
        }
    }
    for (size_t b = 0; b < nb; b++) fg[b] = fg[b] || !tmp[b];
    for (int k = 0; k < p->grow; k++) {
        morph(fg, tmp, bw, bh, 1);
        memcpy(fg, tmp, nb);
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) mask[(size_t)y * w + x] = fg[(size_t)(y / B) * bw + x / B];
    free(tmp); free(label); free(stack); free(sizes);
    return MNT_OK;
}
