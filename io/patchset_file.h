/* Patch-set files (docs/training.md has the layout):
 *   "MNTPATCH" | u32 version (1) | u16 size | u16 grid | u32 nsources |
 *   nsources x (u16 length, name bytes) | u32 count |
 *   count x (u8 class, u8 type, u8 frame, u8 reserved 0, f32 angle, u32 source,
 *            f32 x, f32 y, grid*grid u8 pixels) | u32 CRC-32 of everything before.
 * Big-endian; the reader validates every field like any untrusted input. */
#ifndef MNT_PATCHSET_FILE_H
#define MNT_PATCHSET_FILE_H

#include "bytes.h"
#include "patches.h"

/* 2 adds the smoothing along ridges (1 is read as 0); 3 the region of each patch
 * (earlier sets read as unknown) */
enum { MNT_PATCHSET_VERSION = 4 }; /* 4 adds the orientation smoothing (earlier: 4 px) */

int mnt_patchset_encode(const mnt_patch_set *s, mnt_buf *out, mnt_diag *d);
int mnt_patchset_decode(const uint8_t *data, size_t len, mnt_patch_set *s, mnt_diag *d);
int mnt_patchset_write(const char *path, const mnt_patch_set *s, mnt_diag *d);
int mnt_patchset_read(const char *path, mnt_patch_set *s, mnt_diag *d);

#endif
