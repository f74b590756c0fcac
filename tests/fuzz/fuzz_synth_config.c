#include "fuzz_target.h"
#include "synth_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mnt_diag d = {0};
    mnt_synth_params sp;
    mnt_latent_params lp;
    mnt_real_params rp;
    mnt_synth_defaults(&sp);
    mnt_latent_defaults(&lp);
    mnt_real_defaults(&rp);
    mnt_latent_config_parse((const char *)data, size, &sp, &lp, &rp, &d);
    return 0;
}
