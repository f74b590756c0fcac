#include "fuzz_target.h"
#include "model_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mnt_diag d = {0};
    mnt_model m;
    if (mnt_model_decode(data, size, &m, &d) == 0) mnt_model_free(&m);
    return 0;
}
