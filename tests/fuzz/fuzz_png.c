#include "fuzz_target.h"
#include "png_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = mnt_fuzz_copy(data, size);
    if (!c) return 0;
    mnt_fuzz_fix_png_crcs(c, size);
    mnt_diag d = {0};
    mnt_image im;
    if (mnt_png_decode(c, size, 1u << 22, &im, &d) == 0) mnt_image_free(&im);
    free(c);
    return 0;
}
