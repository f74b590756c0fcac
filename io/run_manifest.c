#include "run_manifest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Records are kept compact (a batch may have millions): heap strings, not the fixed
 * arrays of mnt_manifest_record. */
typedef struct {
    char *output;
    char settings[65], input[65];
    size_t nfiles;
    char **names;
    char (*shas)[65];
} record;

/* Open-addressing string table: key -> value (a record index, or 0 for a set). */
typedef struct {
    char **keys;
    size_t *vals;
    size_t cap, n;
} table;

struct mnt_manifest {
    record *recs;
    size_t n, cap;
    table owned;  /* "name\x1fsha256" */
    table latest; /* output base -> record index */
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *o = malloc(n);
    if (o) memcpy(o, s, n);
    return o;
}

static size_t *table_find(const table *t, const char *key)
{
    if (!t->cap) return NULL;
    for (size_t i = hash(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (!t->keys[i]) return NULL;
        if (!strcmp(t->keys[i], key)) return &t->vals[i];
    }
}

static int table_grow(table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    char **keys = calloc(cap, sizeof *keys);
    size_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return MNT_ERR_NOMEM;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i]) continue;
        size_t j = hash(t->keys[i]) & (cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = t->keys[i];
        vals[j] = t->vals[i];
    }
    free(t->keys);
    free(t->vals);
    t->keys = keys;
    t->vals = vals;
    t->cap = cap;
    return MNT_OK;
}

static int table_put(table *t, const char *key, size_t val)
{
    size_t *v = table_find(t, key);
    if (v) {
        *v = val;
        return MNT_OK;
    }
    if ((t->n + 1) * 2 > t->cap && table_grow(t)) return MNT_ERR_NOMEM;
    char *k = dup_str(key);
    if (!k) return MNT_ERR_NOMEM;
    size_t i = hash(key) & (t->cap - 1);
    while (t->keys[i]) i = (i + 1) & (t->cap - 1);
    t->keys[i] = k;
    t->vals[i] = val;
    t->n++;
    return MNT_OK;
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->cap; i++) free(t->keys[i]);
    free(t->keys);
    free(t->vals);
}

int mnt_manifest_new(mnt_manifest **out, mnt_diag *d)
{
    *out = calloc(1, sizeof **out);
    return *out ? MNT_OK : mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
}

static void record_free(record *r)
{
    free(r->output);
    for (size_t i = 0; i < r->nfiles; i++) free(r->names[i]);
    free(r->names);
    free(r->shas);
}

void mnt_manifest_free(mnt_manifest *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) record_free(&m->recs[i]);
    free(m->recs);
    table_free(&m->owned);
    table_free(&m->latest);
    free(m);
}

static int owned_key(char *key, size_t cap, const char *name, const char *sha)
{
    int n = snprintf(key, cap, "%s\x1f%s", name, sha);
    return n > 0 && (size_t)n < cap ? MNT_OK : MNT_ERR_ARG;
}

int mnt_manifest_add(mnt_manifest *m, const mnt_manifest_record *r, mnt_diag *d)
{
    if (r->nfiles > MNT_MANIFEST_MAX_FILES) return mnt_fail(d, MNT_ERR_ARG, "too many files in one record");
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        record *nr = realloc(m->recs, cap * sizeof *nr);
        if (!nr) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        m->recs = nr;
        m->cap = cap;
    }
    record *c = &m->recs[m->n];
    memset(c, 0, sizeof *c);
    c->output = dup_str(r->output);
    c->names = calloc(r->nfiles + 1, sizeof *c->names);
    c->shas = calloc(r->nfiles + 1, sizeof *c->shas);
    if (!c->output || !c->names || !c->shas) {
        record_free(c);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    memcpy(c->settings, r->settings_sha256, 65);
    memcpy(c->input, r->input_sha256, 65);
    char key[MNT_MANIFEST_NAME + 80];
    for (size_t i = 0; i < r->nfiles; i++) {
        c->names[i] = dup_str(r->files[i].name);
        if (!c->names[i]) {
            record_free(c);
            return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        }
        c->nfiles = i + 1;
        memcpy(c->shas[i], r->files[i].sha256, 65);
        if (owned_key(key, sizeof key, r->files[i].name, r->files[i].sha256) || table_put(&m->owned, key, 0)) {
            record_free(c);
            return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
        }
    }
    if (table_put(&m->latest, r->output, m->n)) {
        record_free(c);
        return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    }
    m->n++;
    return MNT_OK;
}

