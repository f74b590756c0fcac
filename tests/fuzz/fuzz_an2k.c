#include "an2k.h"
#include "fuzz_target.h"

/* ANSI/NIST-ITL transactions: records, their images, Type-9, and the Type-9 written back. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mnt_diag d = {0};
    mnt_an2k t;
    if (mnt_an2k_parse(data, size, &t, &d) != 0) return 0;
    for (size_t k = 0; k < t.nrec; k++) {
        mnt_image im;
        if (t.rec[k].is_image && mnt_an2k_decode_image(&t, k, 1u << 22, &im, &d) == 0) mnt_image_free(&im);
    }
    mnt_template tp;
    if (mnt_an2k_decode_minutiae(data, size, 512, 0, &tp, &d) == 0) {
        mnt_buf b = {0};
        mnt_an2k_write(&b, &t, NULL, 0, &tp, NULL, &d);
        mnt_buf_free(&b);
        mnt_template_free(&tp);
    }
    mnt_an2k_free(&t);
    return 0;
}
