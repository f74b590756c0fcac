#include "bytes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mnt_buf_free(mnt_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static int reserve(mnt_buf *b, size_t extra)
{
    if (b->failed) return 0;
    if (extra > SIZE_MAX / 2 - b->len) { b->failed = 1; return 0; }
    if (b->len + extra <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) cap *= 2;
    uint8_t *nd = realloc(b->data, cap);
    if (!nd) { b->failed = 1; return 0; }
    b->data = nd;
    b->cap = cap;
    return 1;
}

void mnt_buf_put(mnt_buf *b, const void *p, size_t n)
{
    if (!n || !reserve(b, n)) return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void mnt_buf_u8(mnt_buf *b, unsigned v)
{
    uint8_t x = (uint8_t)v;
    mnt_buf_put(b, &x, 1);
}

void mnt_buf_u16(mnt_buf *b, unsigned v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    mnt_buf_put(b, x, 2);
}

void mnt_buf_u32(mnt_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    mnt_buf_put(b, x, 4);
}

void mnt_buf_set_u32(mnt_buf *b, size_t off, uint32_t v)
{
    if (b->failed || off + 4 > b->len) return;
    b->data[off] = (uint8_t)(v >> 24);
    b->data[off + 1] = (uint8_t)(v >> 16);
    b->data[off + 2] = (uint8_t)(v >> 8);
    b->data[off + 3] = (uint8_t)v;
}

void mnt_buf_set_u16(mnt_buf *b, size_t off, unsigned v)
{
    if (b->failed || off + 2 > b->len) return;
    b->data[off] = (uint8_t)(v >> 8);
    b->data[off + 1] = (uint8_t)v;
}

void mnt_buf_printf(mnt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) { b->failed = 1; return; }
    if ((size_t)n < sizeof small) {
        mnt_buf_put(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n + 1)) return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void mnt_buf_json_string(mnt_buf *b, const char *s)
{
    mnt_buf_u8(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            mnt_buf_u8(b, '\\');
            mnt_buf_u8(b, *p);
        } else if (*p < 0x20) {
            mnt_buf_printf(b, "\\u%04x", *p);
        } else {
            mnt_buf_u8(b, *p);
        }
    }
    mnt_buf_u8(b, '"');
}

size_t mnt_cur_left(const mnt_cursor *c)
{
    return c->len - c->pos;
}

static int need(mnt_cursor *c, size_t n, const char *field, mnt_diag *d)
{
    if (mnt_cur_left(c) < n)
        return mnt_fail(d, MNT_ERR_FORMAT, "truncated: %s at byte %zu needs %zu bytes, %zu left",
                        field, c->pos, n, mnt_cur_left(c));
    return MNT_OK;
}

int mnt_cur_u8(mnt_cursor *c, unsigned *v, const char *field, mnt_diag *d)
{
    int rc = need(c, 1, field, d);
    if (rc) return rc;
    *v = c->p[c->pos++];
    return MNT_OK;
}

int mnt_cur_u16(mnt_cursor *c, unsigned *v, const char *field, mnt_diag *d)
{
    int rc = need(c, 2, field, d);
    if (rc) return rc;
    *v = (unsigned)c->p[c->pos] << 8 | c->p[c->pos + 1];
    c->pos += 2;
    return MNT_OK;
}

int mnt_cur_u32(mnt_cursor *c, uint32_t *v, const char *field, mnt_diag *d)
{
    int rc = need(c, 4, field, d);
    if (rc) return rc;
    const uint8_t *p = c->p + c->pos;
    *v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    c->pos += 4;
    return MNT_OK;
}

int mnt_cur_skip(mnt_cursor *c, size_t n, const char *field, mnt_diag *d)
{
    int rc = need(c, n, field, d);
    if (rc) return rc;
    c->pos += n;
    return MNT_OK;
}

uint32_t mnt_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

float mnt_f32_from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

uint32_t mnt_f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
