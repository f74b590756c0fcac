#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_exit_code(int status)
{
    switch (status) {
    case MNT_OK: return EXIT_OK;
    case MNT_ERR_ARG: return EXIT_USAGE;
    case MNT_ERR_FORMAT:
    case MNT_ERR_UNSUPPORTED:
    case MNT_ERR_LIMIT: return EXIT_DATAERR;
    case MNT_ERR_NOTFOUND: return EXIT_NOINPUT;
    case MNT_ERR_CREATE: return EXIT_CANTCREAT;
    case MNT_ERR_CONFIG: return EXIT_CONFIG;
    default: return EXIT_IOERR;
    }
}

void cli_error(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("minutiae: ", stderr);
    if (file) fprintf(stderr, "%s: ", file);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_report(const char *file, int status, const mnt_diag *d)
{
    cli_error(file, "%s", mnt_diag_message(d, status));
    return cli_exit_code(status);
}

int cli_next(cli_parser *p, const cli_option *opts, const char *cmd)
{
    p->arg = NULL;
    if (p->i >= p->argc) return -1;
    char *a = p->argv[p->i++];
    if (p->only_positional || a[0] != '-' || a[1] == 0) {
        p->arg = a;
        return 0;
    }
    if (!strcmp(a, "--")) {
        p->only_positional = 1;
        return cli_next(p, opts, cmd);
    }
    const cli_option *o = NULL;
    const char *inline_val = NULL;
    if (a[1] == '-') {
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        for (const cli_option *k = opts; k->name; k++)
            if (strlen(k->name) == n && !strncmp(k->name, name, n)) o = k;
        if (eq) inline_val = eq + 1;
    } else {
        for (const cli_option *k = opts; k->name; k++)
            if (k->short_name && k->short_name == a[1]) o = k;
        if (o && a[2]) inline_val = a + 2;
    }
    if (!o) {
        cli_error(NULL, "%s: unknown option '%s' (see 'minutiae %s --help')", cmd, a, cmd);
        return -2;
    }
    if (o->has_arg) {
        if (inline_val) p->arg = inline_val;
        else if (p->i < p->argc) p->arg = p->argv[p->i++];
        else {
            cli_error(NULL, "%s: option '%s' needs a value", cmd, a);
            return -2;
        }
    } else if (inline_val) {
        cli_error(NULL, "%s: option '%s' takes no value", cmd, a);
        return -2;
    }
    return o->id;
}

int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        cli_error(NULL, "%s: %s expects an integer in %ld..%ld, got '%s'", cmd, opt, lo, hi, s);
        return 0;
    }
    *out = v;
    return 1;
}

int cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi) {
        cli_error(NULL, "%s: %s expects a number in %g..%g, got '%s'", cmd, opt, lo, hi, s);
        return 0;
    }
    *out = v;
    return 1;
}
