#include "yaml_tree.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "file_io.h"

enum { MAX_DEPTH = 32, MAX_NODES = 100000, MNT_CFG_PATH_MAX = 256 };

static char *dupstr(const char *s, size_t n)
{
    char *o = malloc(n + 1);
    if (o) {
        memcpy(o, s, n);
        o[n] = 0;
    }
    return o;
}

static int convert(yaml_document_t *doc, yaml_node_t *yn, mnt_ynode *out, int depth, size_t *count, mnt_diag *d)
{
    if (depth > MAX_DEPTH) return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: nesting too deep", (size_t)yn->start_mark.line + 1);
    if (++*count > MAX_NODES) return mnt_fail(d, MNT_ERR_CONFIG, "too many YAML nodes");
    out->line = yn->start_mark.line + 1;
    switch (yn->type) {
    case YAML_SCALAR_NODE:
        out->kind = MNT_Y_SCALAR;
        out->value = dupstr((const char *)yn->data.scalar.value, yn->data.scalar.length);
        return out->value ? MNT_OK : mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    case YAML_SEQUENCE_NODE: {
        out->kind = MNT_Y_SEQ;
        size_t n = (size_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
        out->items = n ? calloc(n, sizeof *out->items) : NULL;
        if (n && !out->items) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < n; i++) {
            out->n = i + 1;
            yaml_node_t *c = yaml_document_get_node(doc, yn->data.sequence.items.start[i]);
            int rc = convert(doc, c, &out->items[i], depth + 1, count, d);
            if (rc) return rc;
        }
        return MNT_OK;
    }
    case YAML_MAPPING_NODE: {
        out->kind = MNT_Y_MAP;
        size_t n = (size_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
        out->items = n ? calloc(n, sizeof *out->items) : NULL;
        if (n && !out->items) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < n; i++) {
            yaml_node_pair_t *pr = &yn->data.mapping.pairs.start[i];
            yaml_node_t *k = yaml_document_get_node(doc, pr->key), *v = yaml_document_get_node(doc, pr->value);
            if (k->type != YAML_SCALAR_NODE)
                return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: mapping keys must be plain names", (size_t)k->start_mark.line + 1);
            out->n = i + 1;
            ++*count; /* the key node */
            int rc = convert(doc, v, &out->items[i], depth + 1, count, d);
            if (rc) return rc;
            out->items[i].key = dupstr((const char *)k->data.scalar.value, k->data.scalar.length);
            if (!out->items[i].key) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
            for (size_t j = 0; j < i; j++)
                if (!strcmp(out->items[j].key, out->items[i].key))
                    return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: duplicate key '%s'", out->items[i].line, out->items[i].key);
        }
        return MNT_OK;
    }
    default: return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: empty node", out->line);
    }
}

static void free_node(mnt_ynode *n)
{
    for (size_t i = 0; i < n->n; i++) free_node(&n->items[i]);
    free(n->items);
    free(n->key);
    free(n->value);
}

void mnt_yaml_free(mnt_ynode *root)
{
    if (!root) return;
    free_node(root);
    free(root);
}

int mnt_yaml_parse(const char *text, size_t len, mnt_ynode **root, mnt_diag *d)
{
    *root = NULL;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = mnt_fail(d, MNT_ERR_CONFIG, "YAML syntax error at line %zu: %s", (size_t)parser.problem_mark.line + 1,
                          parser.problem ? parser.problem : "unknown problem");
        yaml_parser_delete(&parser);
        return rc;
    }
    int rc = MNT_OK;
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    mnt_ynode *r = calloc(1, sizeof *r);
    if (!r) rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    else if (!top) r->kind = MNT_Y_MAP; /* empty document: no overrides */
    else {
        /* aliases show up as nodes shared between parents; refuse them by counting */
        size_t count = 0;
        rc = convert(&doc, top, r, 0, &count, d);
        size_t total = (size_t)(doc.nodes.top - doc.nodes.start);
        if (!rc && count != total)
            rc = mnt_fail(d, MNT_ERR_CONFIG, "YAML anchors and aliases are not supported in configs");
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc) {
        mnt_yaml_free(r);
        return rc;
    }
    if (r->kind != MNT_Y_MAP) {
        size_t line = r->line;
        mnt_yaml_free(r);
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: the top level must be a mapping of settings", line);
    }
    *root = r;
    return MNT_OK;
}

int mnt_yaml_load_file(const char *path, mnt_ynode **root, mnt_diag *d)
{
    uint8_t *data;
    size_t len;
    int rc = mnt_read_file(path, MNT_MAX_CONFIG_FILE, &data, &len, d);
    if (rc) return rc;
    rc = mnt_yaml_parse((const char *)data, len, root, d);
    free(data);
    return rc;
}

