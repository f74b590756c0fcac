/* model_diff A.mnm B.mnm [TOL]: the largest difference between the parameters of two
 * models of one architecture, absolute and relative to the largest parameter; exit 1
 * when the relative one exceeds TOL (default 1e-4), 2 when they cannot be compared. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_file.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: model_diff A.mnm B.mnm [TOL]\n");
        return 2;
    }
    double tol = argc > 3 ? atof(argv[3]) : 1e-4;
    mnt_model a, b;
    mnt_diag d = {0};
    if (mnt_model_read(argv[1], &a, &d)) {
        fprintf(stderr, "%s: %s\n", argv[1], d.msg);
        return 2;
    }
    if (mnt_model_read(argv[2], &b, &d)) {
        fprintf(stderr, "%s: %s\n", argv[2], d.msg);
        mnt_model_free(&a);
        return 2;
    }
    if (a.net.nparams != b.net.nparams) {
        fprintf(stderr, "%zu and %zu parameters\n", a.net.nparams, b.net.nparams);
        return 2;
    }
    double max_abs = 0, max_par = 0;
    size_t at = 0, same = 0;
    for (size_t i = 0; i < a.net.nparams; i++) {
        double x = a.net.slab[i], y = b.net.slab[i], e = fabs(x - y);
        if (e > max_abs) {
            max_abs = e;
            at = i;
        }
        same += x == y;
        if (fabs(x) > max_par) max_par = fabs(x);
    }
    double rel = max_par > 0 ? max_abs / max_par : max_abs;
    printf("parameters %zu  identical %zu  max abs diff %.3g (parameter %zu)  largest |parameter| %.3g  relative %.3g\n",
           a.net.nparams, same, max_abs, at, max_par, rel);
    mnt_model_free(&a);
    mnt_model_free(&b);
    return rel <= tol ? 0 : 1;
}
