#include "fuzz_target.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mnt_diag d = {0};
    mnt_json *j;
    if (mnt_json_parse((const char *)data, size, &j, &d) == 0) mnt_json_free(j);
    return 0;
}
