/* The `minutiae synth` YAML config: print geometry, latent levels, hidden criteria.
 * Every key is optional (defaults from mnt_synth_defaults / mnt_latent_defaults);
 * unknown keys are errors. samples/synth.yaml lists them all with their defaults. */
#ifndef MNT_SYNTH_CONFIG_H
#define MNT_SYNTH_CONFIG_H

#include "latent.h"
#include "synth.h"

int mnt_synth_config_load(const char *path, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d);
/* Same from text (tests). */
int mnt_synth_config_parse(const char *text, size_t len, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d);

#endif
