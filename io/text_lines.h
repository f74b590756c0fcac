/* Line and token splitting for the text template formats. */
#ifndef MNT_TEXT_LINES_H
#define MNT_TEXT_LINES_H

#include <stddef.h>

enum { MNT_MAX_TOKENS = 16 };

typedef struct {
    const char *text;
    size_t len, pos;
    size_t lineno;
    char line[1024];
} mnt_lines;

/* Next line (without its newline) in it->line; 0 at the end, -1 when a line is too long. */
int mnt_lines_next(mnt_lines *it);
/* Splits s in place on blanks; returns the number of tokens (at most max). */
int mnt_split_tokens(char *s, char **tok, int max);
/* Strict integer / finite number parses of a whole token. */
int mnt_parse_long(const char *s, long *out);
int mnt_parse_double(const char *s, double *out);
/* 1 when the buffer holds no NUL and no control bytes other than blanks. */
int mnt_is_text(const char *s, size_t len);

#endif
