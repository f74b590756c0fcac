/* minutiae inspect FILE...: detect the format, validate, print header and minutiae. */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "an2k.h"
#include "bytes.h"
#include "file_io.h"
#include "image_io.h"
#include "commands.h"
#include "template_args.h"

static const char *HELP =
    "usage: minutiae inspect [OPTIONS] FILE...\n\n"
    "Detects each file's template format from its content, validates it strictly and\n"
    "prints its header and minutiae. Exit 65 (with the reason) when a file is invalid.\n"
    "An ANSI/NIST-ITL transaction lists its records (type, IDC, size, compression,\n"
    "resolution) and then the minutiae of its Type-9 records, if any.\n\n"
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

/* Lists the records of an ANSI/NIST-ITL transaction. Returns 1 when path is one (then
 * *has9 says whether it has Type-9 records), 0 when it is something else, or an error
 * code (negative) with d filled. */
static int inspect_transaction(const char *path, int json, mnt_buf *out, int *has9, mnt_diag *d)
{
    uint8_t head[6];
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t hn = fread(head, 1, sizeof head, f);
    fclose(f);
    if (hn != 6 || memcmp(head, "1.001:", 6) != 0) return 0;
    uint8_t *data;
    size_t len;
    int rc = mnt_read_file(path, MNT_MAX_IMAGE_FILE, &data, &len, d);
    if (rc) return rc;
    mnt_an2k t;
    if ((rc = mnt_an2k_parse(data, len, &t, d))) {
        free(data);
        return rc;
    }
    *has9 = 0;
    if (json) {
        mnt_buf_printf(out, "{\"file\": ");
        mnt_buf_json_string(out, path);
        mnt_buf_printf(out, ", \"valid\": true, \"format\": \"ANSI/NIST-ITL transaction\", \"version\": \"%s\", \"records\": [", t.version);
    } else printf("%s: ANSI/NIST-ITL transaction, version %s, %zu records\n", path, t.version, t.nrec);
    for (size_t k = 0; k < t.nrec; k++) {
        const mnt_an2k_record *r = &t.rec[k];
        *has9 |= r->type == 9;
        if (json) {
            mnt_buf_printf(out, "%s{\"record\": %zu, \"type\": %d, \"idc\": %d, \"offset\": %zu, \"bytes\": %zu", k ? ", " : "", k + 1,
                           r->type, r->idc, r->off, r->len);
            if (r->is_image)
                mnt_buf_printf(out, ", \"impression\": %d, \"width\": %d, \"height\": %d, \"compression\": \"%s\", \"ppi\": %.2f, \"image_bytes\": %zu",
                               r->imp, r->width, r->height, r->compression, r->ppi, r->img_len);
            mnt_buf_printf(out, "}");
        } else {
            printf("  record %zu: Type-%d", k + 1, r->type);
            if (r->idc >= 0) printf(", IDC %d", r->idc);
            printf(", %zu bytes at offset %zu", r->len, r->off);
            if (r->is_image)
                printf(", impression %d, %dx%d px, %s, %.2f ppi, %zu image bytes", r->imp, r->width, r->height, r->compression, r->ppi,
                       r->img_len);
            printf("\n");
        }
    }
    if (json) mnt_buf_printf(out, "]}");
    mnt_an2k_free(&t);
    free(data);
    return 1;
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
        if (json && i) mnt_buf_printf(&out, ",\n");
        int has9 = 0;
        int rc = inspect_transaction(files[i], json, &out, &has9, &d);
        if (rc == 1 && !has9) continue;
        if (rc == 1 && json) mnt_buf_printf(&out, ",\n");
        if (rc == 0 || rc == 1) rc = mnt_template_read_file(files[i], &ro, &fmt, &t, &d);
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
