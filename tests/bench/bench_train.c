/* Benchmark (not a test): training throughput of the GSAE (forward + backward + Adam)
 * in patches per second and GFLOP/s, beside plain cblas_sgemm calls of the same five
 * shapes on the same machine.
 * usage: bench_train [THREADS] [HIDDEN] [BATCH] */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gsae.h"
#include "rng.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1, H = argc > 2 ? atoi(argv[2]) : 192, B = argc > 3 ? atoi(argv[3]) : 128;
    const int D = 256, steps = 200;
    openblas_set_num_threads(threads);
    mnt_gsae_config c = {D, H, 1e-4, 0.5, 0.05, 0.05, 0, 1, 20, 0, 0};
    mnt_gsae net;
    if (mnt_gsae_new(&net, &c, 1, NULL)) return 1;
    mnt_gsae_work w;
    if (mnt_gsae_work_new(&w, &c, B)) return 1;
    float *x = malloc((size_t)B * D * sizeof *x);
    int8_t *lab = malloc((size_t)B), *grp = malloc((size_t)B);
    mnt_rng r;
    mnt_rng_seed(&r, 1, 1);
    for (int i = 0; i < B * D; i++) x[i] = (float)mnt_rng_normal(&r);
    for (int i = 0; i < B; i++) lab[i] = grp[i] = (int8_t)(i & 1);
    mnt_gsae_batch b = {B, x, {lab, NULL, NULL}, grp};
    mnt_gsae_terms terms = {1, 1, 1};
    mnt_gsae_loss l;
    for (int i = 0; i < 10; i++) mnt_gsae_forward_backward(&net, &b, &terms, &w, &l);
    double t0 = now_s();
    for (int i = 0; i < steps; i++) {
        mnt_gsae_forward_backward(&net, &b, &terms, &w, &l);
        mnt_gsae_adam(&net, 1e-3, 1.0);
    }
    double t_train = now_s() - t0;
    /* the five dense products of one step, alone */
    float *hb = malloc((size_t)B * H * sizeof *hb), *xr = malloc((size_t)B * D * sizeof *xr);
    float *gw = malloc((size_t)H * D * sizeof *gw);
    for (int i = 0; i < B * H; i++) hb[i] = 0.5f;
    t0 = now_s();
    for (int i = 0; i < steps; i++) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, H, D, 1, x, D, net.p.w1, D, 0, hb, H);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, D, H, 1, hb, H, net.p.w2, H, 0, xr, D);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, B, 1, xr, D, hb, H, 0, gw, H);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, D, 1, xr, D, net.p.w2, H, 1, hb, H);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, D, B, 1, hb, H, x, D, 0, gw, D);
    }
    double t_gemm = now_s() - t0;
    double flops = 10.0 * B * D * H * steps;
    printf("GSAE training step, D=%d H=%d batch=%d, %d BLAS thread(s): %.0f patches/s, %.2f GFLOP/s; "
           "plain sgemm of the same shapes %.2f GFLOP/s; ratio %.0f %%\n",
           D, H, B, threads, steps * B / t_train, flops / t_train * 1e-9, flops / t_gemm * 1e-9, 100 * t_gemm / t_train);
    free(x); free(lab); free(grp); free(hb); free(xr); free(gw);
    mnt_gsae_work_free(&w);
    mnt_gsae_free(&net);
    return 0;
}
