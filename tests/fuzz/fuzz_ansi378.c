#include "fuzz_template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return mnt_fuzz_template(data, size, MNT_FMT_ANSI378); }
