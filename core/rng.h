/* Small deterministic PRNG (PCG32): the same seed gives the same stream on every
 * platform, so synthetic prints are byte-identical across runs and thread counts. */
#ifndef MNT_RNG_H
#define MNT_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state, inc;
} mnt_rng;

void mnt_rng_seed(mnt_rng *r, uint64_t seed, uint64_t stream);
/* SplitMix64 finaliser: turns a counter or a combination of seeds into a well-mixed seed. */
uint64_t mnt_rng_mix64(uint64_t x);
uint32_t mnt_rng_u32(mnt_rng *r);
double mnt_rng_uniform(mnt_rng *r);                 /* [0, 1) */
double mnt_rng_range(mnt_rng *r, double lo, double hi);
double mnt_rng_normal(mnt_rng *r);                  /* N(0, 1) */
int mnt_rng_int(mnt_rng *r, int lo, int hi);        /* [lo, hi] */

#endif
