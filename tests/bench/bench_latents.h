/* The benchmark latents: n synthetic 800x768 latents (prints of seeds 90000 + i,
 * levels good, bad, ugly in turn), the same in every benchmark. */
#ifndef MNT_BENCH_LATENTS_H
#define MNT_BENCH_LATENTS_H

#include <stdint.h>
#include <stdlib.h>

#include "latent.h"
#include "synth.h"

static inline int bench_latents(mnt_image *images, int n, mnt_diag *d)
{
    mnt_synth_params sp;
    mnt_latent_params lp;
    mnt_synth_defaults(&sp);
    mnt_latent_defaults(&lp);
    sp.width = 800;
    sp.height = 768;
    for (int i = 0; i < n; i++) {
        mnt_synth_print s;
        mnt_latent l;
        int rc = mnt_synth_print_make(&sp, (uint64_t)(90000 + i), &s, d);
        if (rc) return rc;
        rc = mnt_latent_render(&lp, (mnt_latent_level)(i % 3), &s, (uint64_t)i, &l, d);
        mnt_synth_print_free(&s);
        if (rc) return rc;
        images[i] = l.image;
        images[i].ppi = 500;
        free(l.visible);
    }
    return 0;
}

#endif
