/* minutiae extract: the main job, batch-ready. */
#include <cblas.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch_report.h"
#include "cli.h"
#include "commands.h"
#include "embedded_model.h"
#include "extract_job.h"
#include "file_io.h"
#include "fs_util.h"
#include "input_list.h"
#include "parallel.h"
#include "sha256.h"
#include "template_io.h"
#include "yaml_tree.h"

#ifndef MNT_VERSION
#define MNT_VERSION "0.0.0"
#endif

static const char *HELP =
    "usage: minutiae extract INPUTS... -o DIR [OPTIONS]\n\n"
    "Finds the minutiae of latent prints (PNG, PGM, TIFF, JPEG or JPEG 2000, by content;\n"
    "400..1200 ppi, resampled to the model's 500 ppi) with the group-sparse autoencoder,\n"
    "and writes per image NAME:\n"
    "NAME.iso (ISO/IEC 19794-2:2005), NAME.json and NAME.overlay.png, plus report.json,\n"
    "report.csv and index.html (a gallery) in DIR. INPUTS are files or folders; folder\n"
    "walks take .png .pgm .tif .tiff .jpg .jpeg .jp2 .j2k .j2c .wsq (any case) and skip\n"
    "*.mask.png, *.overlay.png and *.prob.png. A bad image is reported and\n"
    "skipped. Exit 0 when all succeeded, 65 when some inputs were bad, 74 when outputs\n"
    "could not be written.\n\n"
    "options:\n"
    "  -o DIR             output folder (created if missing)\n"
    "  --model FILE       model file (default: the embedded model)\n"
    "  --config FILE      YAML: detection.threshold, detection.nms_radius,\n"
    "                     detection.roi_margin, detection.quality_weight,\n"
    "                     detection.direction_weight, detection.region_threshold\n"
    "                     (0 = segmented region), limits.max_pixels\n"
    "  --threshold T      minutia probability threshold (0 keeps every peak)\n"
    "  -j N               images in parallel (default 1)\n"
    "  --formats LIST     also write: ansi, xyt, xyt-m1, iso2011, prob (comma list)\n"
    "  --mask FILE        the examiner's region for a single input (white = inside)\n"
    "  --mask-dir DIR     regions as DIR/NAME.mask.png\n"
    "  --ppi N            resolution of the inputs (default: the file's, else 500)\n"
    "  --mirror           mirror the image (tape and gel lifts)\n"
    "  --invert           light ridges on a dark surface\n"
    "  -r                 recurse into folders, mirroring them under DIR\n"
    "  --list FILE        read input paths from FILE, one per line\n"
    "  --resume           skip images whose outputs are complete\n"
    "  -q                 no progress\n"
    "  -h, --help         this help\n";

enum { OPT_OUT = 1, OPT_MODEL, OPT_CONFIG, OPT_THR, OPT_JOBS, OPT_FORMATS, OPT_MASK, OPT_MASKDIR, OPT_PPI, OPT_MIRROR, OPT_INVERT,
       OPT_REC, OPT_LIST, OPT_RESUME, OPT_QUIET, OPT_HELP };

typedef struct {
    extract_settings s;
    batch_entry *entries;
    char (*bases)[4200];
    size_t n;
    int resume, quiet, tty;
    pthread_mutex_t lock;
    size_t done;
    double t0;
} extract_ctx;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int outputs_complete(const extract_ctx *c, size_t i)
{
    char paths[8][4200];
    size_t k = extract_output_paths(c->s.formats, c->bases[i], paths, 8);
    for (size_t q = 0; q < k; q++)
        if (!file_exists(paths[q])) return 0;
    return 1;
}

static int overwrites_input(const extract_ctx *c, size_t i)
{
    char paths[8][4200];
    size_t k = extract_output_paths(c->s.formats, c->bases[i], paths, 8);
    struct stat in, out;
    if (stat(c->entries[i].input, &in) != 0) return 0;
    for (size_t q = 0; q < k; q++)
        if (stat(paths[q], &out) == 0 && out.st_dev == in.st_dev && out.st_ino == in.st_ino) return 1;
    return 0;
}

