/* Shared by the fuzz targets: one file per decoder defines LLVMFuzzerTestOneInput.
 * With -DMNT_FUZZ=ON and clang it links against libFuzzer; the normal test suite
 * links the same file with replay_main.c, which feeds it every file of its seed
 * corpus (tests/fuzz/corpus/<target>/), so CI keeps every crasher fixed. */
#ifndef MNT_FUZZ_TARGET_H
#define MNT_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checksums stop a fuzzer at the first mutation, so the targets of checksummed formats
 * fix them first, on a copy of exactly the input's size (the decoder's own CRC check is
 * covered by the unit tests). NULL when out of memory. */
static inline uint8_t *mnt_fuzz_copy(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (c && size) memcpy(c, data, size);
    return c;
}

static inline void mnt_fuzz_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* A CRC-32 of everything before it in the last 4 bytes (model files, patch sets). */
static inline void mnt_fuzz_fix_trailing_crc(uint8_t *c, size_t size)
{
    if (size >= 4) mnt_fuzz_put32(c + size - 4, (uint32_t)crc32(0L, c, (uInt)(size - 4)));
}

/* PNG: every chunk's CRC (over type and data) after the 8-byte signature. */
static inline void mnt_fuzz_fix_png_crcs(uint8_t *c, size_t size)
{
    size_t pos = 8;
    while (pos + 12 <= size) {
        uint32_t n = (uint32_t)c[pos] << 24 | (uint32_t)c[pos + 1] << 16 | (uint32_t)c[pos + 2] << 8 | c[pos + 3];
        if (n > size - pos - 12) break;
        mnt_fuzz_put32(c + pos + 8 + n, (uint32_t)crc32(0L, c + pos + 4, (uInt)(n + 4)));
        pos += 12 + (size_t)n;
    }
}

#endif
