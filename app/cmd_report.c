/* minutiae report merge: one report.json, report.csv and index.html for the shards of a
 * batch (extract --shard K/N), saying which shards or images are missing or failed. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_report.h"
#include "cli.h"
#include "commands.h"
#include "file_io.h"
#include "fs_util.h"
#include "json.h"
#include "output_folder.h"

static const char *HELP =
    "usage: minutiae report merge DIR... [-o OUT]\n\n"
    "Joins the shard reports report.K-of-N.json found in the folders DIR (written by\n"
    "'minutiae extract --shard K/N') into report.json, report.csv and index.html in OUT\n"
    "(default: the first DIR). Every shard 1..N must be there once, made with one model\n"
    "and the same settings. Exit 0 when all shards are there and every image succeeded,\n"
    "65 when some images failed, 66 when shards are missing (the merged report is\n"
    "written in both cases and says what is missing), 78 when shards disagree.\n\n"
    "options:\n"
    "  -o OUT             folder of the merged report\n"
    "  -q                 no summary line\n"
    "  -h, --help         this help\n";

enum { OPT_OUT = 1, OPT_QUIET, OPT_HELP };

typedef struct {
    mnt_json *json;      /* the shard's report */
    char dir[PATH_MAX];  /* where it was found (absolute) */
    int k, n;
} shard_report;

typedef struct {
    shard_report *s;
    size_t n, cap;
} shard_set;

static const char *str_of(const mnt_json *o, const char *key)
{
    const mnt_json *v = mnt_json_get(o, key);
    return v && v->kind == MNT_JSON_STRING ? v->str : "";
}

static double num_of(const mnt_json *o, const char *key)
{
    const mnt_json *v = mnt_json_get(o, key);
    return v && (v->kind == MNT_JSON_NUMBER || v->kind == MNT_JSON_BOOL) ? v->num : 0;
}

/* Reads the shard reports of one folder. Returns an exit code (0 when fine). */
static int read_folder(shard_set *set, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        cli_error(dir, "cannot read the folder");
        return EXIT_NOINPUT;
    }
    char abs[PATH_MAX];
    if (!realpath(dir, abs)) snprintf(abs, sizeof abs, "%s", dir);
    struct dirent *e;
    int code = 0, found = 0;
    while (!code && (e = readdir(dp))) {
        int k, n, used = 0;
        if (sscanf(e->d_name, "report.%d-of-%d.json%n", &k, &n, &used) != 2 || e->d_name[used] != 0) continue;
        char path[PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        uint8_t *text;
        size_t len;
        mnt_diag d = {0};
        mnt_json *j = NULL;
        int rc = mnt_read_file(path, (size_t)1 << 30, &text, &len, &d);
        if (!rc) {
            rc = mnt_json_parse((const char *)text, len, &j, &d);
            free(text);
        }
        if (rc) {
            code = cli_report(path, rc, &d);
            break;
        }
        const mnt_json *sh = mnt_json_get(j, "shard");
        const mnt_json *images = mnt_json_get(j, "images");
        if (!sh || (int)num_of(sh, "k") != k || (int)num_of(sh, "n") != n || !images || images->kind != MNT_JSON_ARRAY) {
            cli_error(path, "not a shard report of minutiae extract (its shard or images do not match its name)");
            mnt_json_free(j);
            code = EXIT_DATAERR;
            break;
        }
        if (set->n == set->cap) {
            size_t cap = set->cap ? set->cap * 2 : 16;
            shard_report *ns = realloc(set->s, cap * sizeof *ns);
            if (!ns) {
                mnt_json_free(j);
                cli_error(NULL, "report merge: out of memory");
                code = EXIT_IOERR;
                break;
            }
            set->s = ns;
            set->cap = cap;
        }
        shard_report *r = &set->s[set->n++];
        r->json = j;
        r->k = k;
        r->n = n;
        snprintf(r->dir, sizeof r->dir, "%s", abs);
        found++;
    }
    closedir(dp);
    if (!code && !found) cli_error(dir, "warning: no shard reports (report.K-of-N.json) here");
    return code;
}