const mnt_ynode *mnt_yaml_get(const mnt_ynode *map, const char *key)
{
    if (!map || map->kind != MNT_Y_MAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (!strcmp(map->items[i].key, key)) return &map->items[i];
    return NULL;
}

int mnt_yaml_number(const mnt_ynode *n, const char *what, double *out, mnt_diag *d)
{
    if (n->kind != MNT_Y_SCALAR) return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s must be a number", n->line, what);
    char *end;
    errno = 0;
    double v = strtod(n->value, &end);
    if (errno || end == n->value || *end || !isfinite(v))
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s: '%s' is not a number", n->line, what, n->value);
    *out = v;
    return MNT_OK;
}

int mnt_yaml_int(const mnt_ynode *n, const char *what, long *out, mnt_diag *d)
{
    double v = 0;
    int rc = mnt_yaml_number(n, what, &v, d);
    if (rc) return rc;
    if (v != floor(v) || fabs(v) > 1e15)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s: '%s' is not an integer", n->line, what, n->value);
    *out = (long)v;
    return MNT_OK;
}

int mnt_yaml_pair(const mnt_ynode *n, const char *what, double *lo, double *hi, mnt_diag *d)
{
    if (n->kind == MNT_Y_SCALAR) { /* a single value means a fixed range */
        int rc = mnt_yaml_number(n, what, lo, d);
        if (!rc) *hi = *lo;
        return rc;
    }
    if (n->kind != MNT_Y_SEQ || n->n != 2)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s must be [low, high]", n->line, what);
    int rc = mnt_yaml_number(&n->items[0], what, lo, d);
    if (!rc) rc = mnt_yaml_number(&n->items[1], what, hi, d);
    if (!rc && *lo > *hi) return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s: low %g above high %g", n->line, what, *lo, *hi);
    return rc;
}

static int bind_node(const mnt_ynode *node, char *path, size_t plen, const mnt_cfg_field *fields, size_t nf, mnt_diag *d)
{
    for (size_t i = 0; i < nf; i++) {
        if (strcmp(fields[i].path, path) != 0) continue;
        const mnt_cfg_field *f = &fields[i];
        switch (f->type) {
        case MNT_CFG_NUMBER: return mnt_yaml_number(node, path, (double *)f->target, d);
        case MNT_CFG_INT: {
            long v = 0;
            int rc = mnt_yaml_int(node, path, &v, d);
            if (!rc) {
                if (v < -2147483647L || v > 2147483647L) return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s out of range", node->line, path);
                *(int *)f->target = (int)v;
            }
            return rc;
        }
        case MNT_CFG_PAIR: {
            double *t = f->target;
            return mnt_yaml_pair(node, path, &t[0], &t[1], d);
        }
        case MNT_CFG_STRING:
            if (node->kind != MNT_Y_SCALAR || strlen(node->value) >= 64)
                return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: %s must be a short string", node->line, path);
            strcpy((char *)f->target, node->value);
            return MNT_OK;
        case MNT_CFG_NODE: *(const mnt_ynode **)f->target = node; return MNT_OK;
        }
    }
    if (node->kind != MNT_Y_MAP)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: unknown setting '%s'", node->line, path[0] ? path : "(top)");
    for (size_t i = 0; i < node->n; i++) {
        const mnt_ynode *c = &node->items[i];
        int n = snprintf(path + plen, MNT_CFG_PATH_MAX - plen, "%s%s", plen ? "." : "", c->key);
        if (n < 0 || plen + (size_t)n >= MNT_CFG_PATH_MAX)
            return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: key path too long", c->line);
        int rc = bind_node(c, path, plen + (size_t)n, fields, nf, d);
        path[plen] = 0;
        if (rc) return rc;
    }
    return MNT_OK;
}

int mnt_yaml_bind(const mnt_ynode *root, const mnt_cfg_field *fields, size_t nfields, mnt_diag *d)
{
    char path[MNT_CFG_PATH_MAX] = {0};
    return bind_node(root, path, 0, fields, nfields, d);
}

int mnt_yaml_load_bind(const char *path, const mnt_cfg_field *fields, size_t nfields, mnt_diag *d)
{
    mnt_ynode *root;
    int rc = mnt_yaml_load_file(path, &root, d);
    if (rc) return rc == MNT_ERR_NOTFOUND ? rc : MNT_ERR_CONFIG;
    rc = mnt_yaml_bind(root, fields, nfields, d);
    mnt_yaml_free(root);
    return rc;
}

/* Length of the valid UTF-8 sequence at p encoding a character YAML may print
 * (U+00A0 and up, no surrogates, no U+FFFE / U+FFFF), 0 otherwise. */
static size_t printable_utf8(const unsigned char *p)
{
    size_t n = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : 0;
    if (!n || (n == 3 && p[0] > 0xEF)) return 0;
    unsigned long cp = p[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    static const unsigned long least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp < 0xA0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

void mnt_yaml_write_string(mnt_buf *b, const char *s)
{
    mnt_buf_u8(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n;
        if (*p == '"' || *p == '\\') {
            mnt_buf_u8(b, '\\');
            mnt_buf_u8(b, *p++);
        } else if (*p >= 0x20 && *p < 0x7F) {
            mnt_buf_u8(b, *p++);
        } else if ((n = printable_utf8(p)) > 0) {
            mnt_buf_put(b, p, n);
            p += n;
        } else {
            mnt_buf_printf(b, "\\x%02x", *p++);
        }
    }
    mnt_buf_u8(b, '"');
}
