#include "mnt_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *mnt_strerror(int code)
{
    switch (code) {
    case MNT_OK: return "success";
    case MNT_ERR_NOMEM: return "out of memory";
    case MNT_ERR_ARG: return "invalid argument";
    case MNT_ERR_FORMAT: return "malformed input";
    case MNT_ERR_UNSUPPORTED: return "unsupported input";
    case MNT_ERR_LIMIT: return "input exceeds a size limit";
    case MNT_ERR_IO: return "input/output error";
    case MNT_ERR_NOTFOUND: return "no such file";
    case MNT_ERR_CREATE: return "cannot create output";
    case MNT_ERR_CONFIG: return "invalid configuration";
    case MNT_ERR_NUMERIC: return "numerical failure";
    case MNT_ERR_INTERRUPTED: return "interrupted";
    default: return "unknown error";
    }
}

int mnt_fail(mnt_diag *d, int code, const char *fmt, ...)
{
    if (d) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
        va_end(ap);
        d->code = code;
    }
    return code;
}

void mnt_warn(mnt_diag *d, const char *fmt, ...)
{
    if (d) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->warn, sizeof d->warn, fmt, ap);
        va_end(ap);
    }
}

void mnt_diag_clear(mnt_diag *d)
{
    if (d) memset(d, 0, sizeof *d);
}

const char *mnt_diag_message(const mnt_diag *d, int code)
{
    if (d && d->msg[0]) return d->msg;
    return mnt_strerror(code);
}
