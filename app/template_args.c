#include "template_args.h"

#include <string.h>

int template_arg_apply(int id, const char *arg, mnt_read_opts *o, const char *cmd)
{
    long v;
    switch (id) {
    case TA_LENIENT: o->lenient = 1; return 1;
    case TA_XYT_FRAME:
        if (!strcmp(arg, "nist")) o->xyt_m1 = 0;
        else if (!strcmp(arg, "m1")) o->xyt_m1 = 1;
        else {
            cli_error(NULL, "%s: --xyt-frame expects 'nist' or 'm1', got '%s'", cmd, arg);
            return -1;
        }
        return 1;
    case TA_HEIGHT:
        if (!cli_int(cmd, "--height", arg, 1, 16383, &v)) return -1;
        o->height = (int)v;
        return 1;
    case TA_WIDTH:
        if (!cli_int(cmd, "--width", arg, 1, 16383, &v)) return -1;
        o->width = (int)v;
        return 1;
    case TA_PPI:
        if (!cli_double(cmd, "--ppi", arg, 100, 10000, &o->ppi)) return -1;
        return 1;
    default: return 0;
    }
}
