/* Small JSON DOM parser for untrusted input: depth, size and count limits,
 * strict RFC 8259 syntax, UTF-8 passed through. */
#ifndef MNT_JSON_H
#define MNT_JSON_H

#include <stddef.h>

#include "mnt_error.h"

typedef enum { MNT_JSON_NULL, MNT_JSON_BOOL, MNT_JSON_NUMBER, MNT_JSON_STRING, MNT_JSON_ARRAY, MNT_JSON_OBJECT } mnt_json_kind;

typedef struct mnt_json mnt_json;
struct mnt_json {
    mnt_json_kind kind;
    double num;        /* NUMBER, BOOL (0/1) */
    char *str;         /* STRING */
    char *key;         /* member name when inside an object */
    size_t n;          /* ARRAY / OBJECT children */
    mnt_json *items;
};

enum { MNT_JSON_MAX_DEPTH = 64 };

int mnt_json_parse(const char *text, size_t len, mnt_json **out, mnt_diag *d);
void mnt_json_free(mnt_json *j);
/* Member lookup (first match), NULL when absent or j is not an object. */
const mnt_json *mnt_json_get(const mnt_json *j, const char *key);

#endif
