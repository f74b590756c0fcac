/* minutiae convert IN OUT: read any supported template, write another format; or read
 * any supported image (PNG, PGM, WSQ, TIFF, JPEG, JPEG 2000) and write it as PNG, PGM
 * or WSQ. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "file_io.h"
#include "image_io.h"
#include "pgm_io.h"
#include "png_io.h"
#include "wsq.h"
#include "template_args.h"

static const char *HELP =
    "usage: minutiae convert [OPTIONS] IN OUT\n\n"
    "Reads IN (format detected from content) and writes OUT. The output format comes\n"
    "from --to, else from OUT's extension (.iso .ist .ansi .iso2011 .xyt .json;\n"
    ".m1.xyt means xyt-m1). Binary records hold integer pixels: fractional positions\n"
    "round to the nearest pixel; more than 255 minutiae keeps the 255 of highest quality.\n"
    "An image IN (PNG, PGM, WSQ, TIFF, JPEG or JPEG 2000, by content) is decoded and\n"
    "written to OUT as 8-bit\n"
    "grey PNG (.png, resolution kept or --ppi), PGM (.pgm) or FBI WSQ (.wsq, --bitrate).\n\n"
    "options:\n"
    "  --to FMT           iso | ansi | iso2011 | xyt | xyt-m1 | json\n"
    "  --view K           view of a multi-view record to write to xyt/json (default 0)\n"
    "  --cbeff OWNER:TYPE ANSI CBEFF product identifier, hex (default 0100:0001)\n"
    "  --bitrate R        WSQ output: target bits per pixel (default 0.75, as cwsq)\n"
    TEMPLATE_ARG_HELP
    "  -h, --help         this help\n";

enum { OPT_TO = 1, OPT_VIEW, OPT_CBEFF, OPT_HELP, OPT_BITRATE };

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static mnt_format format_from_extension(const char *path)
{
    if (ends_with(path, ".m1.xyt")) return MNT_FMT_XYT_M1;
    if (ends_with(path, ".xyt")) return MNT_FMT_XYT;
    if (ends_with(path, ".iso2011")) return MNT_FMT_ISO2011;
    if (ends_with(path, ".iso") || ends_with(path, ".ist")) return MNT_FMT_ISO2005;
    if (ends_with(path, ".ansi")) return MNT_FMT_ANSI378;
    if (ends_with(path, ".json")) return MNT_FMT_JSON;
    return MNT_FMT_UNKNOWN;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* 1 when the file starts like an image this build decodes (content, not name). */
static int looks_like_image(const char *path)
{
    uint8_t head[16]; /* the JPEG 2000 signature box is 12 bytes */
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return mnt_image_sniff(head, n);
}

static int write_wsq(const char *out, const mnt_image *im, double bitrate, mnt_diag *d)
{
    mnt_buf b = {0};
    int rc = mnt_wsq_encode(im, bitrate, &b, d);
    if (!rc) rc = mnt_write_file_atomic(out, b.data, b.len, d);
    mnt_buf_free(&b);
    return rc;
}

static int convert_image(const char *in, const char *out, int to_given, double bitrate, double ppi)
{
    if (to_given) {
        cli_error(in, "is an image; --to names template formats (write OUT as .png or .pgm)");
        return EXIT_USAGE;
    }
    int wsq = ends_with(out, ".wsq");
    if (!ends_with(out, ".png") && !ends_with(out, ".pgm") && !wsq) {
        cli_error(out, "an image converts to .png, .pgm or .wsq; give OUT one of those extensions");
        return EXIT_USAGE;
    }
    if (bitrate > 0 && !wsq) {
        cli_error(out, "--bitrate applies to .wsq output only");
        return EXIT_USAGE;
    }
    if (same_file(in, out)) {
        cli_error(out, "refusing to overwrite the input");
        return EXIT_USAGE;
    }
    mnt_diag d = {0};
    mnt_image im;
    int rc = mnt_image_read(in, 0, &im, &d);
    if (rc) return cli_report(in, rc, &d);
    if (d.warn[0]) cli_error(in, "warning: %s", d.warn);
    if (ppi > 0) im.ppi = ppi; /* --ppi: the resolution to record */
    mnt_diag wd = {0};
    rc = wsq ? write_wsq(out, &im, bitrate > 0 ? bitrate : 0.75, &wd) : mnt_image_write(out, &im, &wd);
    mnt_image_free(&im);
    if (rc) return cli_report(out, rc, &wd);
    return EXIT_OK;
}

