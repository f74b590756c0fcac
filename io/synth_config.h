/* The YAML config of `minutiae synth` and `minutiae degrade`, one schema: print geometry
 * (print.*, synth only), latent levels (levels.*), hidden criteria (hidden.*), output
 * resolution (output.ppi) and the real-print source (real.*, degrade only). Every key
 * is optional (each command's defaults stay where the file says nothing); unknown keys
 * are errors. samples/synth.yaml and samples/degrade.yaml list them with each
 * command's defaults. */
#ifndef MNT_SYNTH_CONFIG_H
#define MNT_SYNTH_CONFIG_H

#include "latent.h"
#include "latent_real.h"
#include "synth.h"

/* Binds a file onto the given settings; a NULL section is checked against its defaults
 * and dropped (a command that does not use it). */
int mnt_latent_config_load(const char *path, mnt_synth_params *sp, mnt_latent_params *lp, mnt_real_params *rp,
                           mnt_diag *d);
int mnt_latent_config_parse(const char *text, size_t len, mnt_synth_params *sp, mnt_latent_params *lp,
                            mnt_real_params *rp, mnt_diag *d);

int mnt_synth_config_load(const char *path, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d);
/* Same from text (tests). */
int mnt_synth_config_parse(const char *text, size_t len, mnt_synth_params *sp, mnt_latent_params *lp, mnt_diag *d);

#endif