/* The run description of the shards, from the first; 0 when they all agree. */
static int agree(const shard_set *set, batch_run *run, char *err, size_t errcap)
{
    const mnt_json *first = set->s[0].json, *cfg = mnt_json_get(first, "config");
    if (!cfg) {
        snprintf(err, errcap, "shard 1: no config section");
        return -1;
    }
    for (size_t i = 1; i < set->n; i++) {
        const mnt_json *o = set->s[i].json;
        if (set->s[i].n != set->s[0].n) {
            snprintf(err, errcap, "shards of %d and of %d parts: not one batch", set->s[0].n, set->s[i].n);
            return -1;
        }
        if (strcmp(str_of(o, "settings_sha256"), str_of(first, "settings_sha256")) ||
            strcmp(str_of(o, "model_sha256"), str_of(first, "model_sha256"))) {
            snprintf(err, errcap, "shard %d of %d was made with another model or other settings than shard %d", set->s[i].k,
                     set->s[i].n, set->s[0].k);
            return -1;
        }
    }
    const char *tool = str_of(first, "tool");
    run->version = strncmp(tool, "minutiae ", 9) ? tool : tool + 9;
    run->model_name = str_of(first, "model");
    run->model_sha256 = str_of(first, "model_sha256");
    run->settings_sha256 = str_of(first, "settings_sha256");
    run->threshold = num_of(cfg, "threshold");
    run->nms_radius = num_of(cfg, "nms_radius");
    run->quality_weight = num_of(cfg, "quality_weight");
    run->stride = (int)num_of(cfg, "stride");
    run->patch_size = (int)num_of(cfg, "patch_size");
    run->grid = (int)num_of(cfg, "grid");
    run->context = (int)num_of(cfg, "context"); /* reports before the key: 0 */
    run->jobs = (int)num_of(cfg, "jobs");
    run->formats = str_of(cfg, "formats");
    run->ppi_option = num_of(cfg, "ppi"); /* a string when taken from the files: 0 */
    run->mirror = (int)num_of(cfg, "mirror");
    run->invert = (int)num_of(cfg, "invert");
    run->roi_margin = num_of(cfg, "roi_margin");
    run->direction_weight = num_of(cfg, "direction_weight");
    run->ridge_smoothing = num_of(cfg, "ridge_smoothing");
    run->region_threshold = num_of(cfg, "region_threshold");
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const batch_entry *x = a, *y = b;
    int c = strcmp(x->rel, y->rel);
    return c ? c : strcmp(x->input, y->input);
}

/* Every shard's images as batch entries, ordered by output name (a whole run's order
 * for a folder). Shards in another folder than out keep their folder in the name. */
static batch_entry *collect(const shard_set *set, const char *out_abs, size_t *n, char ***owned)
{
    size_t total = 0;
    for (size_t i = 0; i < set->n; i++) total += mnt_json_get(set->s[i].json, "images")->n;
    batch_entry *e = calloc(total + 1, sizeof *e);
    char **names = calloc(total + 1, sizeof *names);
    if (!e || !names) {
        free(e);
        free(names);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < set->n; i++) {
        const mnt_json *images = mnt_json_get(set->s[i].json, "images");
        int here = !strcmp(set->s[i].dir, out_abs);
        for (size_t q = 0; q < images->n; q++, k++) {
            const mnt_json *o = &images->items[q];
            batch_entry *b = &e[k];
            b->input = str_of(o, "input");
            if (here) b->rel = str_of(o, "output");
            else {
                size_t len = strlen(set->s[i].dir) + strlen(str_of(o, "output")) + 2;
                if ((names[k] = malloc(len))) snprintf(names[k], len, "%s/%s", set->s[i].dir, str_of(o, "output"));
                b->rel = names[k] ? names[k] : str_of(o, "output");
            }
            const char *status = str_of(o, "status");
            b->not_run = !strcmp(status, "not run");
            b->r.skipped = !strcmp(status, "skipped");
            b->r.status = !strcmp(status, "failed") ? MNT_ERR_FORMAT : 0;
            b->r.minutiae = (size_t)num_of(o, "minutiae");
            b->r.ms = num_of(o, "ms");
            b->r.ppi = num_of(o, "ppi");
            b->r.ppi_assumed = (int)num_of(o, "ppi_assumed");
            snprintf(b->r.sha256, sizeof b->r.sha256, "%s", str_of(o, "sha256"));
            snprintf(b->r.error, sizeof b->r.error, "%s", str_of(o, "error"));
            snprintf(b->r.warning, sizeof b->r.warning, "%s", str_of(o, "warning"));
        }
    }
    qsort(e, total, sizeof *e, cmp_entry);
    *n = total;
    *owned = names;
    return e;
}

static int write_merged(const char *outdir, const batch_run *run, const batch_entry *e, size_t n, const char *shards_json)
{
    output_folder *f = NULL;
    char err[4400];
    output_shard whole = {0, 0};
    int code = output_folder_open(&f, outdir, 0, whole, err, sizeof err);
    if (code) {
        cli_error(NULL, "%s", err);
        return code;
    }
    output_stage *st = calloc(1, sizeof *st);
    mnt_diag d = {0};
    int rc = st ? batch_format_reports(run, e, n, &st->files[0].data, &st->files[1].data, &st->files[2].data, &d)
                : mnt_fail(&d, MNT_ERR_NOMEM, "out of memory");
    if (!rc) {
        /* the shards' account goes in front of the images */
        mnt_buf *j = &st->files[0].data, fixed = {0};
        const char *at = strstr((const char *)j->data, "  \"images\": [");
        size_t head = at ? (size_t)(at - (const char *)j->data) : j->len;
        mnt_buf_put(&fixed, j->data, head);
        mnt_buf_printf(&fixed, "  \"shards\": %s,\n", shards_json);
        mnt_buf_put(&fixed, j->data + head, j->len - head);
        mnt_buf_free(j);
        *j = fixed;
        st->n = 3;
        snprintf(st->files[0].rel, sizeof st->files[0].rel, "report.json");
        snprintf(st->files[1].rel, sizeof st->files[1].rel, "report.csv");
        snprintf(st->files[2].rel, sizeof st->files[2].rel, "index.html");
        snprintf(st->output, sizeof st->output, "report.json");
        snprintf(st->settings_sha256, 65, "%s", run->settings_sha256);
        snprintf(st->input_sha256, 65, "%064d", 0);
        if ((rc = output_folder_commit(f, st, err, sizeof err))) cli_error(NULL, "%s", err);
    } else {
        cli_report(outdir, rc, &d);
    }
    if (st) output_stage_free(st);
    free(st);
    output_folder_close(f);
    return rc ? cli_exit_code(rc) : 0;
}

