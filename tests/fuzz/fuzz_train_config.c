#include "fuzz_target.h"
#include "train_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mnt_diag d = {0};
    mnt_train_settings s;
    mnt_train_settings_defaults(&s);
    mnt_train_settings_parse((const char *)data, size, &s, &d);
    mnt_train_settings_free(&s);
    return 0;
}
