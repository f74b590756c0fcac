#include "rng.h"

#include <math.h>

#include "mnt_math.h"

void mnt_rng_seed(mnt_rng *r, uint64_t seed, uint64_t stream)
{
    r->state = 0;
    r->inc = (stream << 1) | 1u;
    mnt_rng_u32(r);
    r->state += seed;
    mnt_rng_u32(r);
}

uint32_t mnt_rng_u32(mnt_rng *r)
{
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

double mnt_rng_uniform(mnt_rng *r)
{
    uint64_t hi = mnt_rng_u32(r), lo = mnt_rng_u32(r);
    return (double)((hi << 21) ^ lo) * (1.0 / 9007199254740992.0) ; /* 53 bits */
}

double mnt_rng_range(mnt_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * mnt_rng_uniform(r);
}

double mnt_rng_normal(mnt_rng *r)
{
    double u1 = mnt_rng_uniform(r), u2 = mnt_rng_uniform(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * MNT_PI * u2);
}

int mnt_rng_int(mnt_rng *r, int lo, int hi)
{
    if (hi <= lo) return lo;
    return lo + (int)(mnt_rng_uniform(r) * (double)(hi - lo + 1));
}

uint64_t mnt_rng_mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}
