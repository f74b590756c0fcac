#include "text_lines.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int mnt_lines_next(mnt_lines *it)
{
    if (it->pos >= it->len) return 0;
    size_t start = it->pos;
    while (it->pos < it->len && it->text[it->pos] != '\n') it->pos++;
    size_t n = it->pos - start;
    if (it->pos < it->len) it->pos++;
    it->lineno++;
    if (n && it->text[start + n - 1] == '\r') n--;
    if (n >= sizeof it->line) return -1;
    memcpy(it->line, it->text + start, n);
    it->line[n] = 0;
    return 1;
}

int mnt_split_tokens(char *s, char **tok, int max)
{
    int n = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t') *s++ = 0;
        if (!*s) break;
        if (n == max) return max + 1;
        tok[n++] = s;
        while (*s && *s != ' ' && *s != '\t') s++;
    }
    return n;
}

int mnt_parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end) return 0;
    *out = v;
    return 1;
}

int mnt_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

int mnt_is_text(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return 0;
    }
    return 1;
}
