#include "fuzz_target.h"
#include "patchset_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mnt_diag d = {0};
    mnt_patch_set s;
    if (mnt_patchset_decode(data, size, &s, &d) == 0) mnt_patch_set_free(&s);
    return 0;
}
