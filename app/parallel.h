/* A pool of threads over indices 0..n-1: each worker takes the next index under a
 * mutex, so results do not depend on the number of threads. */
#ifndef MNT_PARALLEL_H
#define MNT_PARALLEL_H

#include <stddef.h>

typedef void (*parallel_fn)(void *ctx, size_t index);

/* Runs fn(ctx, i) for every i, on `jobs` threads (1 = the calling thread only). */
int parallel_for(int jobs, size_t n, parallel_fn fn, void *ctx);

#endif
