/* Benchmark (not a test): extraction speed and memory on synthetic 800x768 latents.
 * usage: bench_extract MODEL [RUNS]
 * Prints the median CPU ms of detection alone (thread CPU time, which the other jobs of
 * a shared machine disturb less than the wall clock), the median ms per image for
 * detection + ISO + JSON (in memory), the same with the overlay, images per second with
 * 1 and 2 threads, and the peak resident memory. */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "detect.h"
#include "bench_common.h"
#include "bench_latents.h"
#include "latent.h"
#include "model_file.h"
#include "overlay.h"
#include "png_io.h"
#include "synth.h"
#include "template_io.h"


static mnt_model model;
static mnt_image images[8];
static long scored, roi_cells, images_run; /* main thread only (the timed single runs) */

/* CPU time of this thread, ms */
static double cpu_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static mnt_detector detector(void)
{
    return mnt_model_detector(&model);
}

/* detection alone; returns CPU ms */
static double run_detect(const mnt_image *im)
{
    mnt_detector det = detector();
    mnt_detection r;
    double t0 = cpu_now_ms();
    if (mnt_detect(&det, im, NULL, &r, NULL)) return -1;
    double t = cpu_now_ms() - t0;
    mnt_detection_free(&r);
    return t;
}

/* one image end to end in memory; returns ms */
static double run(const mnt_image *im, int overlay)
{
    double t0 = bench_now_ms();
    mnt_detector det = detector();
    mnt_detection r;
    if (mnt_detect(&det, im, NULL, &r, NULL)) return -1;
    if (!overlay) {
        scored += r.patches_scored;
        for (int i = 0; i < r.pw * r.ph; i++) roi_cells += r.prob[i] >= 0;
        images_run++;
    }
    mnt_template t;
    mnt_template_init(&t);
    t.width = im->width;
    t.height = im->height;
    t.xres = t.yres = 197;
    for (size_t i = 0; i < r.minutiae.n; i++) mnt_view_push(&t.views[0], &r.minutiae.m[i]);
    mnt_buf iso = {0}, json = {0}, png = {0};
    mnt_template_encode(&t, MNT_FMT_ISO2005, NULL, &iso, NULL);
    mnt_template_encode(&t, MNT_FMT_JSON, NULL, &json, NULL);
    if (overlay) {
        mnt_rgb_image ov;
        if (!mnt_overlay_render(im, r.roi, &t.views[0], model.threshold, &ov, NULL)) {
            mnt_png_encode_rgb(&ov, &png, NULL);
            mnt_rgb_free(&ov);
        }
    }
    mnt_buf_free(&iso);
    mnt_buf_free(&json);
    mnt_buf_free(&png);
    mnt_template_free(&t);
    mnt_detection_free(&r);
    return bench_now_ms() - t0;
}

static void *worker(void *arg)
{
    int k = *(int *)arg;
    for (int i = 0; i < 8; i++) run(&images[(i + k) % 8], 1);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_extract MODEL [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 9;
    mnt_diag d = {0};
    if (mnt_model_read(argv[1], &model, &d)) {
        fprintf(stderr, "%s: %s\n", argv[1], d.msg);
        return 1;
    }
    openblas_set_num_threads(1);
    if (bench_latents(images, 8, &d)) {
        fprintf(stderr, "synth: %s\n", d.msg);
        return 1;
    }
    double a[64], b[64], c[64];
    if (runs > 64) runs = 64;
    for (int i = 0; i < runs; i++) c[i] = run_detect(&images[i % 8]);
    qsort(c, (size_t)runs, sizeof *c, bench_cmp_double);
    for (int i = 0; i < runs; i++) a[i] = run(&images[i % 8], 0);
    for (int i = 0; i < runs; i++) b[i] = run(&images[i % 8], 1);
    qsort(a, (size_t)runs, sizeof *a, bench_cmp_double);
    qsort(b, (size_t)runs, sizeof *b, bench_cmp_double);
    double t0 = bench_now_ms();
    int k0 = 0, k1 = 4;
    worker(&k0);
    double one = 8000.0 / (bench_now_ms() - t0);
    pthread_t th;
    t0 = bench_now_ms();
    pthread_create(&th, NULL, worker, &k1);
    worker(&k0);
    pthread_join(th, NULL);
    double two = 16000.0 / (bench_now_ms() - t0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("detection alone, 800x768 latents, one thread: %.1f ms CPU median (min %.1f, max %.1f, %d runs)\n",
           c[runs / 2], c[0], c[runs - 1], runs);
    printf("extract 800x768 latents, one core: detection + ISO + JSON %.1f ms median, with overlay %.1f ms median\n",
           a[runs / 2], b[runs / 2]);
    printf("patches scored: %.0f per image, %.0f %% of the cells in the region (coarse to fine)\n",
           (double)scored / (double)images_run, 100.0 * (double)scored / (double)roi_cells);
    printf("throughput with overlay: 1 thread %.2f images/s, 2 threads %.2f images/s (x%.2f)\n", one, two, two / one);
    printf("peak resident memory %.1f MB (process, 8 images held, 2 jobs)\n", (double)ru.ru_maxrss / 1024.0);
    for (int i = 0; i < 8; i++) mnt_image_free(&images[i]);
    mnt_model_free(&model);
    return 0;
}
