/* The truth of an image: NAME.json, .iso, .ansi, .iso2011, .xyt or .mnt in a truth
 * folder, the first that exists (the commands that take --truth DIR share it). */
#ifndef MNT_TRUTH_LOOKUP_H
#define MNT_TRUTH_LOOKUP_H

#include <stddef.h>

#include "template_io.h"

#define TRUTH_LOOKUP_EXTS "{json,iso,ansi,iso2011,xyt,mnt}"

/* Looks for dir/stem.EXT and reads the first found with ro (its width and height set
 * to the image's, for the NIST xyt frame). Returns 1 when read (path holds it), 0 when
 * none exists, or a negative status with d (path holds the file that failed). */
int truth_lookup(const char *dir, const char *stem, const mnt_read_opts *ro, int width, int height, mnt_template *t,
                 char *path, size_t cap, mnt_diag *d);

#endif
