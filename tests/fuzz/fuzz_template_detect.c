/* Format detection as `convert` and `eval` use it: detect, then decode what was found. */
#include "fuzz_target.h"
#include "template_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mnt_diag d = {0};
    mnt_read_opts o = {0};
    o.height = 512;
    mnt_format f;
    mnt_template t;
    if (mnt_template_detect(data, size, &o, &f, &d) == 0 && mnt_template_decode(data, size, f, &o, &t, &d) == 0)
        mnt_template_free(&t);
    return 0;
}
