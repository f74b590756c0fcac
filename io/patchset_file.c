#include "patchset_file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "file_io.h"

enum { MAX_SOURCES = 1000000, MAX_NAME = 4096 };
#define MAX_PATCHES 50000000u
#define MAX_FILE ((size_t)4 << 30)


int mnt_patchset_encode(const mnt_patch_set *s, mnt_buf *out, mnt_diag *d)
{
    size_t start = out->len, g2 = (size_t)s->grid * s->grid;
    mnt_buf_put(out, "MNTPATCH", 8);
    mnt_buf_u32(out, MNT_PATCHSET_VERSION);
    mnt_buf_u16(out, (unsigned)s->size);
    mnt_buf_u16(out, (unsigned)s->grid);
    mnt_buf_u16(out, (unsigned)lround(s->ridge_sigma * 100)); /* hundredths of a pixel */
    mnt_buf_u16(out, (unsigned)lround(s->orientation_sigma * 100));
    mnt_buf_u32(out, (uint32_t)s->nsources);
    for (size_t i = 0; i < s->nsources; i++) {
        size_t len = strlen(s->sources[i]);
        if (len > MAX_NAME) return mnt_fail(d, MNT_ERR_ARG, "source name too long");
        mnt_buf_u16(out, (unsigned)len);
        mnt_buf_put(out, s->sources[i], len);
    }
    mnt_buf_u32(out, (uint32_t)s->n);
    for (size_t i = 0; i < s->n; i++) {
        const mnt_patch *p = &s->p[i];
        mnt_buf_u8(out, p->cls);
        mnt_buf_u8(out, p->type);
        mnt_buf_u8(out, p->frame);
        mnt_buf_u8(out, p->region);
        mnt_buf_u32(out, mnt_f32_bits(p->angle));
        mnt_buf_u32(out, p->source);
        mnt_buf_u32(out, mnt_f32_bits(p->x));
        mnt_buf_u32(out, mnt_f32_bits(p->y));
        mnt_buf_put(out, s->pool + i * g2, g2);
    }
    if (out->failed) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t off = start; off < out->len;) {
        size_t chunk = out->len - off > (1u << 30) ? (1u << 30) : out->len - off;
        crc = crc32(crc, out->data + off, (uInt)chunk);
        off += chunk;
    }
    mnt_buf_u32(out, (uint32_t)crc);
    return out->failed ? mnt_fail(d, MNT_ERR_NOMEM, "out of memory") : MNT_OK;
}

