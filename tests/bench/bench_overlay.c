/* Benchmark (not a test): the overlay renderer on synthetic 800x768 latents.
 * usage: bench_overlay MODEL [RUNS]
 * Detects once per image with MODEL, then prints the median ms of the overlay alone and
 * of the overlay + PNG encoding (what extract adds per image), in CPU time of the thread. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_common.h" /* bench_cmp_double */
#include "bench_latents.h"
#include "detect.h"
#include "latent.h"
#include "model_file.h"
#include "overlay.h"
#include "png_io.h"
#include "synth.h"

enum { NIMG = 4 };

/* CPU time of this thread: the machine may be shared, wall time is noisy there */
static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_overlay MODEL [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 21;
    if (runs < 1) runs = 1;
    if (runs > 200) runs = 200;
    mnt_diag d = {0};
    mnt_model model;
    if (mnt_model_read(argv[1], &model, &d)) {
        fprintf(stderr, "%s: %s\n", argv[1], d.msg);
        return 1;
    }
    openblas_set_num_threads(1);
    mnt_image images[NIMG];
    mnt_detection det[NIMG];
    size_t marks = 0;
    if (bench_latents(images, NIMG, &d)) {
        fprintf(stderr, "synth: %s\n", d.msg);
        return 1;
    }
    for (int i = 0; i < NIMG; i++) {
        mnt_detector dt = mnt_model_detector(&model);
        if (mnt_detect(&dt, &images[i], NULL, &det[i], &d)) {
            fprintf(stderr, "detect: %s\n", d.msg);
            return 1;
        }
        marks += det[i].minutiae.n;
    }
    double *a = malloc(sizeof *a * (size_t)runs), *b = malloc(sizeof *b * (size_t)runs);
    size_t bytes = 0;
    for (int i = 0; i < runs; i++) {
        int k = i % NIMG;
        mnt_rgb_image ov;
        double t0 = cpu_ms();
        mnt_overlay_desc od = {.image = &images[k], .marks = &det[k].minutiae, .region = det[k].roi,
                               .threshold = model.threshold, .file_name = "latent_090000.png",
                               .model = "embedded default model"};
        if (mnt_overlay_draw(&od, &ov, NULL, &d)) return 1;
        double t1 = cpu_ms();
        mnt_buf png = {0};
        mnt_png_encode_rgb(&ov, &png, NULL);
        double t2 = cpu_ms();
        a[i] = t1 - t0;
        b[i] = t2 - t0;
        bytes += png.len;
        mnt_buf_free(&png);
        mnt_rgb_free(&ov);
    }
    qsort(a, (size_t)runs, sizeof *a, bench_cmp_double);
    qsort(b, (size_t)runs, sizeof *b, bench_cmp_double);
    printf("overlay of 800x768 latents (%.0f marks on average), one core, CPU time, %d runs: render %.2f ms median (%.2f min), "
           "render + PNG %.2f ms median (%.2f min), PNG %.0f kB\n",
           (double)marks / NIMG, runs, a[runs / 2], a[0], b[runs / 2], b[0], (double)bytes / runs / 1024.0);
    for (int i = 0; i < NIMG; i++) {
        mnt_image_free(&images[i]);
        mnt_detection_free(&det[i]);
    }
    free(a);
    free(b);
    mnt_model_free(&model);
    return 0;
}