int cmd_convert(int argc, char **argv)
{
    static const cli_option opts[] = {{"to", 0, 1, OPT_TO}, {"view", 0, 1, OPT_VIEW}, {"cbeff", 0, 1, OPT_CBEFF},
                                      {"help", 'h', 0, OPT_HELP}, {"bitrate", 0, 1, OPT_BITRATE},
                                      TEMPLATE_ARG_OPTIONS, {0}};
    cli_parser p = {argc, argv, 0, 0, NULL};
    mnt_read_opts ro = {0};
    mnt_write_opts wo = {0};
    mnt_format to = MNT_FMT_UNKNOWN;
    long view = 0;
    double bitrate = 0;
    const char *pos[2] = {0};
    int npos = 0, id;
    while ((id = cli_next(&p, opts, "convert")) != -1) {
        if (id == -2) return EXIT_USAGE;
        if (id == 0) {
            if (npos == 2) {
                cli_error(NULL, "convert: expects exactly IN and OUT");
                return EXIT_USAGE;
            }
            pos[npos++] = p.arg;
        } else if (id == OPT_HELP) {
            fputs(HELP, stdout);
            return EXIT_OK;
        } else if (id == OPT_TO) {
            to = mnt_format_from_name(p.arg);
            if (to == MNT_FMT_UNKNOWN || to == MNT_FMT_FINGERNET) {
                cli_error(NULL, "convert: --to expects iso, ansi, iso2011, xyt, xyt-m1 or json, got '%s'", p.arg);
                return EXIT_USAGE;
            }
        } else if (id == OPT_VIEW) {
            if (!cli_int("convert", "--view", p.arg, 0, 254, &view)) return EXIT_USAGE;
        } else if (id == OPT_BITRATE) {
            if (!cli_double("convert", "--bitrate", p.arg, 0.05, 8, &bitrate)) return EXIT_USAGE;
        } else if (id == OPT_CBEFF) {
            unsigned owner, type;
            char tail;
            if (sscanf(p.arg, "%x:%x%c", &owner, &type, &tail) != 2 || owner == 0 || owner > 0xFFFF || type > 0xFFFF) {
                cli_error(NULL, "convert: --cbeff expects OWNER:TYPE in hex with a non-zero owner, got '%s'", p.arg);
                return EXIT_USAGE;
            }
            wo.cbeff = owner << 16 | type;
        } else if (template_arg_apply(id, p.arg, &ro, "convert") < 0) {
            return EXIT_USAGE;
        }
    }
    if (npos != 2) {
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    const char *in = pos[0], *out = pos[1];
    if (looks_like_image(in)) return convert_image(in, out, to != MNT_FMT_UNKNOWN, bitrate, ro.ppi);
    if (to == MNT_FMT_UNKNOWN && (ends_with(out, ".png") || ends_with(out, ".pgm") || ends_with(out, ".wsq"))) {
        /* an image was asked for: say what IN is not */
        mnt_diag d = {0};
        mnt_image im;
        int rc = mnt_image_read(in, 0, &im, &d);
        if (!rc) mnt_image_free(&im);
        return rc ? cli_report(in, rc, &d) : EXIT_USAGE;
    }
    if (to == MNT_FMT_UNKNOWN) to = format_from_extension(out);
    if (to == MNT_FMT_UNKNOWN) {
        cli_error(out, "cannot tell the output format from the extension; give --to");
        return EXIT_USAGE;
    }
    if (strcmp(in, "-") && same_file(in, out)) {
        cli_error(out, "refusing to overwrite the input");
        return EXIT_USAGE;
    }
    mnt_diag d = {0};
    mnt_template t;
    mnt_format from;
    int rc = mnt_template_read_file(in, &ro, &from, &t, &d);
    if (rc) return cli_report(in, rc, &d);
    if (d.warn[0]) cli_error(in, "warning: %s", d.warn);
    /* formats without their own resolution default to 500 ppi in binary output */
    if (!t.xres) t.xres = t.yres = mnt_ppi_to_ppcm(ro.ppi > 0 ? ro.ppi : 500);

    mnt_template one;
    const mnt_template *src = &t;
    int single = to == MNT_FMT_XYT || to == MNT_FMT_XYT_M1 || to == MNT_FMT_JSON;
    if (single) {
        if ((size_t)view >= t.nviews) {
            cli_error(in, "has %zu view(s); --view %ld does not exist", t.nviews, view);
            mnt_template_free(&t);
            return EXIT_USAGE;
        }
        if (t.nviews > 1)
            cli_error(in, "warning: record has %zu views; %s holds one, writing view %ld (--view)", t.nviews,
                      mnt_format_name(to), view);
        rc = mnt_template_copy_view(&t, (size_t)view, &one);
        if (rc) {
            mnt_template_free(&t);
            return cli_report(in, rc, NULL);
        }
        src = &one;
    }
    mnt_diag wd = {0};
    rc = mnt_template_write_file(out, src, to, &wo, &wd);
    if (single) mnt_template_free(&one);
    mnt_template_free(&t);
    if (rc) return cli_report(out, rc, &wd);
    return EXIT_OK;
}
