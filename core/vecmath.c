#include "vecmath.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* e^x, within 2 ulp of expf for |x| <= 87 (arguments are clamped there): Cody-Waite
 * reduction by ln 2 (rounding by the 1.5 * 2^23 trick, no floorf call) and the Cephes
 * expf polynomial on [-ln2/2, ln2/2], then 2^k put into the exponent bits. */
static inline float exp_vec(float x)
{
    x = x < -87.0f ? -87.0f : x;
    x = x > 87.0f ? 87.0f : x;
    float k = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f; /* round(x / ln 2) */
    float r = x - k * 0.693359375f;
    r = r - k * -2.12194440e-4f;
    float r2 = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r2 + r + 1.0f;
    int32_t bits = ((int32_t)k + 127) * (1 << 23);
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

float mnt_sigmoid_fast(float z)
{
    return 1.0f / (1.0f + exp_vec(-z));
}

/* Cloned for AVX-512 and AVX2 (8 or 16 lanes instead of SSE2's 4), picked at load
 * time. The clones give the same floats: -ffp-contract=off (core/CMakeLists.txt) keeps
 * GCC from contracting into FMAs, and every lane does the same operations. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void mnt_sigmoid_rows(float *restrict z, const float *restrict bias, int n, int H)
{
    for (int b = 0; b < n; b++) {
        float *row = z + (size_t)b * H;
        for (int j = 0; j < H; j++) row[j] = 1.0f / (1.0f + exp_vec(-(row[j] + bias[j])));
    }
}