int mnt_patchset_decode(const uint8_t *data, size_t len, mnt_patch_set *s, mnt_diag *d)
{
    memset(s, 0, sizeof *s);
    if (len < 8 || memcmp(data, "MNTPATCH", 8) != 0) return mnt_fail(d, MNT_ERR_FORMAT, "not a patch set (bad magic)");
    if (len < 28) return mnt_fail(d, MNT_ERR_FORMAT, "patch set truncated (%zu bytes)", len);
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t off = 0; off < len - 4;) {
        size_t chunk = len - 4 - off > (1u << 30) ? (1u << 30) : len - 4 - off;
        crc = crc32(crc, data + off, (uInt)chunk);
        off += chunk;
    }
    uint32_t stored = mnt_be32(data + len - 4);
    mnt_cursor c = {data, len - 4, 8};
    uint32_t version, nsrc, count;
    unsigned size, grid;
    int rc;
    if ((rc = mnt_cur_u32(&c, &version, "version", d))) return rc;
    if (version < 1 || version > MNT_PATCHSET_VERSION)
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "patch set version %u is not supported (this build reads %d)", (unsigned)version,
                        MNT_PATCHSET_VERSION);
    if ((uint32_t)crc != stored) return mnt_fail(d, MNT_ERR_FORMAT, "patch set checksum mismatch (corrupt file)");
    if ((rc = mnt_cur_u16(&c, &size, "patch size", d)) || (rc = mnt_cur_u16(&c, &grid, "patch grid", d))) return rc;
    if (size < 8 || size > 128 || grid < 4 || grid > 64 || grid > size)
        return mnt_fail(d, MNT_ERR_FORMAT, "patch geometry %u px / %u grid outside the limits", size, grid);
    unsigned ridge = 0;
    if (version >= 2 && (rc = mnt_cur_u16(&c, &ridge, "ridge smoothing", d))) return rc;
    if (ridge > 1600) return mnt_fail(d, MNT_ERR_FORMAT, "ridge smoothing %.2f px outside 0..16", ridge / 100.0);
    unsigned orient = (unsigned)lround(MNT_ORIENTATION_SIGMA_LEGACY * 100);
    if (version >= 4 && (rc = mnt_cur_u16(&c, &orient, "orientation smoothing", d))) return rc;
    if (orient < 100 || orient > 1600) return mnt_fail(d, MNT_ERR_FORMAT, "orientation smoothing %.2f px outside 1..16", orient / 100.0);
    mnt_patch_set_init(s, (int)size, (int)grid);
    s->ridge_sigma = ridge / 100.0;
    s->orientation_sigma = orient / 100.0;
    if ((rc = mnt_cur_u32(&c, &nsrc, "source count", d))) return rc;
    if (nsrc > MAX_SOURCES) return mnt_fail(d, MNT_ERR_LIMIT, "%u sources exceed the limit", (unsigned)nsrc);
    for (uint32_t i = 0; i < nsrc; i++) {
        unsigned nl;
        if ((rc = mnt_cur_u16(&c, &nl, "source name length", d))) goto fail;
        if (nl > MAX_NAME || mnt_cur_left(&c) < nl) { rc = mnt_fail(d, MNT_ERR_FORMAT, "source name %u truncated", (unsigned)i); goto fail; }
        char name[MAX_NAME + 1];
        memcpy(name, data + c.pos, nl);
        name[nl] = 0;
        c.pos += nl;
        uint32_t idx;
        if ((rc = mnt_patch_set_add_source(s, name, &idx))) { rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory"); goto fail; }
    }
    if ((rc = mnt_cur_u32(&c, &count, "patch count", d))) goto fail;
    size_t g2 = (size_t)grid * grid, rec = 20 + g2;
    if (count > MAX_PATCHES) { rc = mnt_fail(d, MNT_ERR_LIMIT, "%u patches exceed the limit", (unsigned)count); goto fail; }
    if (mnt_cur_left(&c) != (size_t)count * rec) {
        rc = mnt_fail(d, MNT_ERR_FORMAT, "patch data is %zu bytes, %u patches need %zu", mnt_cur_left(&c), (unsigned)count,
                      (size_t)count * rec);
        goto fail;
    }
    s->p = malloc(((size_t)count + 1) * sizeof *s->p);
    s->pool = malloc(((size_t)count + 1) * g2);
    if (!s->p || !s->pool) { rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory for %u patches", (unsigned)count); goto fail; }
    s->cap = (size_t)count + 1;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *r = data + c.pos;
        mnt_patch p;
        p.cls = r[0];
        p.type = r[1];
        p.frame = r[2];
        p.angle = mnt_f32_from_bits(mnt_be32(r + 4));
        p.source = mnt_be32(r + 8);
        p.x = mnt_f32_from_bits(mnt_be32(r + 12));
        p.y = mnt_f32_from_bits(mnt_be32(r + 16));
        p.region = r[3];
        if (p.cls > (version >= 3 ? MNT_PATCH_UNLABELLED : 1) || p.type > 2 || p.frame > 1 || p.region > (version >= 3 ? MNT_REGION_BACKGROUND : 0) || !isfinite(p.angle) || p.angle < 0 || p.angle >= 360 ||
            p.source >= nsrc || !isfinite(p.x) || !isfinite(p.y)) {
            rc = mnt_fail(d, MNT_ERR_FORMAT, "patch %u has an invalid label field (class %u, type %u, frame %u, region %u, angle %g, source %u)",
                          (unsigned)i, p.cls, p.type, p.frame, p.region, (double)p.angle, (unsigned)p.source);
            goto fail;
        }
        memcpy(s->pool + (size_t)i * g2, r + 20, g2);
        s->p[i] = p;
        s->n = (size_t)i + 1;
        c.pos += rec;
    }
    return MNT_OK;
fail:
    mnt_patch_set_free(s);
    return rc;
}

int mnt_patchset_write(const char *path, const mnt_patch_set *s, mnt_diag *d)
{
    mnt_buf b = {0};
    int rc = mnt_patchset_encode(s, &b, d);
    if (!rc) rc = mnt_write_file_atomic(path, b.data, b.len, d);
    mnt_buf_free(&b);
    return rc;
}

int mnt_patchset_read(const char *path, mnt_patch_set *s, mnt_diag *d)
{
    uint8_t *data;
    size_t len;
    int rc = mnt_read_file(path, MAX_FILE, &data, &len, d);
    if (rc) return rc;
    rc = mnt_patchset_decode(data, len, s, d);
    free(data);
    return rc;
}
