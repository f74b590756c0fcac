/* SHA-256 (FIPS 180-4), for the input and model digests in batch reports. */
#ifndef MNT_SHA256_H
#define MNT_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t len;
    uint8_t buf[64];
    size_t fill;
} mnt_sha256;

void mnt_sha256_init(mnt_sha256 *s);
void mnt_sha256_update(mnt_sha256 *s, const void *data, size_t n);
void mnt_sha256_final(mnt_sha256 *s, uint8_t out[32]);
/* Hex digest of a buffer into hex[65]. */
void mnt_sha256_hex(const void *data, size_t n, char hex[65]);

#endif
