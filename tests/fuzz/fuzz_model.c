#include "fuzz_target.h"
#include "model_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = mnt_fuzz_copy(data, size);
    if (!c) return 0;
    mnt_fuzz_fix_trailing_crc(c, size);
    mnt_diag d = {0};
    mnt_model m;
    if (mnt_model_decode(c, size, &m, &d) == 0) mnt_model_free(&m);
    free(c);
    return 0;
}
