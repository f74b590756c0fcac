/* One error enum for the whole library, and a diagnostic record that carries
 * the one-line message written where the error was found. */
#ifndef MNT_ERROR_H
#define MNT_ERROR_H

#include <stddef.h>

typedef enum {
    MNT_OK = 0,
    MNT_ERR_NOMEM = -1,       /* allocation failed */
    MNT_ERR_ARG = -2,         /* caller passed an invalid argument */
    MNT_ERR_FORMAT = -3,      /* input is malformed or fails validation */
    MNT_ERR_UNSUPPORTED = -4, /* valid input of a kind this build does not implement */
    MNT_ERR_LIMIT = -5,       /* input exceeds a size limit */
    MNT_ERR_IO = -6,          /* read or write failed */
    MNT_ERR_NOTFOUND = -7,    /* input file does not exist */
    MNT_ERR_CREATE = -8,      /* output cannot be created */
    MNT_ERR_CONFIG = -9,      /* configuration value invalid */
    MNT_ERR_NUMERIC = -10,    /* NaN, divergence or other numerical failure */
    MNT_ERR_INTERRUPTED = -11 /* stopped on request */
} mnt_status;

/* Diagnostic record: functions that can fail on untrusted input take one (it may be
 * NULL) and write the reason once, where the fault is detected. */
typedef struct {
    int code;
    char msg[320];
    char warn[320]; /* last non-fatal warning (lenient reads) */
} mnt_diag;

const char *mnt_strerror(int code);

/* Records code and message in d (if not NULL) and returns code, so a failing
 * check reads: return mnt_fail(d, MNT_ERR_FORMAT, "bad %s", what); */
int mnt_fail(mnt_diag *d, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records a warning (lenient mode) without failing. */
void mnt_warn(mnt_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void mnt_diag_clear(mnt_diag *d);

/* Message of d, or the generic text of code when nothing was recorded. */
const char *mnt_diag_message(const mnt_diag *d, int code);

#endif
