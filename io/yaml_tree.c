#include "yaml_tree.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "file_io.h"

enum { MAX_DEPTH = 32, MAX_NODES = 100000, MAX_SCALAR = 1 << 16, MNT_CFG_PATH_MAX = 256 };

static char *dupstr(const char *s, size_t n)
{
    char *o = malloc(n + 1);
    if (o) {
        memcpy(o, s, n);
        o[n] = 0;
    }
    return o;
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

/* The tree is built event by event (yaml_parser_parse), so the depth, node count and
 * scalar length limits stop a hostile document at the first violation, before libyaml
 * or this code spends time on the rest of it (the document API loaded the whole
 * document first, at a cost that grew with the square of the nesting). Open
 * collections are frames on a stack holding their node by value; a finished child is
 * appended to its parent's items. */
typedef struct {
    mnt_ynode node;
    size_t cap;
    char *key;       /* mapping: the key waiting for its value */
} frame;

static int at(mnt_diag *d, const yaml_mark_t *m, const char *what)
{
    return mnt_fail(d, MNT_ERR_CONFIG, "line %zu, column %zu: %s", (size_t)m->line + 1, (size_t)m->column + 1, what);
}

static int append(frame *f, mnt_ynode *child, mnt_diag *d)
{
    if (f->node.n == f->cap) {
        size_t nc = f->cap ? 2 * f->cap : 4;
        mnt_ynode *v = realloc(f->node.items, nc * sizeof *v);
        if (!v) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        f->node.items = v;
        f->cap = nc;
    }
    f->node.items[f->node.n++] = *child;
    memset(child, 0, sizeof *child);
    return MNT_OK;
}

typedef struct {
    const char *key;
    size_t index;
} member;

static int cmp_members(const void *a, const void *b)
{
    const member *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Duplicate keys of a finished mapping in O(n log n) (a wide mapping must not cost
 * n^2 comparisons): sort the members by key, ties in document order, and report the
 * earliest member that repeats a key before it. */
static int check_duplicates(const mnt_ynode *map, mnt_diag *d)
{
    size_t first = map->n;
    if (map->n <= 16) {
        for (size_t i = 1; i < map->n && first == map->n; i++)
            for (size_t j = 0; j < i; j++)
                if (!strcmp(map->items[j].key, map->items[i].key)) {
                    first = i;
                    break;
                }
    } else {
        member *m = malloc(map->n * sizeof *m);
        if (!m) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < map->n; i++) m[i] = (member){map->items[i].key, i};
        qsort(m, map->n, sizeof *m, cmp_members);
        for (size_t k = 1; k < map->n; k++)
            if (!strcmp(m[k].key, m[k - 1].key) && m[k].index < first) first = m[k].index;
        free(m);
    }
    if (first < map->n)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: duplicate key '%s'", map->items[first].line, map->items[first].key);
    return MNT_OK;
}

/* One node event (scalar or collection start) at depth `depth` under the open frame
 * top (NULL for the root): limits, and whether it may stand there. */
static int admit(const yaml_event_t *ev, const frame *top, size_t depth, size_t *count, mnt_diag *d)
{
    if (ev->type == YAML_ALIAS_EVENT) return at(d, &ev->start_mark, "YAML anchors and aliases are not supported in configs");
    if (depth > MAX_DEPTH) {
        char what[64];
        snprintf(what, sizeof what, "nesting too deep (more than %d levels)", MAX_DEPTH);
        return at(d, &ev->start_mark, what);
    }
    if (++*count > MAX_NODES) {
        char what[64];
        snprintf(what, sizeof what, "too many YAML nodes (more than %d)", MAX_NODES);
        return at(d, &ev->start_mark, what);
    }
    if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.length > MAX_SCALAR) {
        char what[64];
        snprintf(what, sizeof what, "value longer than %d bytes", MAX_SCALAR);
        return at(d, &ev->start_mark, what);
    }
    if (!top && ev->type != YAML_MAPPING_START_EVENT)
        return mnt_fail(d, MNT_ERR_CONFIG, "line %zu: the top level must be a mapping of settings", (size_t)ev->start_mark.line + 1);
    if (top && top->node.kind == MNT_Y_MAP && !top->key && ev->type != YAML_SCALAR_EVENT)
        return at(d, &ev->start_mark, "mapping keys must be plain names");
    return MNT_OK;
}

/* Places a finished node (its ownership moves) under the open frame top. */
static int place(frame *top, mnt_ynode *n, mnt_diag *d)
{
    if (top->node.kind == MNT_Y_SEQ) return append(top, n, d);
    if (!top->key) { /* a scalar in key position */
        top->key = n->value;
        n->value = NULL;
        return MNT_OK;
    }
    n->key = top->key;
    top->key = NULL;
    return append(top, n, d);
}

static int build(yaml_parser_t *parser, mnt_ynode *r, mnt_diag *d)
{
    frame *st = NULL;
    size_t depth = 0, cap = 0, count = 0;
    int rc = MNT_OK, done = 0, have_root = 0;
    while (!rc && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(parser, &ev)) {
            if (parser->error == YAML_MEMORY_ERROR) rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
            else
                rc = mnt_fail(d, MNT_ERR_CONFIG, "YAML syntax error at line %zu, column %zu: %s",
                              (size_t)parser->problem_mark.line + 1, (size_t)parser->problem_mark.column + 1,
                              parser->problem ? parser->problem : "unknown problem");
            break;
        }
        frame *top = depth ? &st[depth - 1] : NULL;
        switch (ev.type) {
        case YAML_SCALAR_EVENT:
        case YAML_ALIAS_EVENT:
            if ((rc = admit(&ev, top, depth, &count, d))) break;
            {
                mnt_ynode n = {0};
                n.kind = MNT_Y_SCALAR;
                n.line = ev.start_mark.line + 1;
                n.value = dupstr((const char *)ev.data.scalar.value, ev.data.scalar.length);
                if (!n.value) rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
                else if ((rc = place(top, &n, d))) free_node(&n);
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if ((rc = admit(&ev, top, depth, &count, d))) break;
            if (depth == cap) {
                size_t nc = cap ? 2 * cap : 8;
                frame *v = realloc(st, nc * sizeof *v);
                if (!v) {
                    rc = mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
                    break;
                }
                st = v;
                cap = nc;
            }
            memset(&st[depth], 0, sizeof st[depth]);
            st[depth].node.kind = ev.type == YAML_MAPPING_START_EVENT ? MNT_Y_MAP : MNT_Y_SEQ;
            st[depth].node.line = ev.start_mark.line + 1;
            depth++;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            frame f = st[--depth];
            if (f.node.kind == MNT_Y_MAP) rc = check_duplicates(&f.node, d);
            if (!rc && depth) rc = place(&st[depth - 1], &f.node, d);
            else if (!rc) {
                *r = f.node;
                have_root = 1;
            }
            if (rc) free_node(&f.node);
            break;
        }
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT: done = 1; break; /* one document, as before */
        default: break;
        }
        yaml_event_delete(&ev);
    }
    while (depth) { /* refused midway: free the open collections */
        frame *f = &st[--depth];
        free_node(&f->node);
        free(f->key);
    }
    free(st);
    if (!rc && !have_root) r->kind = MNT_Y_MAP; /* empty document: no overrides */
    return rc;
}

int mnt_yaml_parse(const char *text, size_t len, mnt_ynode **root, mnt_diag *d)
{
    *root = NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    mnt_ynode *r = calloc(1, sizeof *r);
    int rc = r ? build(&parser, r, d) : mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    yaml_parser_delete(&parser);
    if (rc) {
        mnt_yaml_free(r);
        return rc;
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