static void run_one(void *ctx, size_t i)
{
    extract_ctx *c = ctx;
    batch_entry *e = &c->entries[i];
    if (e->r.status) { /* already failed while planning (duplicate name, ...) */
    } else if (overwrites_input(c, i)) {
        e->r.status = MNT_ERR_CREATE;
        snprintf(e->r.error, sizeof e->r.error, "%.500s: an output would overwrite the input", e->input);
    } else if (c->resume && outputs_complete(c, i)) {
        e->r.skipped = 1;
        char json[4300];
        snprintf(json, sizeof json, "%s.json", c->bases[i]);
        mnt_template t;
        if (mnt_template_read_file(json, NULL, NULL, &t, NULL) == 0) {
            e->r.minutiae = t.views[0].n;
            mnt_template_free(&t);
        }
    } else {
        extract_image(&c->s, e->input, c->bases[i], &e->r, NULL);
    }
    pthread_mutex_lock(&c->lock);
    size_t done = ++c->done;
    if (!c->quiet) {
        double el = now_s() - c->t0, rate = el > 0 ? (double)done / el : 0;
        if (c->tty)
            fprintf(stderr, "\r[%zu/%zu] %.1f images/s, ETA %.0f s   ", done, c->n, rate, rate > 0 ? (double)(c->n - done) / rate : 0);
        else if (e->r.status)
            fprintf(stderr, "minutiae: extract: %zu/%zu %s: failed\n", done, c->n, e->rel);
        else
            fprintf(stderr, "minutiae: extract: %zu/%zu %s: %zu minutiae%s (%.0f ms)\n", done, c->n, e->rel, e->r.minutiae,
                    e->r.skipped ? ", kept from an earlier run" : "", e->r.ms);
    }
    pthread_mutex_unlock(&c->lock);
}

static int parse_formats(const char *list, unsigned *formats, char *names, size_t cap)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strcmp(tok, "ansi")) *formats |= OUT_ANSI;
        else if (!strcmp(tok, "xyt")) *formats |= OUT_XYT;
        else if (!strcmp(tok, "xyt-m1")) *formats |= OUT_XYT_M1;
        else if (!strcmp(tok, "iso2011")) *formats |= OUT_ISO2011;
        else if (!strcmp(tok, "prob")) *formats |= OUT_PROB;
        else if (!strcmp(tok, "iso") || !strcmp(tok, "json") || !strcmp(tok, "overlay")) continue;
        else return -1;
    }
    snprintf(names, cap, "iso,json,overlay%s%s%s%s%s", *formats & OUT_ANSI ? ",ansi" : "", *formats & OUT_XYT ? ",xyt" : "",
             *formats & OUT_XYT_M1 ? ",xyt-m1" : "", *formats & OUT_ISO2011 ? ",iso2011" : "", *formats & OUT_PROB ? ",prob" : "");
    return 0;
}

/* Loads --model FILE or the embedded model; fills the name and digest for the report. */
int extract_load_model(const char *path, mnt_model *m, char *name, size_t ncap, char sha[65], mnt_diag *d)
{
    const uint8_t *data;
    size_t len;
    uint8_t *owned = NULL;
    int rc;
    if (path) {
        if ((rc = mnt_read_file(path, (size_t)1 << 30, &owned, &len, d))) return rc;
        data = owned;
        snprintf(name, ncap, "%s", path);
    } else if (embedded_model(&data, &len)) {
        snprintf(name, ncap, "embedded default model");
    } else {
        return mnt_fail(d, MNT_ERR_NOTFOUND, "this build has no embedded model: give --model FILE");
    }
    mnt_sha256_hex(data, len, sha);
    rc = mnt_model_decode(data, len, m, d);
    free(owned);
    return rc;
}

