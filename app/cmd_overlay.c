/* minutiae overlay IMAGE --minutiae FILE -o OUT.png: any template drawn over any image
 * the way extract draws its own, optionally with a second set to compare. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "image_io.h"
#include "overlay.h"
#include "template_args.h"

static const char *HELP =
    "usage: minutiae overlay [OPTIONS] IMAGE --minutiae FILE -o OUT.png\n\n"
    "Draws the minutiae of FILE (any template: ISO 19794-2 2005 or 2011, ANSI 378, NIST\n"
    "xyt, JSON, FingerNet; format from content, as inspect) over IMAGE (by content:\n"
    MNT_IMAGE_FORMATS ") the way extract draws NAME.overlay.png: the\n"
    "image unaltered, marks numbered by their row in FILE (from 0), circle = ending,\n"
    "square = bifurcation, triangle = other, a tail along the direction, the score as line\n"
    "width; title, legend and a 1 mm scale bar in a margin beside the image. --compare\n"
    "draws a second set (an examiner's marks, say) as larger black shapes and counts the\n"
    "one-to-one pairs within 15 px (at 500 ppi) and 30 degrees. A template made for\n"
    "another image size is refused; minutiae outside the image are reported and not\n"
    "drawn. A NIST-frame xyt is read with the image's height unless --height says\n"
    "otherwise.\n\n"
    "options:\n"
    "  --minutiae FILE    the minutiae to draw (required)\n"
    "  -o, --output OUT   the PNG to write (atomically; never over an input)\n"
    "  --compare FILE     a second set drawn large and black, with the pair count\n"
    "  --view K           view of a multi-view record, for both sets (default 0)\n"
    "  --threshold T      minutiae scoring below T (score, else quality/100) drawn faint\n"
    "  --hide             with --threshold: leave those out instead\n"
    "  --scores           print the score after each number (\"7 .74\")\n"
    "  --mask FILE        region of interest to outline (an image of IMAGE's size, white\n"
    "                     inside)\n"
    "  --title TEXT       a heading above the file name (case, examiner, date)\n"
    "  --label TEXT       what FILE's minutiae are, in the legend (default: its name)\n"
    "  --compare-label TEXT  the same for --compare\n"
    "  -q, --quiet        no summary line on standard output\n"
    TEMPLATE_READ_HELP
    "                     (--ppi also sets the image's resolution: sizes, scale bar)\n"
    "  -h, --help         this help\n";

enum { OPT_MINUTIAE = 1, OPT_OUT, OPT_COMPARE, OPT_VIEW, OPT_THRESHOLD, OPT_HIDE, OPT_SCORES, OPT_MASK, OPT_TITLE,
       OPT_LABEL, OPT_CMP_LABEL, OPT_QUIET, OPT_HELP };

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Reads one template for an image of w x h; refuses another size, warns about
 * minutiae outside. Returns an exit code. */
static int read_marks(const char *path, const mnt_read_opts *ro, long view, int w, int h, mnt_template *t,
                      mnt_format *fmt)
{
    mnt_diag d = {0};
    mnt_read_opts o = *ro;
    int explicit_height = o.height > 0;
    if (!explicit_height) o.height = h; /* a NIST-frame xyt counts y from the image's bottom */
    int rc = mnt_template_read_file(path, &o, fmt, t, &d);
    if (rc) return cli_report(path, rc, &d);
    if (d.warn[0]) cli_error(path, "warning: %s", d.warn);
    if ((size_t)view >= t->nviews) {
        cli_error(path, "has %zu view(s); --view %ld does not exist", t->nviews, view);
        mnt_template_free(t);
        return EXIT_USAGE;
    }
    const mnt_view *v = &t->views[view];
    int tw = v->width > 0 ? v->width : t->width, th = v->height > 0 ? v->height : t->height;
    if ((tw > 0 && tw != w) || (th > 0 && th != h)) {
        int xyt = *fmt == MNT_FMT_XYT || *fmt == MNT_FMT_XYT_M1;
        cli_error(path, "made for a %dx%d image%s but the image is %dx%d: not drawn (another image, or resampled?)", tw, th,
                  xyt && explicit_height ? " (--height)" : "", w, h);
        mnt_template_free(t);
        return EXIT_DATAERR;
    }
    size_t outside = 0;
    char rows[200] = "";
    for (size_t i = 0; i < v->n; i++) {
        const mnt_minutia *m = &v->m[i];
        if (m->x >= -0.5 && m->x < w - 0.5 && m->y >= -0.5 && m->y < h - 0.5) continue;
        if (outside < 12) {
            size_t l = strlen(rows);
            snprintf(rows + l, sizeof rows - l, "%s%zu", outside ? ", " : "", i);
        } else if (outside == 12) {
            size_t l = strlen(rows);
            snprintf(rows + l, sizeof rows - l, ", ...");
        }
        outside++;
    }
    if (outside)
        cli_error(path, "warning: %zu minutia%s outside the %dx%d image, not drawn (rows %s)", outside,
                  outside == 1 ? "" : "e", w, h, rows);
    return EXIT_OK;
}

