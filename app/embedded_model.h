/* The default model compiled into the binary (models/default.mnm at build time). */
#ifndef MNT_EMBEDDED_MODEL_H
#define MNT_EMBEDDED_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Returns 1 and the bytes when a default model was embedded, else 0. */
int embedded_model(const uint8_t **data, size_t *len);

#endif
