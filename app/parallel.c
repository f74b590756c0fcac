#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct {
    pthread_mutex_t lock;
    size_t next, n;
    parallel_fn fn;
    void *ctx;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n) break;
        p->fn(p->ctx, i);
    }
    return NULL;
}

int parallel_for(int jobs, size_t n, parallel_fn fn, void *ctx)
{
    pool p = {PTHREAD_MUTEX_INITIALIZER, 0, n, fn, ctx};
    if (jobs < 1) jobs = 1;
    if ((size_t)jobs > n) jobs = n ? (int)n : 1;
    pthread_t *t = jobs > 1 ? malloc((size_t)(jobs - 1) * sizeof *t) : NULL;
    int started = 0;
    for (int k = 0; k < jobs - 1 && t; k++) {
        if (pthread_create(&t[k], NULL, worker, &p) != 0) break;
        started++;
    }
    worker(&p);
    for (int k = 0; k < started; k++) pthread_join(t[k], NULL);
    free(t);
    return 0;
}
