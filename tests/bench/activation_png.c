/* Analysis program (not a test): mean hidden activation per class of a model on a
 * patch set, drawn as two bar rows (minutia above, non-minutia below, units sorted by
 * their minutia-minus-non-minutia difference), and the share of units that are "class
 * specific" (mean activation of one class at least 3 times the other's).
 * usage: activation_png MODEL SET OUT.png [TITLE] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "image_io.h"
#include "model_file.h"
#include "patchset_file.h"
#include "trainer.h"

static double *g_diff;

static int by_diff(const void *a, const void *b)
{
    double x = g_diff[*(const int *)a], y = g_diff[*(const int *)b];
    return x < y ? 1 : x > y ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: activation_png MODEL SET OUT.png [TITLE]\n");
        return 2;
    }
    mnt_model m;
    mnt_patch_set set;
    mnt_diag d = {0};
    if (mnt_model_read(argv[1], &m, &d) || mnt_patchset_read(argv[2], &set, &d)) {
        fprintf(stderr, "%s\n", d.msg);
        return 1;
    }
    if (set.grid != m.grid || set.context != m.context || mnt_patch_values(set.grid, set.context) != m.net.cfg.input) {
        fprintf(stderr, "%s: patches %dx%d (context %d) do not fit the model's %dx%d (context %d, %d inputs)\n", argv[2],
                set.grid, set.grid, set.context, m.grid, m.grid, m.context, m.net.cfg.input);
        return 1;
    }
    int H = m.net.cfg.hidden, D = m.net.cfg.input;
    double *mean[2] = {calloc((size_t)H, sizeof(double)), calloc((size_t)H, sizeof(double))};
    size_t count[2] = {0, 0};
    float *x = malloc((size_t)D * sizeof *x), *code = malloc((size_t)H * sizeof *code);
    for (size_t i = 0; i < set.n; i++) {
        if (set.p[i].frame != MNT_FRAME_IMAGE || set.p[i].cls > MNT_PATCH_MINUTIA) continue;
        mnt_trainer_patch(&set, i, x);
        mnt_gsae_encode(&m.net, x, 1, code);
        int c = set.p[i].cls;
        for (int j = 0; j < H; j++) mean[c][j] += code[j];
        count[c]++;
    }
    int *order = malloc((size_t)H * sizeof *order);
    g_diff = malloc((size_t)H * sizeof *g_diff);
    int specific[2] = {0, 0};
    for (int j = 0; j < H; j++) {
        for (int c = 0; c < 2; c++) mean[c][j] /= count[c] ? (double)count[c] : 1;
        g_diff[j] = mean[1][j] - mean[0][j];
        order[j] = j;
        if (mean[1][j] > 3 * mean[0][j] && mean[1][j] > 0.02) specific[1]++;
        if (mean[0][j] > 3 * mean[1][j] && mean[0][j] > 0.02) specific[0]++;
    }
    qsort(order, (size_t)H, sizeof *order, by_diff);
    double mx = 1e-9;
    for (int j = 0; j < H; j++) mx = fmax(mx, fmax(mean[0][j], mean[1][j]));
    int bw = 4, W = H * bw + 80, Hh = 320;
    mnt_rgb_image im;
    if (mnt_rgb_alloc(&im, W, Hh, &d)) return 1;
    memset(im.rgb, 255, (size_t)W * Hh * 3);
    const mnt_color red = {214, 39, 40}, blue = {31, 119, 180}, black = {0, 0, 0};
    mnt_draw_text(&im, 10, 8, argc > 4 ? argv[4] : "mean activation per hidden unit", 2, black);
    for (int k = 0; k < H; k++) {
        int j = order[k];
        int h1 = (int)lround(110 * mean[1][j] / mx), h0 = (int)lround(110 * mean[0][j] / mx);
        mnt_draw_fill_rect(&im, 60 + k * bw, 150 - h1, bw - 1, h1, red);
        mnt_draw_fill_rect(&im, 60 + k * bw, 290 - h0, bw - 1, h0, blue);
    }
    mnt_draw_text(&im, 6, 90, "min.", 2, red);
    mnt_draw_text(&im, 6, 230, "non", 2, blue);
    mnt_draw_line(&im, 60, 150, W - 20, 150, 1, black);
    mnt_draw_line(&im, 60, 290, W - 20, 290, 1, black);
    char note[160];
    snprintf(note, sizeof note, "units sorted by (minutia - non-minutia); specific: %d minutia, %d non-minutia of %d", specific[1],
             specific[0], H);
    mnt_draw_text(&im, 10, 300, note, 1, black);
    if (mnt_rgb_write_png(argv[3], &im, &d)) {
        fprintf(stderr, "%s\n", d.msg);
        return 1;
    }
    double a1 = 0, a0 = 0;
    for (int j = 0; j < H; j++) {
        a1 += mean[1][j] / H;
        a0 += mean[0][j] / H;
    }
    printf("%s: %d hidden units, class-specific units: %d minutia, %d non-minutia; mean activation minutia %.4f, non-minutia %.4f\n",
           argv[1], H, specific[1], specific[0], a1, a0);
    return 0;
}