int cmd_overlay(int argc, char **argv)
{
    static const cli_option opts[] = {{"minutiae", 0, 1, OPT_MINUTIAE}, {"output", 'o', 1, OPT_OUT},
                                      {"compare", 0, 1, OPT_COMPARE},   {"view", 0, 1, OPT_VIEW},
                                      {"threshold", 0, 1, OPT_THRESHOLD}, {"hide", 0, 0, OPT_HIDE},
                                      {"scores", 0, 0, OPT_SCORES},     {"mask", 0, 1, OPT_MASK},
                                      {"title", 0, 1, OPT_TITLE},       {"label", 0, 1, OPT_LABEL},
                                      {"compare-label", 0, 1, OPT_CMP_LABEL}, {"quiet", 'q', 0, OPT_QUIET},
                                      {"help", 'h', 0, OPT_HELP},
                                      TEMPLATE_READ_OPTIONS,            {0}};
    cli_parser p = {argc, argv, 0, 0, NULL};
    mnt_read_opts ro = {0};
    const char *image = NULL, *marks = NULL, *out = NULL, *compare = NULL, *mask = NULL, *title = NULL, *label = NULL,
               *cmp_label = NULL;
    double threshold = 0;
    long view = 0;
    int hide = 0, scores = 0, quiet = 0, id;
    while ((id = cli_next(&p, opts, "overlay")) != -1) {
        if (id == -2) return EXIT_USAGE;
        if (id == 0) {
            if (image) {
                cli_error(NULL, "overlay: expects one IMAGE (got '%s' and '%s')", image, p.arg);
                return EXIT_USAGE;
            }
            image = p.arg;
        } else if (id == OPT_HELP) {
            fputs(HELP, stdout);
            return EXIT_OK;
        } else if (id == OPT_MINUTIAE) marks = p.arg;
        else if (id == OPT_OUT) out = p.arg;
        else if (id == OPT_COMPARE) compare = p.arg;
        else if (id == OPT_MASK) mask = p.arg;
        else if (id == OPT_TITLE) title = p.arg;
        else if (id == OPT_LABEL) label = p.arg;
        else if (id == OPT_CMP_LABEL) cmp_label = p.arg;
        else if (id == OPT_HIDE) hide = 1;
        else if (id == OPT_SCORES) scores = 1;
        else if (id == OPT_QUIET) quiet = 1;
        else if (id == OPT_VIEW) {
            if (!cli_int("overlay", "--view", p.arg, 0, 254, &view)) return EXIT_USAGE;
        } else if (id == OPT_THRESHOLD) {
            if (!cli_double("overlay", "--threshold", p.arg, 0, 1, &threshold)) return EXIT_USAGE;
        } else if (template_arg_apply(id, p.arg, &ro, "overlay") < 0) {
            return EXIT_USAGE;
        }
    }
    if (!image || !marks || !out) {
        if (image || marks || out) cli_error(NULL, "overlay: needs IMAGE, --minutiae FILE and -o OUT.png");
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    if (hide && !(threshold > 0)) {
        cli_error(NULL, "overlay: --hide needs --threshold T");
        return EXIT_USAGE;
    }
    const char *inputs[] = {image, marks, compare, mask};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        if (same_file(inputs[i], out)) {
            cli_error(out, "refusing to overwrite the input %s", inputs[i]);
            return EXIT_USAGE;
        }

    mnt_diag d = {0};
    mnt_image im = {0}, mk = {0};
    mnt_template t = {0}, c = {0};
    uint8_t *region = NULL;
    int have_t = 0, have_c = 0, code = EXIT_OK, rc;
    if ((rc = mnt_image_read(image, (size_t)MNT_MAX_DIM * MNT_MAX_DIM, &im, &d))) {
        code = cli_report(image, rc, &d);
        goto done;
    }
    mnt_format fmt = MNT_FMT_UNKNOWN, cfmt = MNT_FMT_UNKNOWN;
    if ((code = read_marks(marks, &ro, view, im.width, im.height, &t, &fmt))) goto done;
    have_t = 1;
    if (compare) {
        if ((code = read_marks(compare, &ro, view, im.width, im.height, &c, &cfmt))) goto done;
        have_c = 1;
    }
    if (mask) {
        if ((rc = mnt_image_read(mask, (size_t)MNT_MAX_DIM * MNT_MAX_DIM, &mk, &d))) {
            code = cli_report(mask, rc, &d);
            goto done;
        }
        if (mk.width != im.width || mk.height != im.height) {
            cli_error(mask, "mask is %dx%d but the image is %dx%d", mk.width, mk.height, im.width, im.height);
            code = EXIT_DATAERR;
            goto done;
        }
        size_t n = (size_t)im.width * im.height;
        if (!(region = malloc(n))) {
            code = cli_report(mask, MNT_ERR_NOMEM, NULL);
            goto done;
        }
        for (size_t i = 0; i < n; i++) region[i] = mk.px[i] > 0.5f;
    }
    /* resolution: --ppi, the image's, the template's, else 500 (said in the title) */
    double tppi = mnt_template_ppi(&t), ppi = ro.ppi > 0 ? ro.ppi : im.ppi > 0 ? im.ppi : tppi > 0 ? tppi : 500;
    int assumed = !(ro.ppi > 0) && !(im.ppi > 0) && !(tppi > 0);
    char mlabel[300], clabel[300];
    snprintf(mlabel, sizeof mlabel, "%s (%s)", base_name(marks), mnt_format_name(fmt));
    if (compare) snprintf(clabel, sizeof clabel, "%s (%s)", base_name(compare), mnt_format_name(cfmt));
    mnt_overlay_desc od = {.image = &im,
                           .marks = &t.views[view],
                           .region = region,
                           .threshold = threshold,
                           .hide_below = hide,
                           .show_scores = scores,
                           .ppi = ppi,
                           .ppi_assumed = assumed,
                           .heading = title,
                           .file_name = base_name(image),
                           .marks_label = label ? label : mlabel,
                           .compare = compare ? &c.views[view] : NULL,
                           .compare_label = cmp_label ? cmp_label : compare ? clabel : NULL};
    mnt_rgb_image ov;
    mnt_overlay_info info;
    if ((rc = mnt_overlay_draw(&od, &ov, &info, &d))) {
        code = cli_report(image, rc, &d);
        goto done;
    }
    mnt_diag wd = {0};
    rc = mnt_rgb_write_png(out, &ov, &wd);
    mnt_rgb_free(&ov);
    if (rc) code = cli_report(out, rc, &wd);
    else if (!quiet) {
        printf("%s: %zu minutiae drawn", out, info.drawn);
        if (info.faint) printf(", %zu faint", info.faint);
        if (info.not_drawn) printf(", %zu below %.2f left out", info.not_drawn, threshold);
        if (info.outside) printf(", %zu outside the image", info.outside);
        if (compare) {
            printf("; compare %zu", c.views[view].n);
            if (info.compare_outside) printf(" (%zu outside the image)", info.compare_outside);
            if (info.pairs >= 0) printf(", %ld pairs within %.0f px and 30 degrees", info.pairs, 15.0 * ppi / 500.0);
        }
        printf("\n");
    }
done:
    if (have_t) mnt_template_free(&t);
    if (have_c) mnt_template_free(&c);
    mnt_image_free(&im);
    mnt_image_free(&mk);
    free(region);
    return code;
}
