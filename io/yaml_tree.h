/* YAML configs through libyaml, loaded into a small tree with line numbers so errors
 * can name the file, the line and the key. Anchors/aliases are refused (configs do not
 * need them and they allow exponential blow-up). */
#ifndef MNT_YAML_TREE_H
#define MNT_YAML_TREE_H

#include <stddef.h>

#include "bytes.h"
#include "mnt_error.h"

typedef enum { MNT_Y_SCALAR, MNT_Y_SEQ, MNT_Y_MAP } mnt_ykind;

typedef struct mnt_ynode mnt_ynode;
struct mnt_ynode {
    mnt_ykind kind;
    char *key;        /* in a mapping: the key */
    char *value;      /* scalars */
    size_t line;      /* 1-based */
    size_t n;
    mnt_ynode *items; /* sequence items or mapping members */
};

enum { MNT_MAX_CONFIG_FILE = 1u << 20 };

int mnt_yaml_parse(const char *text, size_t len, mnt_ynode **root, mnt_diag *d);
int mnt_yaml_load_file(const char *path, mnt_ynode **root, mnt_diag *d);
void mnt_yaml_free(mnt_ynode *root);
const mnt_ynode *mnt_yaml_get(const mnt_ynode *map, const char *key);

/* Typed readers of one scalar; the message names `what` and the line. */
int mnt_yaml_number(const mnt_ynode *n, const char *what, double *out, mnt_diag *d);
int mnt_yaml_int(const mnt_ynode *n, const char *what, long *out, mnt_diag *d);
/* A two-number sequence [lo, hi]. */
int mnt_yaml_pair(const mnt_ynode *n, const char *what, double *lo, double *hi, mnt_diag *d);

/* Binding table: a config schema of dotted paths. Every leaf in the document must be
 * in the table (unknown keys are errors: a typo must not silently use a default). */
typedef enum { MNT_CFG_NUMBER, MNT_CFG_INT, MNT_CFG_PAIR, MNT_CFG_STRING, MNT_CFG_NODE } mnt_cfg_type;
typedef struct {
    const char *path;  /* "levels.good.blur" */
    mnt_cfg_type type;
    void *target;      /* double*, int*, double[2] (pair), char[64] (string), const mnt_ynode ** (node: the
                          subtree as it is, for the caller to read while the tree lives) */
} mnt_cfg_field;

int mnt_yaml_bind(const mnt_ynode *root, const mnt_cfg_field *fields, size_t nfields, mnt_diag *d);
/* Loads a config file and binds it; a missing file stays MNT_ERR_NOTFOUND, every other
 * fault is MNT_ERR_CONFIG. */
int mnt_yaml_load_bind(const char *path, const mnt_cfg_field *fields, size_t nfields, mnt_diag *d);

/* Writes s as a YAML double-quoted scalar that mnt_yaml_parse reads back: printable
 * ASCII and valid printable UTF-8 as they are, '"' and '\\' escaped, every other byte
 * as \xNN. */
void mnt_yaml_write_string(mnt_buf *b, const char *s);

#endif
