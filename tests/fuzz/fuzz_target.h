/* Shared by the fuzz targets: one file per decoder defines LLVMFuzzerTestOneInput.
 * With -DMNT_FUZZ=ON and clang it links against libFuzzer; the normal test suite
 * links the same file with replay_main.c, which feeds it every file of its seed
 * corpus (tests/fuzz/corpus/<target>/), so CI keeps every crasher fixed. */
#ifndef MNT_FUZZ_TARGET_H
#define MNT_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
