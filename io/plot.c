#include "plot.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"

static const mnt_color PALETTE[] = {{31, 119, 180}, {214, 39, 40}, {44, 160, 44}, {255, 127, 14}, {148, 103, 189}, {23, 190, 207}};

int mnt_plot_pr(const mnt_pr_series *series, size_t nseries, const char *title, mnt_rgb_image *out, mnt_diag *d)
{
    const int W = 720, H = 600, L = 80, R = 30, T = 50, B = 70;
    int rc = mnt_rgb_alloc(out, W, H, d);
    if (rc) return rc;
    memset(out->rgb, 255, (size_t)W * H * 3);
    const mnt_color black = {0, 0, 0}, grid = {225, 225, 225}, grey = {90, 90, 90};
    int pw = W - L - R, ph = H - T - B;
#define PX(r) (L + (r) * pw)
#define PY(p) (T + (1 - (p)) * ph)
    for (int k = 0; k <= 10; k++) {
        double v = k / 10.0;
        mnt_draw_line(out, PX(v), T, PX(v), T + ph, 1, grid);
        mnt_draw_line(out, L, PY(v), L + pw, PY(v), 1, grid);
        char lab[8];
        snprintf(lab, sizeof lab, "%.1f", v);
        mnt_draw_line(out, PX(v), T + ph, PX(v), T + ph + 6, 1, black);
        mnt_draw_text(out, (int)PX(v) - mnt_text_width(lab, 2) / 2, T + ph + 10, lab, 2, black);
        mnt_draw_line(out, L - 6, PY(v), L, PY(v), 1, black);
        mnt_draw_text(out, L - 10 - mnt_text_width(lab, 2), (int)PY(v) - 7, lab, 2, black);
    }
    mnt_draw_rect(out, L, T, pw + 1, ph + 1, black);
    mnt_draw_text(out, L + pw / 2 - mnt_text_width("recall", 2) / 2, H - 28, "recall", 2, black);
    /* vertical axis label, letters stacked */
    const char *yl = "precision";
    for (int i = 0; yl[i]; i++) {
        char ch[2] = {yl[i], 0};
        mnt_draw_text(out, 8, T + ph / 2 - 9 * 8 + i * 16, ch, 2, black);
    }
    if (title) mnt_draw_text(out, L, 16, title, 2, black);
    for (size_t s = 0; s < nseries; s++) {
        mnt_color col = PALETTE[s % (sizeof PALETTE / sizeof *PALETTE)];
        const mnt_pr_series *S = &series[s];
        for (size_t i = 0; i + 1 < S->n; i++)
            mnt_draw_line(out, PX(S->recall[i]), PY(S->precision[i]), PX(S->recall[i + 1]), PY(S->precision[i + 1]), 2.5, col);
        if (S->mark_recall >= 0) {
            mnt_draw_circle(out, PX(S->mark_recall), PY(S->mark_precision), 6, 2.5, col);
        }
        /* legend, bottom left inside the plot */
        int ly = T + ph - 24 - (int)(nseries - 1 - s) * 22;
        mnt_draw_fill_rect(out, L + 14, ly + 5, 24, 4, col);
        mnt_draw_text(out, L + 46, ly, S->label ? S->label : "predictions", 2, grey);
    }
    if (nseries) {
        int ly = T + ph - 24 - (int)nseries * 22;
        mnt_draw_circle(out, L + 26, ly + 7, 6, 2.5, grey);
        mnt_draw_text(out, L + 46, ly, "best F1", 2, grey);
    }
#undef PX
#undef PY
    return MNT_OK;
}