static int merge(const char **dirs, int ndirs, const char *outdir, int quiet)
{
    shard_set set = {0};
    int code = 0;
    for (int i = 0; i < ndirs && !code; i++) code = read_folder(&set, dirs[i]);
    if (!code && !set.n) {
        cli_error(NULL, "report merge: no shard reports found");
        code = EXIT_NOINPUT;
    }
    batch_run run;
    memset(&run, 0, sizeof run);
    char err[600];
    if (!code && agree(&set, &run, err, sizeof err)) {
        cli_error(NULL, "report merge: %s", err);
        code = EXIT_CONFIG;
    }
    batch_entry *e = NULL;
    char **names = NULL;
    size_t n = 0, missing = 0, failed = 0, not_run = 0;
    mnt_buf shards = {0};
    if (!code) {
        int nshards = set.s[0].n;
        unsigned char *seen = calloc((size_t)nshards + 1, 1);
        for (size_t i = 0; seen && i < set.n; i++) {
            if (set.s[i].k < 1 || set.s[i].k > nshards || seen[set.s[i].k]) {
                cli_error(set.s[i].dir, "report merge: shard %d of %d found twice or out of range", set.s[i].k, nshards);
                code = EXIT_CONFIG;
                break;
            }
            seen[set.s[i].k] = 1;
        }
        mnt_buf_printf(&shards, "{\"n\": %d, \"found\": %zu, \"missing\": [", nshards, set.n);
        for (int k = 1; seen && k <= nshards; k++)
            if (!seen[k]) {
                mnt_buf_printf(&shards, "%s%d", missing ? ", " : "", k);
                if (missing++ < 20) cli_error(NULL, "report merge: shard %d of %d is missing", k, nshards);
            }
        mnt_buf_printf(&shards, "]}");
        if (!seen || shards.failed) code = EXIT_IOERR;
        free(seen);
    }
    char out_abs[PATH_MAX];
    if (!code) {
        if (make_dirs(outdir) != 0 || !realpath(outdir, out_abs)) snprintf(out_abs, sizeof out_abs, "%s", outdir);
        if (!(e = collect(&set, out_abs, &n, &names))) code = EXIT_IOERR;
    }
    for (size_t i = 0; !code && i < n; i++) {
        if (e[i].not_run) not_run++;
        else if (e[i].r.status) {
            if (failed++ < 20) cli_error(e[i].input, "failed: %s", e[i].r.error);
        }
    }
    if (!code) {
        mnt_buf_u8(&shards, 0);
        code = write_merged(outdir, &run, e, n, (const char *)shards.data);
    }
    if (!code) {
        if (!quiet)
            fprintf(stderr, "minutiae: report merge: %zu shard(s) of %d, %zu images (%zu failed, %zu not run) -> %s/report.json\n", set.n,
                    set.s[0].n, n, failed, not_run, outdir);
        code = missing || not_run ? EXIT_NOINPUT : failed ? EXIT_DATAERR : EXIT_OK;
    }
    for (size_t i = 0; names && i < n; i++) free(names[i]);
    free(names);
    free(e);
    mnt_buf_free(&shards);
    for (size_t i = 0; i < set.n; i++) mnt_json_free(set.s[i].json);
    free(set.s);
    return code;
}

int cmd_report(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "merge") && strcmp(argv[0], "--help") && strcmp(argv[0], "-h"))) {
        cli_error(NULL, "report: expects 'merge' (see 'minutiae report --help')");
        return EXIT_USAGE;
    }
    if (strcmp(argv[0], "merge")) {
        fputs(HELP, stdout);
        return EXIT_OK;
    }
    static const cli_option opts[] = {{"out", 'o', 1, OPT_OUT}, {"quiet", 'q', 0, OPT_QUIET}, {"help", 'h', 0, OPT_HELP}, {0}};
    cli_parser p = {argc - 1, argv + 1, 0, 0, NULL};
    const char *dirs[256], *outdir = NULL;
    int ndirs = 0, quiet = 0, id;
    while ((id = cli_next(&p, opts, "report merge")) != -1) {
        if (id == -2) return EXIT_USAGE;
        if (id == OPT_HELP) {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        if (id == OPT_OUT) outdir = p.arg;
        else if (id == OPT_QUIET) quiet = 1;
        else if (id == 0) {
            if (ndirs == 256) {
                cli_error(NULL, "report merge: at most 256 folders");
                return EXIT_USAGE;
            }
            dirs[ndirs++] = p.arg;
        }
    }
    if (!ndirs) {
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    return merge(dirs, ndirs, outdir ? outdir : dirs[0], quiet);
}
