/* Patch-set files (docs/training.md has the layout):
 *   "MNTPATCH" | u32 version | u16 size | u16 grid | u16 ridge smoothing (v2) |
 *   u16 orientation smoothing (v4) | u16 context (v5) | u32 nsources |
 *   nsources x (u16 length, name bytes) | u32 count |
 *   count x (u8 class, u8 type, u8 frame, u8 region, f32 angle, u32 source,
 *            f32 x, f32 y, mnt_patch_values(grid, context) u8 pixels) |
 *   u32 CRC-32 of everything before.
 * Big-endian; the reader validates every field like any untrusted input. */
#ifndef MNT_PATCHSET_FILE_H
#define MNT_PATCHSET_FILE_H

#include "bytes.h"
#include "patches.h"

/* 2 adds the smoothing along ridges (1 is read as 0); 3 the region of each patch
 * (earlier sets read as unknown) */
/* 4 adds the orientation smoothing (earlier: 4 px); 5 the context window (earlier: none) */
enum { MNT_PATCHSET_VERSION = 5 };

int mnt_patchset_encode(const mnt_patch_set *s, mnt_buf *out, mnt_diag *d);
int mnt_patchset_decode(const uint8_t *data, size_t len, mnt_patch_set *s, mnt_diag *d);
int mnt_patchset_write(const char *path, const mnt_patch_set *s, mnt_diag *d);
int mnt_patchset_read(const char *path, mnt_patch_set *s, mnt_diag *d);

/* Patch sets read on demand, for sets larger than memory: one or several files (one
 * after the other, their source images numbered on, as if merged) are checked when
 * opened like mnt_patchset_read checks a file (checksum first, then every field, in
 * sequential passes through one 1 MiB buffer) and afterwards read record by record
 * with pread (fields checked again). Memory: the buffer, whatever the size of the
 * sets. mnt_patchset_stream_read is a mnt_patch_reader's read (ctx: the stream). */
typedef struct {
    int size, grid, context;
    double ridge_sigma, orientation_sigma;
    size_t n, nsources;
    int has_background; /* a patch lies outside its print's region */
    size_t nfiles;
    struct mnt_patchset_file *files;
    uint8_t *buf;
} mnt_patchset_stream;

/* On failure *failed is the index of the path at fault. */
int mnt_patchset_stream_open(mnt_patchset_stream *s, const char *const *paths, size_t n, size_t *failed, mnt_diag *d);
int mnt_patchset_stream_read(void *ctx, size_t first, size_t count, mnt_patch *meta, uint8_t *px);
void mnt_patchset_stream_close(mnt_patchset_stream *s);
/* The patches of file i: [*first, *first + *count) of the stream. */
void mnt_patchset_stream_range(const mnt_patchset_stream *s, size_t i, size_t *first, size_t *count);

#endif
