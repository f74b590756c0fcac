#include "fuzz_target.h"
#include "jpeg_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mnt_diag d = {0};
    mnt_image im;
    if (mnt_jpeg_decode(data, size, 1u << 22, &im, &d) == 0) mnt_image_free(&im);
    return 0;
}
