#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t len, pos;
    mnt_diag *d;
    size_t nodes;
} parser;

enum { MAX_NODES = 4000000 };

static int fail_at(parser *p, const char *what)
{
    /* report line:column, easier to find than a byte offset */
    size_t line = 1, col = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++) {
        if (p->s[i] == '\n') { line++; col = 1; } else col++;
    }
    return mnt_fail(p->d, MNT_ERR_FORMAT, "JSON: %s at line %zu column %zu", what, line, col);
}

static void ws(parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

static int parse_value(parser *p, mnt_json *out, int depth);

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void put_utf8(char *o, size_t *k, unsigned cp)
{
    if (cp < 0x80) o[(*k)++] = (char)cp;
    else if (cp < 0x800) { o[(*k)++] = (char)(0xC0 | cp >> 6); o[(*k)++] = (char)(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { o[(*k)++] = (char)(0xE0 | cp >> 12); o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[(*k)++] = (char)(0x80 | (cp & 0x3F)); }
    else { o[(*k)++] = (char)(0xF0 | cp >> 18); o[(*k)++] = (char)(0x80 | ((cp >> 12) & 0x3F)); o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[(*k)++] = (char)(0x80 | (cp & 0x3F)); }
}

static int parse_string(parser *p, char **out)
{
    p->pos++; /* opening quote */
    size_t start = p->pos;
    while (p->pos < p->len && p->s[p->pos] != '"') {
        if (p->s[p->pos] == '\\') p->pos++;
        p->pos++;
    }
    if (p->pos >= p->len) return fail_at(p, "unterminated string");
    size_t end = p->pos;
    char *o = malloc(end - start + 1);
    if (!o) return mnt_fail(p->d, MNT_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = start; i < end; i++) {
        unsigned char c = (unsigned char)p->s[i];
        if (c < 0x20) { free(o); p->pos = i; return fail_at(p, "control character in string"); }
        if (c != '\\') { o[k++] = (char)c; continue; }
        char e = p->s[++i];
        switch (e) {
        case '"': o[k++] = '"'; break;
        case '\\': o[k++] = '\\'; break;
        case '/': o[k++] = '/'; break;
        case 'b': o[k++] = '\b'; break;
        case 'f': o[k++] = '\f'; break;
        case 'n': o[k++] = '\n'; break;
        case 'r': o[k++] = '\r'; break;
        case 't': o[k++] = '\t'; break;
        case 'u': {
            if (end - i < 5) { free(o); p->pos = i; return fail_at(p, "bad \\u escape"); }
            unsigned cp = 0;
            for (int j = 1; j <= 4; j++) {
                int h = hexval(p->s[i + (size_t)j]);
                if (h < 0) { free(o); p->pos = i; return fail_at(p, "bad \\u escape"); }
                cp = cp << 4 | (unsigned)h;
            }
            i += 4;
            /* \u escapes of at most 3 UTF-8 bytes each fit in the 6 source bytes */
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* lone surrogates become U+FFFD */
            put_utf8(o, &k, cp);
            break;
        }
        default: free(o); p->pos = i; return fail_at(p, "bad escape");
        }
    }
    o[k] = 0;
    p->pos = end + 1;
    *out = o;
    return MNT_OK;
}

static int parse_number(parser *p, double *out)
{
    size_t i = p->pos;
    if (i < p->len && p->s[i] == '-') i++;
    if (i >= p->len || p->s[i] < '0' || p->s[i] > '9') return fail_at(p, "bad number");
    if (p->s[i] == '0') i++;
    else while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9') i++;
    if (i < p->len && p->s[i] == '.') {
        i++;
        if (i >= p->len || p->s[i] < '0' || p->s[i] > '9') return fail_at(p, "bad number");
        while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9') i++;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->len && (p->s[i] == '+' || p->s[i] == '-')) i++;
        if (i >= p->len || p->s[i] < '0' || p->s[i] > '9') return fail_at(p, "bad number");
        while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9') i++;
    }
    char tmp[64];
    size_t n = i - p->pos;
    if (n >= sizeof tmp) return fail_at(p, "number too long");
    memcpy(tmp, p->s + p->pos, n);
    tmp[n] = 0;
    double v = strtod(tmp, NULL);
    if (!isfinite(v)) return fail_at(p, "number out of range");
    *out = v;
    p->pos = i;
    return MNT_OK;
}

static int push(parser *p, mnt_json *parent, size_t *cap, mnt_json **slot)
{
    if (++p->nodes > MAX_NODES) return fail_at(p, "too many values");
    if (parent->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        mnt_json *ni = realloc(parent->items, nc * sizeof *ni);
        if (!ni) return mnt_fail(p->d, MNT_ERR_NOMEM, "out of memory");
        parent->items = ni;
        *cap = nc;
    }
    *slot = &parent->items[parent->n++];
    memset(*slot, 0, sizeof **slot);
    return MNT_OK;
}

static int parse_container(parser *p, mnt_json *out, int depth, int is_obj)
{
    out->kind = is_obj ? MNT_JSON_OBJECT : MNT_JSON_ARRAY;
    char close = is_obj ? '}' : ']';
    size_t cap = 0;
    p->pos++;
    ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) { p->pos++; return MNT_OK; }
    for (;;) {
        mnt_json *slot = NULL;
        int rc = push(p, out, &cap, &slot);
        if (rc) return rc;
        ws(p);
        if (is_obj) {
            if (p->pos >= p->len || p->s[p->pos] != '"') return fail_at(p, "expected member name");
            if ((rc = parse_string(p, &slot->key))) return rc;
            ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') return fail_at(p, "expected ':'");
            p->pos++;
        }
        if ((rc = parse_value(p, slot, depth + 1))) return rc;
        ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') { p->pos++; continue; }
        if (p->pos < p->len && p->s[p->pos] == close) { p->pos++; return MNT_OK; }
        return fail_at(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int literal(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0) return 0;
    p->pos += n;
    return 1;
}

static int parse_value(parser *p, mnt_json *out, int depth)
{
    if (depth > MNT_JSON_MAX_DEPTH) return fail_at(p, "nesting too deep");
    ws(p);
    if (p->pos >= p->len) return fail_at(p, "unexpected end of input");
    char c = p->s[p->pos];
    if (c == '{') return parse_container(p, out, depth, 1);
    if (c == '[') return parse_container(p, out, depth, 0);
    if (c == '"') { out->kind = MNT_JSON_STRING; return parse_string(p, &out->str); }
    if (c == '-' || (c >= '0' && c <= '9')) { out->kind = MNT_JSON_NUMBER; return parse_number(p, &out->num); }
    if (literal(p, "true")) { out->kind = MNT_JSON_BOOL; out->num = 1; return MNT_OK; }
    if (literal(p, "false")) { out->kind = MNT_JSON_BOOL; out->num = 0; return MNT_OK; }
    if (literal(p, "null")) { out->kind = MNT_JSON_NULL; return MNT_OK; }
    return fail_at(p, "unexpected character");
}

static void free_children(mnt_json *j)
{
    for (size_t i = 0; i < j->n; i++) {
        free_children(&j->items[i]);
        free(j->items[i].key);
        free(j->items[i].str);
    }
    free(j->items);
}

void mnt_json_free(mnt_json *j)
{
    if (!j) return;
    free_children(j);
    free(j->str);
    free(j->key);
    free(j);
}

int mnt_json_parse(const char *text, size_t len, mnt_json **out, mnt_diag *d)
{
    *out = NULL;
    parser p = {text, len, 0, d, 0};
    mnt_json *root = calloc(1, sizeof *root);
    if (!root) return mnt_fail(d, MNT_ERR_NOMEM, "out of memory");
    int rc = parse_value(&p, root, 0);
    if (!rc) {
        ws(&p);
        if (p.pos != p.len) rc = fail_at(&p, "trailing characters after the value");
    }
    if (rc) {
        mnt_json_free(root);
        return rc;
    }
    *out = root;
    return MNT_OK;
}

const mnt_json *mnt_json_get(const mnt_json *j, const char *key)
{
    if (!j || j->kind != MNT_JSON_OBJECT) return NULL;
    for (size_t i = 0; i < j->n; i++)
        if (j->items[i].key && strcmp(j->items[i].key, key) == 0) return &j->items[i];
    return NULL;
}
