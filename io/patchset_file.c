#include "patchset_file.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "file_io.h"

enum { MAX_SOURCES = 1000000, MAX_NAME = 4096 };
#define MAX_PATCHES 50000000u
#define MAX_FILE ((size_t)4 << 30)


int mnt_patchset_encode(const mnt_patch_set *s, mnt_buf *out, mnt_diag *d)
{
    size_t start = out->len, g2 = (size_t)mnt_patch_values(s->grid, s->context);
    mnt_buf_put(out, "MNTPATCH", 8);
    mnt_buf_u32(out, MNT_PATCHSET_VERSION);
    mnt_buf_u16(out, (unsigned)s->size);
    mnt_buf_u16(out, (unsigned)s->grid);
    mnt_buf_u16(out, (unsigned)lround(s->ridge_sigma * 100)); /* hundredths of a pixel */
    mnt_buf_u16(out, (unsigned)lround(s->orientation_sigma * 100));
    mnt_buf_u16(out, (unsigned)s->context);
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

/* One record's label fields; 0, or -1 when a field is out of range. */
static int decode_record(const uint8_t *r, uint32_t version, uint32_t nsrc, mnt_patch *out)
{
    mnt_patch p;
    p.cls = r[0];
    p.type = r[1];
    p.frame = r[2];
    p.angle = mnt_f32_from_bits(mnt_be32(r + 4));
    p.source = mnt_be32(r + 8);
    p.x = mnt_f32_from_bits(mnt_be32(r + 12));
    p.y = mnt_f32_from_bits(mnt_be32(r + 16));
    p.region = r[3];
    *out = p;
    if (p.cls > (version >= 3 ? MNT_PATCH_UNLABELLED : 1) || p.type > 2 || p.frame > 1 || p.region > (version >= 3 ? MNT_REGION_BACKGROUND : 0) || !isfinite(p.angle) || p.angle < 0 || p.angle >= 360 ||
        p.source >= nsrc || !isfinite(p.x) || !isfinite(p.y))
        return -1;
    return 0;
}

static int record_error(mnt_diag *d, size_t i, const mnt_patch *p)
{
    return mnt_fail(d, MNT_ERR_FORMAT, "patch %zu has an invalid label field (class %u, type %u, frame %u, region %u, angle %g, source %u)",
                    i, p->cls, p->type, p->frame, p->region, (double)p->angle, (unsigned)p->source);
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
    unsigned context = 0;
    if (version >= 5 && (rc = mnt_cur_u16(&c, &context, "context", d))) return rc;
    if (!mnt_patch_context_valid((int)grid, (int)context))
        return mnt_fail(d, MNT_ERR_FORMAT, "context window %u is not valid for a grid of %u", context, grid);
    mnt_patch_set_init(s, (int)size, (int)grid);
    s->ridge_sigma = ridge / 100.0;
    s->orientation_sigma = orient / 100.0;
    s->context = (int)context;
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
    size_t g2 = (size_t)mnt_patch_values((int)grid, (int)context), rec = 20 + g2;
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
        if (decode_record(r, version, nsrc, &p)) {
            rc = record_error(d, i, &p);
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

/* ---- Streams: sets read on demand ---------------------------------------------- */

struct mnt_patchset_file {
    int fd;
    uint32_t version, nsrc;
    uint64_t data_off; /* the first record */
    size_t first, count; /* patches of the stream */
    uint32_t source_base;
};

enum { STREAM_BUF = 1 << 20 };

/* A sequential reader over [0, end) of a file, for the validation pass. */
typedef struct {
    int fd;
    uint8_t *buf;
    size_t len, pos;
    uint64_t off, end; /* file offset of buf[0]; bytes to read */
} seq_reader;

static int pread_full(int fd, uint8_t *buf, size_t n, uint64_t off, size_t *got)
{
    *got = 0;
    while (*got < n) {
        ssize_t r = pread(fd, buf + *got, n - *got, (off_t)(off + *got));
        if (r < 0) {
            if (errno == EINTR) continue;
            return MNT_ERR_IO;
        }
        if (r == 0) break;
        *got += (size_t)r;
    }
    return MNT_OK;
}

/* At least n (<= STREAM_BUF) bytes at buf + pos, or MNT_ERR_FORMAT at the end. */
static int seq_need(seq_reader *r, size_t n, mnt_diag *d)
{
    if (r->len - r->pos >= n) return MNT_OK;
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->off += r->pos;
    r->len -= r->pos;
    r->pos = 0;
    uint64_t left = r->end - r->off - r->len;
    size_t want = STREAM_BUF - r->len < left ? STREAM_BUF - r->len : (size_t)left, got;
    if (pread_full(r->fd, r->buf + r->len, want, r->off + r->len, &got)) return mnt_fail(d, MNT_ERR_IO, "%s", strerror(errno));
    r->len += got;
    return r->len >= n ? MNT_OK : MNT_ERR_FORMAT;
}

static uint32_t seq_u32(seq_reader *r)
{
    uint32_t v = mnt_be32(r->buf + r->pos);
    r->pos += 4;
    return v;
}

static unsigned seq_u16(seq_reader *r)
{
    unsigned v = (unsigned)r->buf[r->pos] << 8 | r->buf[r->pos + 1];
    r->pos += 2;
    return v;
}

/* Checks one file as mnt_patchset_decode does, in two sequential passes with one
 * buffer (the checksum first, so a corrupt file is called corrupt), and fills f. */
static int stream_check(struct mnt_patchset_file *f, uint8_t *buf, mnt_patchset_stream *s, int first_file, mnt_diag *d)
{
    struct stat st;
    if (fstat(f->fd, &st) != 0) return mnt_fail(d, MNT_ERR_IO, "%s", strerror(errno));
    if (S_ISDIR(st.st_mode)) return mnt_fail(d, MNT_ERR_IO, "is a directory");
    uint64_t len = (uint64_t)st.st_size;
    size_t got;
    if (pread_full(f->fd, buf, len < 12 ? (size_t)len : 12, 0, &got)) return mnt_fail(d, MNT_ERR_IO, "%s", strerror(errno));
    if (got < 8 || memcmp(buf, "MNTPATCH", 8) != 0) return mnt_fail(d, MNT_ERR_FORMAT, "not a patch set (bad magic)");
    if (len < 28) return mnt_fail(d, MNT_ERR_FORMAT, "patch set truncated (%llu bytes)", (unsigned long long)len);
    uint32_t version = mnt_be32(buf + 8);
    if (version < 1 || version > MNT_PATCHSET_VERSION)
        return mnt_fail(d, MNT_ERR_UNSUPPORTED, "patch set version %u is not supported (this build reads %d)", (unsigned)version,
                        MNT_PATCHSET_VERSION);
    uLong crc = crc32(0L, Z_NULL, 0);
    for (uint64_t off = 0; off < len - 4;) {
        size_t want = len - 4 - off < STREAM_BUF ? (size_t)(len - 4 - off) : STREAM_BUF;
        if (pread_full(f->fd, buf, want, off, &got) || got != want) return mnt_fail(d, MNT_ERR_IO, "read error at byte %llu", (unsigned long long)off);
        crc = crc32(crc, buf, (uInt)want);
        off += want;
    }
    if (pread_full(f->fd, buf, 4, len - 4, &got) || got != 4) return mnt_fail(d, MNT_ERR_IO, "read error at the end");
    if ((uint32_t)crc != mnt_be32(buf)) return mnt_fail(d, MNT_ERR_FORMAT, "patch set checksum mismatch (corrupt file)");

    seq_reader r = {f->fd, buf, 0, 0, 0, len - 4};
    int rc;
#define NEED(n, what) if ((rc = seq_need(&r, (n), d))) return rc == MNT_ERR_FORMAT ? mnt_fail(d, rc, "patch set truncated at the %s", what) : rc
    NEED(16, "header");
    r.pos = 12;
    unsigned size = seq_u16(&r), grid = seq_u16(&r);
    if (size < 8 || size > 128 || grid < 4 || grid > 64 || grid > size)
        return mnt_fail(d, MNT_ERR_FORMAT, "patch geometry %u px / %u grid outside the limits", size, grid);
    unsigned ridge = 0;
    if (version >= 2) {
        NEED(2, "ridge smoothing");
        ridge = seq_u16(&r);
    }
    if (ridge > 1600) return mnt_fail(d, MNT_ERR_FORMAT, "ridge smoothing %.2f px outside 0..16", ridge / 100.0);
    unsigned orient = (unsigned)lround(MNT_ORIENTATION_SIGMA_LEGACY * 100);
    if (version >= 4) {
        NEED(2, "orientation smoothing");
        orient = seq_u16(&r);
    }
    if (orient < 100 || orient > 1600) return mnt_fail(d, MNT_ERR_FORMAT, "orientation smoothing %.2f px outside 1..16", orient / 100.0);
    unsigned context = 0;
    if (version >= 5) {
        NEED(2, "context");
        context = seq_u16(&r);
    }
    if (!mnt_patch_context_valid((int)grid, (int)context))
        return mnt_fail(d, MNT_ERR_FORMAT, "context window %u is not valid for a grid of %u", context, grid);
    NEED(4, "source count");
    uint32_t nsrc = seq_u32(&r);
    if (nsrc > MAX_SOURCES) return mnt_fail(d, MNT_ERR_LIMIT, "%u sources exceed the limit", (unsigned)nsrc);
    for (uint32_t i = 0; i < nsrc; i++) {
        NEED(2, "source names");
        unsigned nl = seq_u16(&r);
        if (nl > MAX_NAME || seq_need(&r, nl, d)) return mnt_fail(d, MNT_ERR_FORMAT, "source name %u truncated", (unsigned)i);
        r.pos += nl;
    }
    NEED(4, "patch count");
    uint32_t count = seq_u32(&r);
    size_t g2 = (size_t)mnt_patch_values((int)grid, (int)context), rec = 20 + g2;
    if (count > MAX_PATCHES) return mnt_fail(d, MNT_ERR_LIMIT, "%u patches exceed the limit", (unsigned)count);
    uint64_t data_off = r.off + r.pos, left = len - 4 - data_off;
    if (left != (uint64_t)count * rec)
        return mnt_fail(d, MNT_ERR_FORMAT, "patch data is %llu bytes, %u patches need %zu", (unsigned long long)left, (unsigned)count,
                        (size_t)count * rec);
    for (uint32_t i = 0; i < count; i++) {
        NEED(rec, "patches");
        mnt_patch p;
        if (decode_record(r.buf + r.pos, version, nsrc, &p)) return record_error(d, i, &p);
        if (p.region == MNT_REGION_BACKGROUND) s->has_background = 1;
        r.pos += rec;
    }
#undef NEED
    double rs = ridge / 100.0, os = orient / 100.0;
    if (first_file) {
        s->size = (int)size;
        s->grid = (int)grid;
        s->context = (int)context;
        s->ridge_sigma = rs;
        s->orientation_sigma = os;
    } else if (s->grid != (int)grid || s->size != (int)size || s->ridge_sigma != rs || s->orientation_sigma != os ||
               s->context != (int)context)
        return mnt_fail(d, MNT_ERR_FORMAT, "patch geometry %u/%u (ridge smoothing %g, context %u) differs from the first set's %d/%d (%g, %d)",
                        size, grid, rs, context, s->size, s->grid, s->ridge_sigma, s->context);
    if (s->nsources + nsrc > 0xffffffffu) return mnt_fail(d, MNT_ERR_LIMIT, "too many source images");
    f->version = version;
    f->nsrc = nsrc;
    f->data_off = data_off;
    f->first = s->n;
    f->count = count;
    f->source_base = (uint32_t)s->nsources;
    s->n += count;
    s->nsources += nsrc;
    return MNT_OK;
}

void mnt_patchset_stream_close(mnt_patchset_stream *s)
{
    for (size_t i = 0; i < s->nfiles; i++)
        if (s->files[i].fd >= 0) close(s->files[i].fd);
    free(s->files);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

int mnt_patchset_stream_open(mnt_patchset_stream *s, const char *const *paths, size_t n, size_t *failed, mnt_diag *d)
{
    memset(s, 0, sizeof *s);
    *failed = 0;
    s->files = calloc(n + 1, sizeof *s->files);
    s->buf = malloc(STREAM_BUF);
    if (!s->files || !s->buf) {
        mnt_patchset_stream_close(s);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        *failed = i;
        struct mnt_patchset_file *f = &s->files[i];
        f->fd = open(paths[i], O_RDONLY | O_CLOEXEC);
        if (f->fd < 0) {
            int code = errno == ENOENT ? MNT_ERR_NOTFOUND : MNT_ERR_IO;
            mnt_fail(d, code, "%s", strerror(errno));
            mnt_patchset_stream_close(s);
            return code;
        }
        s->nfiles = i + 1;
        int rc = stream_check(f, s->buf, s, i == 0, d);
        if (rc) {
            mnt_patchset_stream_close(s);
            return rc;
        }
#ifdef POSIX_FADV_RANDOM
        /* batches read patches in a shuffled order: no read-ahead */
        posix_fadvise(f->fd, 0, 0, POSIX_FADV_RANDOM);
#endif
    }
    return MNT_OK;
}

int mnt_patchset_stream_read(void *ctx, size_t first, size_t count, mnt_patch *meta, uint8_t *px)
{
    mnt_patchset_stream *s = ctx;
    if (first > s->n || count > s->n - first) return MNT_ERR_ARG;
    size_t g2 = (size_t)mnt_patch_values(s->grid, s->context), rec = 20 + g2;
    size_t fi = 0;
    while (count) {
        while (fi < s->nfiles && first >= s->files[fi].first + s->files[fi].count) fi++;
        if (fi == s->nfiles) return MNT_ERR_ARG;
        const struct mnt_patchset_file *f = &s->files[fi];
        size_t local = first - f->first, take = f->first + f->count - first;
        if (take > count) take = count;
        if (take > STREAM_BUF / rec) take = STREAM_BUF / rec;
        size_t got;
        if (pread_full(f->fd, s->buf, take * rec, f->data_off + (uint64_t)local * rec, &got)) return MNT_ERR_IO;
        if (got != take * rec) return MNT_ERR_FORMAT; /* the file shrank */
        for (size_t k = 0; k < take; k++) {
            const uint8_t *r = s->buf + k * rec;
            /* checked again: the file may have changed since it was opened */
            if (decode_record(r, f->version, f->nsrc, &meta[k])) return MNT_ERR_FORMAT;
            meta[k].source += f->source_base;
            if (px) memcpy(px + k * g2, r + 20, g2);
        }
        meta += take;
        if (px) px += take * g2;
        first += take;
        count -= take;
    }
    return MNT_OK;
}

void mnt_patchset_stream_range(const mnt_patchset_stream *s, size_t i, size_t *first, size_t *count)
{
    *first = i < s->nfiles ? s->files[i].first : s->n;
    *count = i < s->nfiles ? s->files[i].count : 0;
}
