/* Benchmark (not a test): milliseconds per synthetic latent, one core.
 * usage: bench_synth [N] [WxH] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_common.h"
#include "latent.h"
#include "synth.h"


int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10;
    mnt_synth_params sp;
    mnt_latent_params lp;
    mnt_synth_defaults(&sp);
    mnt_latent_defaults(&lp);
    if (argc > 2 && sscanf(argv[2], "%dx%d", &sp.width, &sp.height) != 2) return 2;
    if (n < 1 || n > 10000) return 2;
    double *t_print = malloc(n * sizeof *t_print), *t_latent = malloc(n * sizeof *t_latent);
    for (int i = 0; i < n; i++) {
        mnt_synth_print s;
        mnt_latent l;
        mnt_diag d = {0};
        double a = bench_now_ms();
        if (mnt_synth_print_make(&sp, (uint64_t)i + 1000, &s, &d)) { fprintf(stderr, "%s\n", d.msg); return 1; }
        double b = bench_now_ms();
        if (mnt_latent_render(&lp, (mnt_latent_level)(i % 3), &s, (uint64_t)i, &l, &d)) { fprintf(stderr, "%s\n", d.msg); return 1; }
        double c = bench_now_ms();
        t_print[i] = b - a;
        t_latent[i] = c - a;
        mnt_latent_free(&l);
        mnt_synth_print_free(&s);
    }
    qsort(t_print, n, sizeof *t_print, bench_cmp_double);
    qsort(t_latent, n, sizeof *t_latent, bench_cmp_double);
    printf("synth %dx%d, %d prints, one core: print %.1f ms median, print + latent %.1f ms median (max %.1f)\n",
           sp.width, sp.height, n, t_print[n / 2], t_latent[n / 2], t_latent[n - 1]);
    free(t_print);
    free(t_latent);
    return 0;
}
