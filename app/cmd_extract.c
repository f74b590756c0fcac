/* minutiae extract: the main job, batch-ready. */
#include <cblas.h>
#include <errno.h>
#include <signal.h>
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
#include "extract_batch.h"
#include "extract_job.h"
#include "file_io.h"
#include "fs_util.h"
#include "input_list.h"
#include "output_folder.h"
#include "sha256.h"
#include "template_io.h"
#include "yaml_tree.h"

#ifndef MNT_VERSION
#define MNT_VERSION "0.0.0"
#endif

static const char *HELP =
    "usage: minutiae extract INPUTS... -o DIR [OPTIONS]\n\n"
    "Finds the minutiae of latent prints (PNG, PGM, WSQ, TIFF, JPEG or JPEG 2000, by\n"
    "content; 400..1200 ppi, resampled to the model's 500 ppi) with the group-sparse\n"
    "autoencoder, and writes per image NAME:\n"
    "NAME.iso (ISO/IEC 19794-2:2005), NAME.json, NAME.overlay.png and NAME.review.html (a\n"
    "page to check and correct the marks, with candidates down to half the threshold),\n"
    "plus report.json, report.csv and index.html (a gallery) in DIR. INPUTS are files or\n"
    "folders; folder walks take .png .pgm .tif .tiff .jpg .jpeg .jp2 .j2k .j2c .wsq and\n"
    "ANSI/NIST-ITL transactions .an2 .an2k .eft .nist (any case) and skip *.mask.png,\n"
    "*.overlay.png and *.prob.png. Every friction-ridge image record (Type-4, 13, 14) of a\n"
    "transaction is extracted as NAME.IDC (a file given directly is one by content).\n"
    "A bad image is reported and\n"
    "skipped; so is a missing or unreadable input. extract never replaces a file it did\n"
    "not write: every file it writes is recorded (with its SHA-256, the settings and the\n"
    "input it was made from) in DIR/minutiae-manifest.jsonl and NAME.json carries the\n"
    "same provenance; any other file in the way is left alone and the image reported.\n"
    "One run at a time writes to a folder (it is locked). SIGINT/SIGTERM finish the\n"
    "images in flight, write the reports and exit 130/143; --resume continues.\n"
    "Exit 0 when all succeeded, 65 when some images were bad, 66 when some inputs were\n"
    "missing or unreadable, 73 when the output folder cannot be written, 74 when some\n"
    "outputs could not be written, 75 when another run holds the folder.\n\n"
    "options:\n"
    "  -o DIR             output folder (created if missing)\n"
    "  --model FILE       model file (default: the embedded model)\n"
    "  --config FILE      YAML: detection.threshold, detection.nms_radius,\n"
    "                     detection.roi_margin, detection.quality_weight,\n"
    "                     detection.direction_weight, detection.region_threshold\n"
    "                     (0 = segmented region), limits.max_pixels\n"
    "  --threshold T      minutia probability threshold (0 keeps every peak)\n"
    "  -j N               images in parallel (default 1)\n"
    "  --formats LIST     also write: ansi, xyt, xyt-m1, iso2011, prob, an2k (NAME.an2:\n"
    "                     ANSI/NIST-ITL Type-1 + the image record + Type-9) (comma list)\n"
    "  --no-review        no review pages (saves the second, lower-threshold detection)\n"
    "  --mask FILE        the examiner's region for a single input (white = inside)\n"
    "  --mask-dir DIR     regions as DIR/NAME.mask.png\n"
    "  --ppi N            resolution of the inputs (default: the file's, else 500)\n"
    "  --mirror           mirror the image (tape and gel lifts)\n"
    "  --invert           light ridges on a dark surface\n"
    "  -r                 recurse into folders, mirroring them under DIR\n"
    "  --list FILE        read input paths from FILE, one per line\n"
    "  --resume           skip images whose outputs are complete and were made from the\n"
    "                     same input with the same model and settings; redo the rest\n"
    "  --force            replace files in the way that extract did not write\n"
    "  --shard K/N        only the K-th of N parts of the inputs (by a hash of each output\n"
    "                     name, whatever the listing order); writes report.K-of-N.json\n"
    "                     and .csv; 'minutiae report merge DIR' joins the shards\n"
    "  -q                 no progress\n"
    "  -h, --help         this help\n";

