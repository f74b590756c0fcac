/* minutiae inspect FILE...: detect the format, validate, print header and minutiae. */
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "commands.h"
#include "template_args.h"

static const char *HELP =
    "usage: minutiae inspect [OPTIONS] FILE...\n\n"
    "Detects each file's template format from its content, validates it strictly and\n"
    "prints its header and minutiae. Exit 65 (with the reason) when a file is invalid.\n\n"
    "options:\n"
    "  --json             print JSON instead of text (an array when several files)\n"
    TEMPLATE_READ_HELP
    "  -h, --help         this help\n";

enum { OPT_JSON = 1, OPT_HELP };

static void print_text(const char *file, mnt_format fmt, const mnt_template *t)
{
    printf("%s: %s, %dx%d px", file, mnt_format_name(fmt), t->width, t->height);
    if (t->xres) printf(", %dx%d px/cm (%.0f ppi)", t->xres, t->yres, mnt_template_ppi(t));
    if (fmt == MNT_FMT_ANSI378) printf(", CBEFF %04X:%04X", (unsigned)(t->cbeff >> 16), (unsigned)(t->cbeff & 0xFFFF));
    printf(", %zu view%s\n", t->nviews, t->nviews == 1 ? "" : "s");
    for (size_t i = 0; i < t->nviews; i++) {
        const mnt_view *v = &t->views[i];
        printf("  view %zu: finger %d, view number %d, impression %d, quality %d, %zu minutiae\n", i, v->position,
               v->view, v->impression, v->quality, v->n);
        if (v->n) printf("    %4s %8s %8s %7s  %-11s %s\n", "#", "x", "y", "angle", "type", "quality");
        for (size_t k = 0; k < v->n; k++) {
            const mnt_minutia *m = &v->m[k];
            printf("    %4zu %8.2f %8.2f %7.2f  %-11s %d%s\n", k, m->x, m->y, m->angle, mnt_type_name(m->type),
                   m->quality, m->hidden ? "  (hidden)" : "");
        }
    }
}

static void print_json(mnt_buf *b, const char *file, mnt_format fmt, const mnt_template *t, const mnt_diag *d)
{
    mnt_buf_printf(b, "{\"file\": ");
    mnt_buf_json_string(b, file);
    mnt_buf_printf(b, ", \"valid\": true, \"format\": ");
    mnt_buf_json_string(b, mnt_format_name(fmt));
    if (d->warn[0]) {
        mnt_buf_printf(b, ", \"warning\": ");
        mnt_buf_json_string(b, d->warn);
    }
    mnt_buf_printf(b, ", \"width\": %d, \"height\": %d, \"xres\": %d, \"yres\": %d, \"views\": [", t->width,
                   t->height, t->xres, t->yres);
    for (size_t i = 0; i < t->nviews; i++) {
        const mnt_view *v = &t->views[i];
        mnt_buf_printf(b, "%s{\"position\": %d, \"view\": %d, \"impression\": %d, \"quality\": %d, \"minutiae\": [",
                       i ? ", " : "", v->position, v->view, v->impression, v->quality);
        for (size_t k = 0; k < v->n; k++) {
            const mnt_minutia *m = &v->m[k];
            mnt_buf_printf(b, "%s{\"x\": %.2f, \"y\": %.2f, \"angle\": %.3f, \"type\": \"%s\", \"quality\": %d%s}",
                           k ? ", " : "", m->x, m->y, m->angle, mnt_type_name(m->type), m->quality,
                           m->hidden ? ", \"hidden\": true" : "");
        }
        mnt_buf_printf(b, "]}");
    }
    mnt_buf_printf(b, "]}");
}

int cmd_inspect(int argc, char **argv)
{
    static const cli_option opts[] = {{"json", 0, 0, OPT_JSON}, {"help", 'h', 0, OPT_HELP}, TEMPLATE_READ_OPTIONS, {0}};
    cli_parser p = {argc, argv, 0, 0, NULL};
    mnt_read_opts ro = {0};
    int json = 0, id, nfiles = 0;
    const char *files[4096];
    while ((id = cli_next(&p, opts, "inspect")) != -1) {
        if (id == -2) return EXIT_USAGE;
        if (id == 0) {
            if (nfiles == (int)(sizeof files / sizeof *files)) {
                cli_error(NULL, "inspect: too many files (at most %zu)", sizeof files / sizeof *files);
                return EXIT_USAGE;
            }
            files[nfiles++] = p.arg;
        } else if (id == OPT_JSON) json = 1;
        else if (id == OPT_HELP) { fputs(HELP, stdout); return EXIT_OK; }
        else if (template_arg_apply(id, p.arg, &ro, "inspect") < 0) return EXIT_USAGE;
    }
    if (!nfiles) {
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    int worst = EXIT_OK;
    mnt_buf out = {0};
    if (json && nfiles > 1) mnt_buf_printf(&out, "[");
    for (int i = 0; i < nfiles; i++) {
        mnt_diag d = {0};
        mnt_template t;
        mnt_format fmt = MNT_FMT_UNKNOWN;
        int rc = mnt_template_read_file(files[i], &ro, &fmt, &t, &d);
        if (json && i) mnt_buf_printf(&out, ",\n");
        if (rc) {
            int code = cli_report(files[i], rc, &d);
            if (worst == EXIT_OK || code == EXIT_NOINPUT) worst = code;
            if (json) {
                mnt_buf_printf(&out, "{\"file\": ");
                mnt_buf_json_string(&out, files[i]);
                mnt_buf_printf(&out, ", \"valid\": false, \"error\": ");
                mnt_buf_json_string(&out, mnt_diag_message(&d, rc));
                mnt_buf_printf(&out, "}");
            }
            continue;
        }
        if (d.warn[0]) cli_error(files[i], "warning: %s", d.warn);
        if (json) print_json(&out, files[i], fmt, &t, &d);
        else print_text(files[i], fmt, &t);
        mnt_template_free(&t);
    }
    if (json) {
        if (nfiles > 1) mnt_buf_printf(&out, "]");
        mnt_buf_printf(&out, "\n");
        fwrite(out.data, 1, out.len, stdout);
    }
    mnt_buf_free(&out);
    return worst;
}
