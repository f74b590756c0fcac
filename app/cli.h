/* Command-line plumbing shared by the subcommands: exit codes, error lines,
 * a small long/short option parser. */
#ifndef MNT_CLI_H
#define MNT_CLI_H

#include <stddef.h>

#include "mnt_error.h"

enum {
    EXIT_OK = 0,
    EXIT_USAGE = 64,
    EXIT_DATAERR = 65,
    EXIT_NOINPUT = 66,
    EXIT_CANTCREAT = 73,
    EXIT_IOERR = 74,
    EXIT_TEMPFAIL = 75,
    EXIT_CONFIG = 78
};

/* Library status -> process exit code. */
int cli_exit_code(int status);
/* "minutiae: FILE: message" on stderr. */
void cli_error(const char *file, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Reports a failed library call (message from d) and returns its exit code. */
int cli_report(const char *file, int status, const mnt_diag *d);

typedef struct {
    const char *name;  /* long name without "--" */
    char short_name;   /* 0 when none */
    int has_arg;
    int id;
} cli_option;

typedef struct {
    int argc;
    char **argv;
    int i;
    int only_positional;
    const char *arg;   /* argument of the option just returned */
} cli_parser;

/* Returns an option id, 0 for a positional argument (in p->arg), -1 at the end,
 * -2 after printing a usage error. */
int cli_next(cli_parser *p, const cli_option *opts, const char *cmd);

/* Strict numeric option values; print a usage error and return 0 on failure. */
int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);
int cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);

#endif
