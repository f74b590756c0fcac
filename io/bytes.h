/* Growable output buffer and bounds-checked big-endian input cursor. */
#ifndef MNT_BYTES_H
#define MNT_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include "mnt_error.h"

typedef struct {
    uint8_t *data;
    size_t len, cap;
    int failed; /* sticky: an allocation failed */
} mnt_buf;

void mnt_buf_free(mnt_buf *b);
void mnt_buf_put(mnt_buf *b, const void *p, size_t n);
void mnt_buf_u8(mnt_buf *b, unsigned v);
void mnt_buf_u16(mnt_buf *b, unsigned v);
void mnt_buf_u32(mnt_buf *b, uint32_t v);
void mnt_buf_printf(mnt_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Writes a JSON string literal with escapes. */
void mnt_buf_json_string(mnt_buf *b, const char *s);
/* Overwrites a big-endian u32 / u16 already written at off. */
void mnt_buf_set_u32(mnt_buf *b, size_t off, uint32_t v);
void mnt_buf_set_u16(mnt_buf *b, size_t off, unsigned v);

/* Big-endian u32 at p, and a float from its bit pattern. */
uint32_t mnt_be32(const uint8_t *p);
float mnt_f32_from_bits(uint32_t u);
uint32_t mnt_f32_bits(float f);

typedef struct {
    const uint8_t *p;
    size_t len, pos;
} mnt_cursor;

size_t mnt_cur_left(const mnt_cursor *c);
/* Each returns MNT_OK or MNT_ERR_FORMAT ("truncated at byte N reading FIELD"). */
int mnt_cur_u8(mnt_cursor *c, unsigned *v, const char *field, mnt_diag *d);
int mnt_cur_u16(mnt_cursor *c, unsigned *v, const char *field, mnt_diag *d);
int mnt_cur_u32(mnt_cursor *c, uint32_t *v, const char *field, mnt_diag *d);
int mnt_cur_skip(mnt_cursor *c, size_t n, const char *field, mnt_diag *d);

#endif