int cmd_extract(int argc, char **argv)
{
    static const cli_option opts[] = {
        {"out", 'o', 1, OPT_OUT},         {"model", 0, 1, OPT_MODEL},     {"config", 0, 1, OPT_CONFIG},
        {"threshold", 0, 1, OPT_THR},     {"jobs", 'j', 1, OPT_JOBS},     {"formats", 0, 1, OPT_FORMATS},
        {"mask", 0, 1, OPT_MASK},         {"mask-dir", 0, 1, OPT_MASKDIR}, {"ppi", 0, 1, OPT_PPI},
        {"mirror", 0, 0, OPT_MIRROR},     {"invert", 0, 0, OPT_INVERT},   {"recursive", 'r', 0, OPT_REC},
        {"list", 0, 1, OPT_LIST},         {"resume", 0, 0, OPT_RESUME},   {"quiet", 'q', 0, OPT_QUIET},
        {"help", 'h', 0, OPT_HELP},       {0}};
    const char *outdir = NULL, *model_path = NULL, *config = NULL, *lists[64], *paths[4096];
    int nlists = 0, npaths = 0, recursive = 0, id;
    long jobs = 1;
    double threshold = -1;
    extract_ctx c;
    memset(&c, 0, sizeof c);
    c.s.formats = OUT_ISO | OUT_JSON | OUT_OVERLAY;
    c.s.max_pixels = (size_t)40 << 20;
    char fmt_names[128] = "iso,json,overlay";
    cli_parser p = {argc, argv, 0, 0, NULL};
    while ((id = cli_next(&p, opts, "extract")) != -1) {
        switch (id) {
        case -2: return EXIT_USAGE;
        case 0:
            if (npaths == 4096) { cli_error(NULL, "extract: too many arguments (use --list)"); return EXIT_USAGE; }
            paths[npaths++] = p.arg;
            break;
        case OPT_HELP: fputs(HELP, stdout); return EXIT_OK;
        case OPT_OUT: outdir = p.arg; break;
        case OPT_MODEL: model_path = p.arg; break;
        case OPT_CONFIG: config = p.arg; break;
        case OPT_THR: if (!cli_double("extract", "--threshold", p.arg, 0, 1, &threshold)) return EXIT_USAGE; break;
        case OPT_JOBS: if (!cli_int("extract", "-j", p.arg, 1, 256, &jobs)) return EXIT_USAGE; break;
        case OPT_FORMATS:
            if (parse_formats(p.arg, &c.s.formats, fmt_names, sizeof fmt_names)) {
                cli_error(NULL, "extract: --formats expects a comma list of ansi, xyt, xyt-m1, iso2011, prob; got '%s'", p.arg);
                return EXIT_USAGE;
            }
            break;
        case OPT_MASK: c.s.mask_file = p.arg; break;
        case OPT_MASKDIR: c.s.mask_dir = p.arg; break;
        case OPT_PPI: if (!cli_double("extract", "--ppi", p.arg, 100, 5000, &c.s.ppi)) return EXIT_USAGE; break;
        case OPT_MIRROR: c.s.mirror = 1; break;
        case OPT_INVERT: c.s.invert = 1; break;
        case OPT_REC: recursive = 1; break;
        case OPT_LIST:
            if (nlists == 64) { cli_error(NULL, "extract: at most 64 --list files"); return EXIT_USAGE; }
            lists[nlists++] = p.arg;
            break;
        case OPT_RESUME: c.resume = 1; break;
        case OPT_QUIET: c.quiet = 1; break;
        }
    }
    if (!outdir || (!npaths && !nlists)) {
        cli_error(NULL, "extract: INPUTS and -o DIR are required (see 'minutiae extract --help')");
        return EXIT_USAGE;
    }
    if (c.s.mask_file && c.s.mask_dir) {
        cli_error(NULL, "extract: give --mask or --mask-dir, not both");
        return EXIT_USAGE;
    }
    mnt_diag d = {0};
    mnt_model model;
    char model_name[4200], model_sha[65];
    int rc = extract_load_model(model_path, &model, model_name, sizeof model_name, model_sha, &d);
    if (rc) return cli_report(model_path ? model_path : "model", rc, &d);
    c.s.model = &model;
    c.s.threshold = model.threshold;
    c.s.nms_radius = model.nms_radius;
    c.s.roi_margin = -1;
    c.s.quality_weight = model.quality_weight;
    c.s.direction_weight = model.direction_weight;
    c.s.region_threshold = model.region_threshold;
    if (config) {
        double thr = c.s.threshold, maxpx = (double)c.s.max_pixels, nms = c.s.nms_radius, margin = -1, qw = c.s.quality_weight;
        double dw = c.s.direction_weight, rt = c.s.region_threshold;
        const mnt_cfg_field f[] = {{"detection.threshold", MNT_CFG_NUMBER, &thr},
                                   {"detection.nms_radius", MNT_CFG_NUMBER, &nms},
                                   {"detection.roi_margin", MNT_CFG_NUMBER, &margin},
                                   {"detection.quality_weight", MNT_CFG_NUMBER, &qw},
                                   {"detection.direction_weight", MNT_CFG_NUMBER, &dw},
                                   {"detection.region_threshold", MNT_CFG_NUMBER, &rt},
                                   {"limits.max_pixels", MNT_CFG_NUMBER, &maxpx}};
        rc = mnt_yaml_load_bind(config, f, sizeof f / sizeof *f, &d);
        if (!rc && (!(thr >= 0 && thr <= 1) || !(maxpx >= 1e4 && maxpx <= 268435456.0) || !(nms > 0 && nms < 200) ||
                    !(margin >= -1 && margin < 200) || !(qw >= 0 && qw <= 1) || !(dw >= 0 && dw <= 1) ||
                    !(rt >= 0 && rt < 1) || (rt > 0 && model.region_threshold == 0)))
            rc = mnt_fail(&d, MNT_ERR_CONFIG, "detection.threshold, detection.quality_weight and detection.direction_weight "
                                              "must lie in 0..1, detection.nms_radius and detection.roi_margin in 0..200 "
                                              "pixels, detection.region_threshold in 0..1 (above 0 only for a model with a trained "
                                              "foreground head), limits.max_pixels in 1e4..2^28");
        if (rc) {
            mnt_model_free(&model);
            return cli_report(config, rc == MNT_ERR_NOTFOUND ? rc : MNT_ERR_CONFIG, &d);
        }
        c.s.threshold = thr;
        c.s.max_pixels = (size_t)maxpx;
        c.s.nms_radius = nms;
        c.s.roi_margin = margin;
        c.s.quality_weight = qw;
        c.s.direction_weight = dw;
        c.s.region_threshold = rt;
    }
    if (threshold >= 0) c.s.threshold = threshold;

    input_list in = {0};
    char err[4400];
    for (int i = 0; i < npaths; i++)
        if (input_list_add(&in, paths[i], recursive, err, sizeof err)) {
            cli_error(NULL, "%s", err);
            input_list_free(&in);
            mnt_model_free(&model);
            return EXIT_NOINPUT;
        }
    for (int i = 0; i < nlists; i++)
        if (input_list_add_file(&in, lists[i], err, sizeof err)) {
            cli_error(NULL, "%s", err);
            input_list_free(&in);
            mnt_model_free(&model);
            return EXIT_NOINPUT;
        }
    if (c.s.mask_file && in.n != 1) {
        cli_error(NULL, "extract: --mask applies to a single input (use --mask-dir for a batch)");
        input_list_free(&in);
        mnt_model_free(&model);
        return EXIT_USAGE;
    }
    if (make_dirs(outdir) != 0) {
        cli_error(outdir, "cannot create the output folder: %s", strerror(errno));
        input_list_free(&in);
        mnt_model_free(&model);
        return EXIT_CANTCREAT;
    }
    c.n = in.n;
    c.entries = calloc(in.n + 1, sizeof *c.entries);
    c.bases = calloc(in.n + 1, sizeof *c.bases);
    char (*rels)[4200] = calloc(in.n + 1, sizeof *rels);
    if (!c.entries || !c.bases || !rels) {
        cli_error(NULL, "extract: out of memory");
        input_list_free(&in);
        mnt_model_free(&model);
        free(c.entries);
        free(c.bases);
        free(rels);
        return EXIT_IOERR;
    }
    for (size_t i = 0; i < in.n; i++) {
        const char *rel = recursive ? in.items[i].rel : strrchr(in.items[i].path, '/') ? strrchr(in.items[i].path, '/') + 1 : in.items[i].path;
        snprintf(rels[i], sizeof rels[i], "%s", rel);
        char *dot = strrchr(rels[i], '.'), *slash = strrchr(rels[i], '/');
        if (dot && (!slash || dot > slash)) *dot = 0;
        join_path(c.bases[i], sizeof c.bases[i], outdir, rels[i], NULL);
        c.entries[i].input = in.items[i].path;
        c.entries[i].rel = rels[i];
        for (size_t k = 0; k < i; k++)
            if (!strcmp(rels[k], rels[i])) {
                c.entries[i].r.status = MNT_ERR_ARG;
                snprintf(c.entries[i].r.error, sizeof c.entries[i].r.error, "output name %.150s already used by %.150s (use -r)",
                         rels[i], in.items[k].path);
                break;
            }
        if (recursive && strchr(rels[i], '/')) {
            char dir[4200];
            snprintf(dir, sizeof dir, "%s", c.bases[i]);
            *strrchr(dir, '/') = 0;
            if (make_dirs(dir) != 0) {
                c.entries[i].r.status = MNT_ERR_CREATE;
                snprintf(c.entries[i].r.error, sizeof c.entries[i].r.error, "%.500s: cannot create folder", dir);
            }
        }
    }
    /* batch mode parallelises over images; BLAS stays single-threaded inside */
    openblas_set_num_threads(1);
    pthread_mutex_init(&c.lock, NULL);
    c.tty = isatty(fileno(stderr));
    c.t0 = now_s();
    parallel_for((int)jobs, in.n, run_one, &c);
    if (c.tty && !c.quiet) fputc('\n', stderr);
    pthread_mutex_destroy(&c.lock);

    int exit_code = EXIT_OK;
    size_t ok = 0;
    for (size_t i = 0; i < in.n; i++) {
        const extract_result *r = &c.entries[i].r;
        if (!r->status) { ok++; continue; }
        fprintf(stderr, "minutiae: %s\n", r->error);
        int code = r->status == MNT_ERR_CREATE || r->status == MNT_ERR_IO || r->status == MNT_ERR_NOMEM ? EXIT_IOERR : EXIT_DATAERR;
        if (code == EXIT_IOERR || exit_code == EXIT_OK) exit_code = code;
    }
    batch_run run = {MNT_VERSION, model_name, model_sha, c.s.threshold, c.s.nms_radius, c.s.quality_weight, model.stride, model.patch_size,
                     model.grid, (int)jobs, fmt_names, c.s.ppi, c.s.mirror, c.s.invert,
                     c.s.roi_margin >= 0 ? c.s.roi_margin : model.roi_margin, c.s.direction_weight, model.ridge_sigma,
                     c.s.region_threshold};
    rc = batch_write_reports(outdir, &run, c.entries, in.n, &d);
    if (rc) {
        cli_report(outdir, rc, &d);
        exit_code = EXIT_IOERR;
    }
    if (!c.quiet || exit_code)
        fprintf(stderr, "minutiae: extract: %zu of %zu images done; overlays, templates and the gallery are in %s (index.html, report.json)\n",
                ok, in.n, outdir);
    free(c.entries);
    free(c.bases);
    free(rels);
    input_list_free(&in);
    mnt_model_free(&model);
    return exit_code;
}