enum { OPT_OUT = 1, OPT_MODEL, OPT_CONFIG, OPT_THR, OPT_JOBS, OPT_FORMATS, OPT_MASK, OPT_MASKDIR, OPT_PPI, OPT_MIRROR, OPT_INVERT,
       OPT_REC, OPT_LIST, OPT_RESUME, OPT_FORCE, OPT_SHARD, OPT_NO_REVIEW, OPT_QUIET, OPT_HELP };

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
    signal(sig, SIG_DFL); /* a second one stops at once */
}

static void format_names(unsigned formats, char *names, size_t cap)
{
    snprintf(names, cap, "iso,json,overlay%s%s%s%s%s%s%s", formats & OUT_REVIEW ? ",review" : "", formats & OUT_ANSI ? ",ansi" : "",
             formats & OUT_XYT ? ",xyt" : "", formats & OUT_XYT_M1 ? ",xyt-m1" : "", formats & OUT_ISO2011 ? ",iso2011" : "",
             formats & OUT_PROB ? ",prob" : "", formats & OUT_AN2K ? ",an2k" : "");
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
        else if (!strcmp(tok, "an2k")) *formats |= OUT_AN2K;
        else if (!strcmp(tok, "iso") || !strcmp(tok, "json") || !strcmp(tok, "overlay") || !strcmp(tok, "review")) continue;
        else return -1;
    }
    format_names(*formats, names, cap);
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

/* The effective settings as one JSON object (canonical: fixed keys and formats), whose
 * SHA-256 says whether two runs would make the same outputs. */
static int describe_settings(const extract_settings *s, const mnt_model *m, const char *model_sha, const char *formats,
                             mnt_buf *json, char sha[65])
{
    mnt_buf_printf(json, "{\"tool\": \"minutiae %s\", \"model_sha256\": \"%s\", \"threshold\": %.6f, \"nms_radius\": %.4f, "
                         "\"roi_margin\": %.4f, \"quality_weight\": %.4f, \"direction_weight\": %.4f, \"region_threshold\": %.4f, "
                         "\"ppi\": %.3f, \"mirror\": %d, \"invert\": %d, \"max_pixels\": %zu, \"formats\": \"%s\", \"mask\": ",
                   MNT_VERSION, model_sha, s->threshold, s->nms_radius > 0 ? s->nms_radius : m->nms_radius,
                   s->roi_margin >= 0 ? s->roi_margin : m->roi_margin, s->quality_weight, s->direction_weight, s->region_threshold,
                   s->ppi, s->mirror, s->invert, s->max_pixels, formats);
    mnt_buf_json_string(json, s->mask_file ? s->mask_file : "");
    mnt_buf_printf(json, ", \"mask_dir\": ");
    mnt_buf_json_string(json, s->mask_dir ? s->mask_dir : "");
    mnt_buf_printf(json, "}");
    mnt_buf_u8(json, 0);
    if (json->failed) return -1;
    json->len--; /* keep it a C string */
    mnt_sha256_hex(json->data, json->len, sha);
    return 0;
}

/* Plans the outputs: relative bases, name clashes, -r subfolders; inputs that could not
 * be read are failed entries. */
