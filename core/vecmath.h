/* Element-wise maths written so that GCC vectorises the loops (no calls, no branches).
 * vecmath.c is compiled with -fno-trapping-math: without it GCC keeps the clamps as
 * branches and vectorises nothing; the option changes no value, only the assumption
 * that nobody reads the floating-point exception flags. */
#ifndef MNT_VECMATH_H
#define MNT_VECMATH_H

/* 1 / (1 + e^-z), with an e^x within 2 ulp of expf (arguments clamped to +-87: there
 * the sigmoid is 0 or 1 to float precision anyway); tested against libm. */
float mnt_sigmoid_fast(float z);

/* z (n x H, row-major) = sigmoid(z + bias (H)), the same function as mnt_sigmoid_fast. */
void mnt_sigmoid_rows(float *z, const float *bias, int n, int H);

#endif
