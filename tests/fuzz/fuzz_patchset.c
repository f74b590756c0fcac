#include "fuzz_target.h"
#include "patchset_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = mnt_fuzz_copy(data, size);
    if (!c) return 0;
    mnt_fuzz_fix_trailing_crc(c, size);
    mnt_diag d = {0};
    mnt_patch_set s;
    if (mnt_patchset_decode(c, size, &s, &d) == 0) mnt_patch_set_free(&s);
    free(c);
    return 0;
}