static void plan_entries(extract_batch *c, const input_list *in, char (*rels)[4200], const char *outdir, int recursive)
{
    for (size_t i = 0; i < in->n; i++) {
        const char *rel = recursive ? in->items[i].rel : strrchr(in->items[i].path, '/') ? strrchr(in->items[i].path, '/') + 1 : in->items[i].path;
        snprintf(rels[i], sizeof rels[i], "%s", rel);
        char *dot = strrchr(rels[i], '.'), *slash = strrchr(rels[i], '/');
        if (dot && (!slash || dot > slash)) *dot = 0;
        if (in->items[i].record > 0) { /* NAME.IDC of a transaction's image record */
            size_t l = strlen(rels[i]);
            snprintf(rels[i] + l, sizeof rels[i] - l, ".%s", in->items[i].label);
        }
        snprintf(c->bases[i], sizeof c->bases[i], "%s", rels[i]);
        batch_entry *e = &c->entries[i];
        e->input = in->items[i].path;
        e->record = in->items[i].record;
        e->rel = rels[i];
        if (in->items[i].error) {
            e->r.status = MNT_ERR_NOTFOUND;
            e->r.input_unreadable = 1;
            snprintf(e->r.error, sizeof e->r.error, "%.300s: %.290s", in->items[i].path, in->items[i].error);
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (!in->items[k].error && !strcmp(rels[k], rels[i])) {
                e->r.status = MNT_ERR_ARG;
                snprintf(e->r.error, sizeof e->r.error, "output name %.150s already used by %.150s (use -r)", rels[i],
                         in->items[k].path);
                break;
            }
        if (!e->r.status && recursive && strchr(rels[i], '/')) {
            char dir[4200];
            join_path(dir, sizeof dir, outdir, rels[i], NULL);
            *strrchr(dir, '/') = 0;
            if (make_dirs(dir) != 0) {
                e->r.status = MNT_ERR_CREATE;
                snprintf(e->r.error, sizeof e->r.error, "%.500s: cannot create folder: %s", dir, strerror(errno));
            }
        }
    }
}

/* report.json, report.csv and index.html; a shard writes report.K-of-N.json and .csv
 * (the merge makes the gallery). */
static void report_file_names(output_shard shard, char names[3][64])
{
    if (!shard.n) {
        snprintf(names[0], 64, "report.json");
        snprintf(names[1], 64, "report.csv");
        snprintf(names[2], 64, "index.html");
        return;
    }
    snprintf(names[0], 64, "report.%d-of-%d.json", shard.k, shard.n);
    snprintf(names[1], 64, "report.%d-of-%d.csv", shard.k, shard.n);
    names[2][0] = 0;
}

static int write_reports(output_folder *out, const batch_run *run, char names[3][64], const batch_entry *e, size_t n, char *err,
                         size_t errcap)
{
    output_stage *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errcap, "out of memory");
        return MNT_ERR_NOMEM;
    }
    mnt_diag d = {0};
    int rc = batch_format_reports(run, e, n, &st->files[0].data, &st->files[1].data, &st->files[2].data, &d);
    if (rc) snprintf(err, errcap, "%s", mnt_diag_message(&d, rc));
    else {
        st->n = names[2][0] ? 3 : 2;
        if (!names[2][0]) mnt_buf_free(&st->files[2].data);
        for (size_t i = 0; i < st->n; i++) snprintf(st->files[i].rel, sizeof st->files[i].rel, "%s", names[i]);
        snprintf(st->output, sizeof st->output, "%s", names[0]); /* one record per report set */
        snprintf(st->settings_sha256, 65, "%s", run->settings_sha256);
        snprintf(st->input_sha256, 65, "%064d", 0);
        rc = output_folder_commit(out, st, err, errcap);
    }
    output_stage_free(st);
    free(st);
    return rc;
}

/* The shard of an input: by its output name (relative path without extension), so
 * a.png and a.pgm, which would clash, fall in one shard and the clash is reported. */
