/* The files of one latent, as `synth` and `degrade` write them: NAME.png (with pHYs),
 * NAME.json (the truth, hidden minutiae flagged), NAME.iso (the visible minutiae only,
 * ISO/IEC 19794-2:2005) and NAME.mask.png (the visible area). Each is written to a
 * temporary name and renamed. */
#ifndef MNT_LATENT_FILES_H
#define MNT_LATENT_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "template.h"

enum { LATENT_FILE_COUNT = 4 };
extern const char *const LATENT_FILE_SUFFIXES[LATENT_FILE_COUNT];

/* Sets t->image to NAME.png and writes the four files; returns 0, or a status with
 * "PATH: message" in err. */
int latent_files_write(const char *outdir, const char *name, const mnt_image *img, const uint8_t *mask,
                       mnt_template *t, char *err, size_t errcap);

#endif
