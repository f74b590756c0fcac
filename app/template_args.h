/* Options every command that reads templates shares: --lenient, --xyt-frame,
 * --height, --ppi; and --width for the one that writes binary records (convert). */
#ifndef MNT_TEMPLATE_ARGS_H
#define MNT_TEMPLATE_ARGS_H

#include "cli.h"
#include "template_io.h"

enum { TA_LENIENT = 1000, TA_XYT_FRAME, TA_HEIGHT, TA_WIDTH, TA_PPI };

/* Reading templates: every command that reads them. */
#define TEMPLATE_READ_OPTIONS                        \
    {"lenient", 0, 0, TA_LENIENT},                   \
    {"xyt-frame", 0, 1, TA_XYT_FRAME},               \
    {"height", 0, 1, TA_HEIGHT},                     \
    {"ppi", 0, 1, TA_PPI}

#define TEMPLATE_READ_HELP                                                                \
    "  --lenient          accept recoverable faults (length off by trailing bytes,\n"     \
    "                     extension lengths counted without header) with a warning\n"     \
    "  --xyt-frame F      nist (default: bottom-left origin, angle opposite) or m1\n"     \
    "  --height H         image height (needed to read or write NIST-frame xyt)\n"        \
    "  --ppi R            resolution for formats that carry none (default 500)\n"

/* Writing binary records from xyt needs the width as well (convert). */
#define TEMPLATE_ARG_OPTIONS TEMPLATE_READ_OPTIONS, {"width", 0, 1, TA_WIDTH}
#define TEMPLATE_ARG_HELP                                                                 \
    TEMPLATE_READ_HELP                                                                    \
    "  --width W          image width (needed to write binary records from xyt)\n"

/* Applies option id to o; returns 1 if handled, 0 if not a template option,
 * -1 after a usage error. */
int template_arg_apply(int id, const char *arg, mnt_read_opts *o, const char *cmd);

#endif