static int in_shard(const char *rel, output_shard shard)
{
    char base[4200];
    snprintf(base, sizeof base, "%s", rel);
    char *dot = strrchr(base, '.'), *slash = strrchr(base, '/');
    if (dot && (!slash || dot > slash)) *dot = 0;
    uint64_t h = 1469598103934665603ull;
    for (const char *p = base; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return (int)(h % (uint64_t)shard.n) == shard.k - 1;
}

/* Keeps the inputs of this shard, in order. */
static void shard_filter(input_list *in, int recursive, output_shard shard)
{
    size_t keep = 0;
    for (size_t i = 0; i < in->n; i++) {
        input_item *it = &in->items[i];
        const char *rel = recursive ? it->rel : strrchr(it->path, '/') ? strrchr(it->path, '/') + 1 : it->path;
        if (in_shard(rel, shard)) in->items[keep++] = *it;
        else {
            free(it->path);
            free(it->rel);
            free(it->error);
        }
    }
    in->n = keep;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Temporaries of the files this run will write, left by a killed run. */
static size_t remove_planned_stale(extract_batch *c, char report_names[3][64])
{
    char paths[10][4200];
    size_t per = extract_output_paths(c->s.formats, "", paths, 10), n = 0;
    char **planned = calloc(c->n * per + 4, sizeof *planned);
    if (!planned) return 0;
    for (size_t i = 0; i < c->n; i++)
        for (size_t q = 0; q < per; q++) {
            size_t len = strlen(c->bases[i]) + strlen(paths[q]) + 1;
            if (!(planned[n] = malloc(len))) continue; /* out of memory: that temporary stays */
            snprintf(planned[n++], len, "%s%s", c->bases[i], paths[q]);
        }
    for (size_t i = 0; i < 3; i++)
        if (report_names[i][0] && (planned[n] = strdup(report_names[i]))) n++;
    qsort(planned, n, sizeof *planned, cmp_cstr);
    size_t removed = output_folder_remove_stale(c->out, (const char *const *)planned, n);
    for (size_t i = 0; i < n; i++) free(planned[i]);
    free(planned);
    return removed;
}

/* The worst outcome decides: outputs not written, then inputs missing, then bad images. */
static int batch_exit_code(const batch_entry *e, size_t n, size_t *ok, size_t *written)
{
    int io = 0, missing = 0, bad = 0;
    *ok = *written = 0;
    for (size_t i = 0; i < n; i++) {
        const extract_result *r = &e[i].r;
        if (e[i].not_run) continue;
        if (!r->status) {
            if (r->warning[0]) fprintf(stderr, "minutiae: %s: warning: %s\n", e[i].input, r->warning);
            (*ok)++;
            if (!r->skipped) (*written)++;
            continue;
        }
        fprintf(stderr, "minutiae: %s\n", r->error);
        if (r->input_unreadable) missing = 1;
        else if (r->status == MNT_ERR_CREATE || r->status == MNT_ERR_IO || r->status == MNT_ERR_NOMEM) io = 1;
        else bad = 1;
    }
    return io ? EXIT_IOERR : missing ? EXIT_NOINPUT : bad ? EXIT_DATAERR : EXIT_OK;
}

static int extract_run(extract_batch *c, const mnt_model *model, const char *model_name, const char *model_sha, const char *outdir,
                       const char **paths, int npaths, const char **lists, int nlists, int recursive, int force, output_shard shard,
                       int jobs, const char *fmt_names)
{
    mnt_buf settings = {0};
    char settings_sha[65], err[4400];
    input_list in = {0};
    output_folder *out = NULL;
    char(*rels)[4200] = NULL;
    int code = EXIT_OK;
    in.keep_going = 1;
    in.transactions = 1;
    if (describe_settings(&c->s, model, model_sha, fmt_names, &settings, settings_sha)) {
        cli_error(NULL, "extract: out of memory");
        code = EXIT_IOERR;
        goto done;
    }
    c->s.tool_version = MNT_VERSION;
    c->s.settings_json = (const char *)settings.data;
    c->s.settings_sha256 = settings_sha;
    c->s.model_name = model_name;
    for (int i = 0; i < npaths && !code; i++)
        if (input_list_add(&in, paths[i], recursive, err, sizeof err)) code = EXIT_IOERR;
    for (int i = 0; i < nlists && !code; i++)
        if (input_list_add_file(&in, lists[i], err, sizeof err)) code = EXIT_NOINPUT;
    if (!code && input_list_expand_transactions(&in, err, sizeof err)) code = EXIT_IOERR;
    if (code) {
        cli_error(NULL, "%s", err);
        goto done;
    }
    if (c->s.mask_file && in.n != 1) {
        cli_error(NULL, "extract: --mask applies to a single input (use --mask-dir for a batch)");
        code = EXIT_USAGE;
        goto done;
    }
    if (in.skipped && !c->quiet)
        cli_error(NULL, "extract: skipped %zu file(s) that are not images of a readable format (by extension), e.g. %s", in.skipped,
                  in.skipped_example);
    if (in.loops && !c->quiet) cli_error(NULL, "extract: %zu folder link(s) lead back to folders already walked: walked once", in.loops);
    if (shard.n) shard_filter(&in, recursive, shard);
    if ((code = output_folder_open(&out, outdir, force, shard, err, sizeof err))) {
        cli_error(NULL, "%s", err);
        goto done;
    }
    char report_names[3][64];
    report_file_names(shard, report_names);
    for (size_t i = 0; i < 3; i++)
        if (report_names[i][0] && output_folder_check(out, report_names[i], err, sizeof err)) {
            cli_error(NULL, "%s", err);
            code = EXIT_CANTCREAT;
            goto done;
        }
    c->n = in.n;
    c->out = out;
    c->jobs = jobs;
    c->entries = calloc(in.n + 1, sizeof *c->entries);
    c->bases = calloc(in.n + 1, sizeof *c->bases);
    rels = calloc(in.n + 1, sizeof *rels);
    if (!c->entries || !c->bases || !rels) {
        cli_error(NULL, "extract: out of memory");
        code = EXIT_IOERR;
        goto done;
    }
    plan_entries(c, &in, rels, outdir, recursive);
    size_t stale = remove_planned_stale(c, report_names);
    if (stale && !c->quiet) cli_error(outdir, "removed %zu temporary file(s) left by an interrupted run", stale);
    /* batch mode parallelises over images; BLAS stays single-threaded inside */
    openblas_set_num_threads(1);
    c->tty = isatty(fileno(stderr));
    stop_signal = 0;
    c->stop = &stop_signal;
    signal(SIGINT, on_stop_signal);
    signal(SIGTERM, on_stop_signal);
    extract_batch_run(c);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);

    size_t ok, written;
    code = batch_exit_code(c->entries, in.n, &ok, &written);
    batch_run run = {MNT_VERSION, model_name, model_sha, c->s.threshold, c->s.nms_radius, c->s.quality_weight, model->stride,
                     model->patch_size, model->grid, jobs, fmt_names, c->s.ppi, c->s.mirror, c->s.invert,
                     c->s.roi_margin >= 0 ? c->s.roi_margin : model->roi_margin, c->s.direction_weight, model->ridge_sigma,
                     c->s.region_threshold, settings_sha, stop_signal != 0, in.skipped, in.skipped_example, shard.k, shard.n,
                     model->context};
    int reports_ok = 1;
    if (write_reports(out, &run, report_names, c->entries, in.n, err, sizeof err)) {
        cli_error(NULL, "%s", err);
        code = EXIT_IOERR;
        reports_ok = 0;
    }
    if (stop_signal) {
        size_t not_run = 0;
        for (size_t i = 0; i < in.n; i++) not_run += (size_t)c->entries[i].not_run;
        cli_error(NULL, "extract: stopped by %s: %zu image(s) not run; --resume continues", stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
                  not_run);
        code = 128 + (int)stop_signal;
    }
    if (!c->quiet || code) {
        if (written || reports_ok)
            fprintf(stderr, "minutiae: extract: %zu of %zu images done (%zu written now); %s in %s\n", ok, in.n, written,
                    reports_ok ? "outputs and the batch report (index.html, report.json) are" : "outputs are", outdir);
        else
            fprintf(stderr, "minutiae: extract: %zu of %zu images done; nothing was written to %s\n", ok, in.n, outdir);
    }
done:
    output_folder_close(out);
    free(c->entries);
    free(c->bases);
    free(rels);
    input_list_free(&in);
    mnt_buf_free(&settings);
    return code;
}

int cmd_extract(int argc, char **argv)
{
    static const cli_option opts[] = {
        {"out", 'o', 1, OPT_OUT},         {"model", 0, 1, OPT_MODEL},     {"config", 0, 1, OPT_CONFIG},
        {"threshold", 0, 1, OPT_THR},     {"jobs", 'j', 1, OPT_JOBS},     {"formats", 0, 1, OPT_FORMATS},
        {"mask", 0, 1, OPT_MASK},         {"mask-dir", 0, 1, OPT_MASKDIR}, {"ppi", 0, 1, OPT_PPI},
        {"mirror", 0, 0, OPT_MIRROR},     {"invert", 0, 0, OPT_INVERT},   {"recursive", 'r', 0, OPT_REC},
        {"list", 0, 1, OPT_LIST},         {"resume", 0, 0, OPT_RESUME},   {"quiet", 'q', 0, OPT_QUIET},
        {"force", 0, 0, OPT_FORCE},       {"shard", 0, 1, OPT_SHARD},     {"no-review", 0, 0, OPT_NO_REVIEW},
        {"help", 'h', 0, OPT_HELP},
        {0}};
    const char *outdir = NULL, *model_path = NULL, *config = NULL, *lists[64], *paths[4096];
    int nlists = 0, npaths = 0, recursive = 0, force = 0, id;
    output_shard shard = {0, 0};
    int no_review = 0;
    long jobs = 1;
    double threshold = -1;
    extract_batch c;
    memset(&c, 0, sizeof c);
    c.s.formats = OUT_ISO | OUT_JSON | OUT_OVERLAY | OUT_REVIEW;
    c.s.max_pixels = (size_t)40 << 20;
    char fmt_names[128] = "iso,json,overlay,review";
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
                cli_error(NULL, "extract: --formats expects a comma list of ansi, xyt, xyt-m1, iso2011, prob, an2k; got '%s'", p.arg);
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
        case OPT_FORCE: force = 1; break;
        case OPT_NO_REVIEW: no_review = 1; break;
        case OPT_SHARD: {
            char tail;
            if (sscanf(p.arg, "%d/%d%c", &shard.k, &shard.n, &tail) != 2 || shard.n < 1 || shard.n > 100000 || shard.k < 1 ||
                shard.k > shard.n) {
                cli_error(NULL, "extract: --shard expects K/N with 1 <= K <= N <= 100000, got '%s'", p.arg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_QUIET: c.quiet = 1; break;
        }
    }
    if (no_review) {
        c.s.formats &= ~(unsigned)OUT_REVIEW;
        format_names(c.s.formats, fmt_names, sizeof fmt_names);
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
    extract_settings_from_model(&c.s, &model);
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
        /* the key at fault and its range, one at a time */
        const struct {
            const char *key;
            double v, lo, hi;
            int hi_open;
        } range[] = {{"detection.threshold", thr, 0, 1, 0},        {"detection.quality_weight", qw, 0, 1, 0},
                     {"detection.direction_weight", dw, 0, 1, 0}, {"detection.nms_radius", nms, 1e-9, 200, 1},
                     {"detection.roi_margin", margin, -1, 200, 1}, {"detection.region_threshold", rt, 0, 1, 1},
                     {"limits.max_pixels", maxpx, 1e4, 268435456.0, 0}};
        for (size_t k = 0; !rc && k < sizeof range / sizeof *range; k++) {
            double v = range[k].v;
            if (v >= range[k].lo && (range[k].hi_open ? v < range[k].hi : v <= range[k].hi)) continue;
            rc = mnt_fail(&d, MNT_ERR_CONFIG, "%s: %g outside %g..%g%s", range[k].key, v, range[k].lo, range[k].hi,
                          range[k].hi_open ? " (upper bound excluded)" : "");
        }
        if (!rc && rt > 0 && model.region_threshold == 0)
            rc = mnt_fail(&d, MNT_ERR_CONFIG, "detection.region_threshold: above 0 needs a model with a trained foreground head "
                                              "(this one's card has region_threshold 0)");
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
    int exit_code = extract_run(&c, &model, model_name, model_sha, outdir, paths, npaths, lists, nlists, recursive, force,
                                shard, (int)jobs, fmt_names);
    mnt_model_free(&model);
    return exit_code;
}
