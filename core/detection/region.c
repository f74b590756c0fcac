#include "region.h"

#include <stdlib.h>
#include <string.h>

#include "patches.h"
#include "segment.h"

enum { REGION_TILE = 256 }; /* patches per encoder call */

/* Foreground probability of every block centre: raw[bw*bh]. */
static int score_blocks(const mnt_region_params *p, const mnt_image *src, int bw, int bh, float *raw, mnt_diag *d)
{
    int G = p->grid, D = mnt_patch_values(G, p->context), H = p->net->cfg.hidden, B = p->block, w = src->width, h = src->height;
    float *x = malloc((size_t)REGION_TILE * D * sizeof *x), *codes = malloc((size_t)REGION_TILE * H * sizeof *codes);
    float *pr = malloc((size_t)REGION_TILE * 2 * sizeof *pr);
    int rc = MNT_OK;
    if (!x || !codes || !pr) { rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for the region"); goto done; }
    size_t nb = (size_t)bw * bh;
    for (size_t start = 0; start < nb; start += REGION_TILE) {
        int n = (int)(nb - start < REGION_TILE ? nb - start : REGION_TILE);
        for (int k = 0; k < n; k++) {
            size_t b = start + (size_t)k;
            int cx = (int)(b % (size_t)bw) * B + B / 2, cy = (int)(b / (size_t)bw) * B + B / 2;
            cx = cx < w ? cx : w - 1;
            cy = cy < h ? cy : h - 1;
            float *px = x + (size_t)k * D;
            mnt_patch_cut_upright(src, cx, cy, 0, p->patch_size, G, p->context, px);
            mnt_patch_normalise_parts(px, G, p->context);
        }
        if ((rc = mnt_gsae_encode(p->net, x, n, codes))) { rc = mnt_fail(d, rc, "out of memory in the encoder"); goto done; }
        mnt_gsae_heads(p->net, codes, n, MNT_HEAD_FOREGROUND, pr);
        for (int k = 0; k < n; k++) raw[start + (size_t)k] = pr[2 * k + 1];
    }
done:
    free(x);
    free(codes);
    free(pr);
    return rc;
}

int mnt_region_learned(const mnt_region_params *p, const mnt_image *src, uint8_t *roi, float *prob, mnt_diag *d)
{
    if (p->block < 4 || p->block > 64 || !(p->threshold > 0 && p->threshold < 1))
        return mnt_fail(d, MNT_ERR_ARG, "region block %d or threshold %g out of range", p->block, p->threshold);
    if (!mnt_patch_context_valid(p->grid, p->context) || mnt_patch_values(p->grid, p->context) != p->net->cfg.input)
        return mnt_fail(d, MNT_ERR_ARG, "patch grid %dx%d with context %d does not fit a network of %d inputs", p->grid, p->grid,
                        p->context, p->net->cfg.input);
    int w = src->width, h = src->height, B = p->block, bw = (w + B - 1) / B, bh = (h + B - 1) / B;
    size_t nb = (size_t)bw * bh;
    float *raw = malloc(nb * sizeof *raw), *avg = prob ? prob : malloc(nb * sizeof *avg);
    uint8_t *fg = malloc(nb);
    int rc = MNT_OK;
    if (!raw || !avg || !fg) { rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for the region"); goto done; }
    if ((rc = score_blocks(p, src, bw, bh, raw, d))) goto done;
    /* one block's patch is noisy evidence; its neighbours' agree on a print */
    for (int by = 0; by < bh; by++)
        for (int bx = 0; bx < bw; bx++) {
            double s = 0;
            int n = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int x = bx + dx, y = by + dy;
                    if (x < 0 || y < 0 || x >= bw || y >= bh) continue;
                    s += raw[(size_t)y * bw + x];
                    n++;
                }
            avg[(size_t)by * bw + bx] = (float)(s / n);
            fg[(size_t)by * bw + bx] = s / n >= p->threshold;
        }
    mnt_segment_params sp;
    mnt_segment_defaults(&sp);
    rc = mnt_region_from_blocks(fg, bw, bh, B, &sp, w, h, roi, d);
done:
    free(raw);
    if (avg != prob) free(avg);
    free(fg);
    return rc;
}