int mnt_manifest_owns(const mnt_manifest *m, const char *name, const char *sha256)
{
    char key[MNT_MANIFEST_NAME + 80];
    return !owned_key(key, sizeof key, name, sha256) && table_find(&m->owned, key) != NULL;
}

int mnt_manifest_latest(const mnt_manifest *m, const char *output, mnt_manifest_record *out)
{
    const size_t *v = table_find(&m->latest, output);
    if (!v) return 0;
    const record *c = &m->recs[*v];
    memset(out, 0, sizeof *out);
    snprintf(out->output, sizeof out->output, "%s", c->output);
    memcpy(out->settings_sha256, c->settings, 65);
    memcpy(out->input_sha256, c->input, 65);
    out->nfiles = c->nfiles;
    for (size_t i = 0; i < c->nfiles; i++) {
        snprintf(out->files[i].name, sizeof out->files[i].name, "%s", c->names[i]);
        memcpy(out->files[i].sha256, c->shas[i], 65);
    }
    return 1;
}

void mnt_manifest_format(const mnt_manifest_record *r, mnt_buf *line)
{
    mnt_buf_printf(line, "{\"output\": ");
    mnt_buf_json_string(line, r->output);
    mnt_buf_printf(line, ", \"settings_sha256\": \"%s\", \"input_sha256\": \"%s\", \"files\": [", r->settings_sha256,
                   r->input_sha256);
    for (size_t i = 0; i < r->nfiles; i++) {
        mnt_buf_printf(line, "%s{\"name\": ", i ? ", " : "");
        mnt_buf_json_string(line, r->files[i].name);
        mnt_buf_printf(line, ", \"sha256\": \"%s\"}", r->files[i].sha256);
    }
    mnt_buf_printf(line, "]}\n");
}

static int is_hex64(const char *s)
{
    if (!s || strlen(s) != 64) return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) return 0;
    return 1;
}

static int copy_field(char *dst, size_t cap, const mnt_json *v)
{
    if (!v || v->kind != MNT_JSON_STRING || strlen(v->str) >= cap) return -1;
    memcpy(dst, v->str, strlen(v->str) + 1);
    return 0;
}

/* One line into r; -1 when it is not a well-formed record. */
static int parse_line(const char *text, size_t len, mnt_manifest_record *r)
{
    mnt_json *j = NULL;
    mnt_diag d = {0};
    if (mnt_json_parse(text, len, &j, &d)) return -1;
    int bad = copy_field(r->output, sizeof r->output, mnt_json_get(j, "output")) ||
              copy_field(r->settings_sha256, 65, mnt_json_get(j, "settings_sha256")) ||
              copy_field(r->input_sha256, 65, mnt_json_get(j, "input_sha256"));
    const mnt_json *files = mnt_json_get(j, "files");
    if (!bad && (!files || files->kind != MNT_JSON_ARRAY || files->n > MNT_MANIFEST_MAX_FILES)) bad = 1;
    for (size_t i = 0; !bad && i < files->n; i++) {
        const mnt_json *f = &files->items[i];
        bad = copy_field(r->files[i].name, sizeof r->files[i].name, mnt_json_get(f, "name")) ||
              copy_field(r->files[i].sha256, 65, mnt_json_get(f, "sha256")) || !is_hex64(r->files[i].sha256);
    }
    if (!bad) r->nfiles = files->n;
    mnt_json_free(j);
    return bad ? -1 : 0;
}

int mnt_manifest_parse(mnt_manifest *m, const char *text, size_t len, size_t *skipped, mnt_diag *d)
{
    size_t bad = 0;
    mnt_manifest_record *r = malloc(sizeof *r);
    if (!r) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    int rc = MNT_OK;
    for (size_t pos = 0; pos < len && !rc;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (end > pos) {
            memset(r, 0, sizeof *r);
            /* a line without its newline was torn by a kill: never trust it */
            if (!nl || parse_line(text + pos, end - pos, r)) bad++;
            else rc = mnt_manifest_add(m, r, d);
        }
        pos = end + 1;
    }
    free(r);
    if (skipped) *skipped = bad;
    return rc;
}
