/* minutiae degrade: latents made from real labelled prints, the labels carried over. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "rng.h"
#include "commands.h"
#include "fs_util.h"
#include "image_io.h"
#include "input_list.h"
#include "latent.h"
#include "latent_files.h"
#include "latent_real.h"
#include "parallel.h"
#include "synth_config.h"
#include "template_args.h"
#include "truth_lookup.h"

static const char *HELP =
    "usage: minutiae degrade IMAGES... --truth DIR -o DIR [OPTIONS]\n\n"
    "Makes latents from real prints with labels: each print (ridges dark) is resampled\n"
    "to 500 ppi, framed by a blank margin, and degraded as `minutiae synth` degrades its\n"
    "prints (partial area, contrast, breaks, smudges, blur, noise, clutter, a second\n"
    "print) plus elastic distortion, substrate textures, powder and ink blotches,\n"
    "light-on-dark marks and JPEG-like blocks. The labels move with the print; a minutia\n"
    "the latent hides is marked \"hidden\": true, and hidden input minutiae stay hidden.\n"
    "Per latent NAME: NAME.png (with pHYs), NAME.json (truth, with \"level\"), NAME.iso\n"
    "(visible truth) and NAME.mask.png (visible area), as synth writes them, so patches,\n"
    "extract and eval take the folder directly. The truth of IMG.png is IMG.json, .iso,\n"
    ".ansi, .iso2011, .xyt or .mnt in the truth folder (first found); IMG.mask.png beside\n"
    "the image, when present, bounds its foreground. The same seed gives identical files\n"
    "whatever -j; a bad input is reported and skipped; no input is ever overwritten.\n\n"
    "options:\n"
    "  --truth DIR       truth folder\n"
    "  -o DIR            output folder (created if missing)\n"
    "  --level L         good | bad | ugly | mixed (default mixed: each latent draws its\n"
    "                    level from its seed)\n"
    "  --seed S          seed (default 1); a latent's own seed mixes S, the print's name\n"
    "                    and the copy number, so it does not depend on the other inputs\n"
    "  -n COPIES         latents per print (default 1: NAME as the print; more: NAME_c1..)\n"
    "  --config FILE     YAML settings (see samples/degrade.yaml for every key)\n"
    "  --output-ppi R    500 (default) or 1000 (the latent upsampled, truth scaled); as\n"
    "                    output.ppi in the config\n"
    "  -j N              threads (default 1)\n"
    "  -r                recurse into folders (outputs stay in one folder)\n"
    TEMPLATE_READ_HELP
    "  -q                no progress lines\n"
    "  -h, --help        this help\n";

enum { OPT_TRUTH = 1, OPT_OUT, OPT_LEVEL, OPT_SEED, OPT_N, OPT_CONFIG, OPT_OPPI, OPT_JOBS, OPT_REC, OPT_QUIET, OPT_HELP };

typedef struct {
    mnt_latent_params lp;
    mnt_real_params rp;
    mnt_read_opts ro;
    const char *outdir, *truth_dir;
    unsigned long long seed;
    int level; /* -1 = mixed */
    int copies, quiet;
    const input_list *inputs;
    int *status;
    size_t *written;
    double *ms;
    char (*errors)[700];
} degrade_job;

static uint64_t name_hash(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ULL; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001B3ULL;
    return h;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The mask beside an image (IMG.mask.png), when it exists and has the image's size. */
static uint8_t *read_side_mask(const char *img_path, const mnt_image *im, char *mpath, size_t cap)
{
    const char *dot = strrchr(img_path, '.'), *slash = strrchr(img_path, '/');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - img_path) : strlen(img_path);
    if ((size_t)snprintf(mpath, cap, "%.*s.mask.png", (int)stem, img_path) >= cap || !file_exists(mpath)) {
        mpath[0] = 0;
        return NULL;
    }
    mnt_image mi;
    mnt_diag d = {0};
    uint8_t *mask = NULL;
    if (mnt_image_read(mpath, (size_t)16384 * 16384, &mi, &d) == 0 && mi.width == im->width && mi.height == im->height) {
        mask = malloc((size_t)im->width * im->height);
        if (mask)
            for (size_t q = 0; q < (size_t)im->width * im->height; q++) mask[q] = mi.px[q] > 0.5f;
    } else {
        cli_error(mpath, "warning: unreadable or of another size than the image; ignored");
    }
    mnt_image_free(&mi);
    if (!mask) mpath[0] = 0;
    return mask;
}

/* One latent of the print: returns a status with the message in err. */
static int degrade_copy(const degrade_job *job, const mnt_image *im, const uint8_t *mask, const mnt_template *truth,
                        const char *stem, int copy, const char *const inputs[3], char *err, size_t errcap)
{
    char name[300], path[4096];
    if (job->copies == 1) snprintf(name, sizeof name, "%.290s", stem);
    else snprintf(name, sizeof name, "%.280s_c%d", stem, copy + 1);
    for (int k = 0; k < LATENT_FILE_COUNT; k++) {
        if (join_path(path, sizeof path, job->outdir, name, LATENT_FILE_SUFFIXES[k])) {
            snprintf(err, errcap, "%.300s: output path too long", name);
            return MNT_ERR_CREATE;
        }
        for (int q = 0; q < 3; q++)
            if (inputs[q] && inputs[q][0] && same_file(path, inputs[q])) {
                snprintf(err, errcap, "%.300s: would overwrite an input (choose another -o)", path);
                return MNT_ERR_CREATE;
            }
    }
    uint64_t seed = mnt_rng_mix64(mnt_rng_mix64(job->seed) ^ name_hash(stem) ^ mnt_rng_mix64((uint64_t)copy + 1));
    mnt_latent_level level =
        job->level >= 0 ? (mnt_latent_level)job->level : (mnt_latent_level)(mnt_rng_mix64(seed ^ 0x1E7E1) % MNT_LEVEL_COUNT);
    mnt_synth_print s;
    mnt_latent lat;
    mnt_diag d = {0};
    int rc = mnt_real_print_make(&job->rp, im, mask, truth, &s, &d);
    if (rc) {
        snprintf(err, errcap, "%.300s: %.300s", inputs[0], mnt_diag_message(&d, rc));
        return rc;
    }
    if ((rc = mnt_latent_render(&job->lp, level, &s, seed, &lat, &d))) {
        snprintf(err, errcap, "%.300s: %.300s", inputs[0], mnt_diag_message(&d, rc));
        mnt_synth_print_free(&s);
        return rc;
    }
    snprintf(s.truth.level, sizeof s.truth.level, "%s", mnt_level_name(level));
    rc = latent_files_write(job->outdir, name, &lat.image, lat.visible, &s.truth, err, errcap);
    if (!rc && !job->quiet) {
        size_t vis = 0, n = s.truth.views[0].n;
        for (size_t i = 0; i < n; i++) vis += !s.truth.views[0].m[i].hidden;
        fprintf(stderr, "minutiae: degrade: %s (%s, %zu of %zu minutiae visible)\n", name, mnt_level_name(level), vis, n);
    }
    mnt_latent_free(&lat);
    mnt_synth_print_free(&s);
    return rc;
}

static void degrade_one(void *ctx, size_t i)
{
    degrade_job *job = ctx;
    const char *img_path = job->inputs->items[i].path;
    char *err = job->errors[i];
    size_t cap = sizeof job->errors[i];
    double t0 = now_ms();
    char stem[1024], tpath[4096], mpath[4096];
    input_stem(img_path, stem, sizeof stem);
    mnt_image im;
    mnt_diag d = {0};
    int rc = mnt_image_read(img_path, (size_t)16384 * 16384, &im, &d);
    if (rc) {
        snprintf(err, cap, "%.300s: %.300s", img_path, mnt_diag_message(&d, rc));
        job->status[i] = rc;
        return;
    }
    mnt_template truth;
    int found = truth_lookup(job->truth_dir, stem, &job->ro, im.width, im.height, &truth, tpath, sizeof tpath, &d);
    if (found <= 0) {
        if (found < 0) snprintf(err, cap, "%.300s: %.300s", tpath, mnt_diag_message(&d, found));
        else snprintf(err, cap, "%.300s: no truth file %.200s/%.100s." TRUTH_LOOKUP_EXTS, img_path, job->truth_dir, stem);
        job->status[i] = found < 0 ? found : MNT_ERR_FORMAT;
        mnt_image_free(&im);
        return;
    }
    if ((truth.width && truth.width != im.width) || (truth.height && truth.height != im.height)) {
        snprintf(err, cap, "%.300s: truth for a %dx%d image, %.200s is %dx%d", tpath, truth.width, truth.height, img_path,
                 im.width, im.height);
        job->status[i] = MNT_ERR_FORMAT;
    } else {
        uint8_t *mask = read_side_mask(img_path, &im, mpath, sizeof mpath);
        const char *inputs[3] = {img_path, tpath, mpath};
        for (int k = 0; k < job->copies && !rc; k++) {
            rc = degrade_copy(job, &im, mask, &truth, stem, k, inputs, err, cap);
            if (!rc) job->written[i]++;
        }
        job->status[i] = rc;
        free(mask);
    }
    mnt_template_free(&truth);
    mnt_image_free(&im);
    job->ms[i] = now_ms() - t0;
}

static int cmp_stem(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Input names must be unique: the outputs share one folder. */
static int check_unique(const input_list *in)
{
    char **stems = calloc(in->n ? in->n : 1, sizeof *stems);
    int rc = 0;
    if (!stems) return -1;
    for (size_t i = 0; i < in->n && !rc; i++) {
        char s[1024];
        input_stem(in->items[i].path, s, sizeof s);
        size_t len = strlen(s) + 1;
        if (!(stems[i] = malloc(len))) rc = -1;
        else memcpy(stems[i], s, len);
    }
    if (!rc) {
        qsort(stems, in->n, sizeof *stems, cmp_stem);
        for (size_t i = 1; i < in->n && !rc; i++)
            if (!strcmp(stems[i - 1], stems[i])) {
                cli_error(NULL, "degrade: two inputs are named '%s' (outputs share one folder)", stems[i]);
                rc = 1;
            }
    }
    for (size_t i = 0; i < in->n; i++) free(stems[i]);
    free(stems);
    return rc;
}

int cmd_degrade(int argc, char **argv)
{
    static const cli_option opts[] = {{"truth", 0, 1, OPT_TRUTH},   {"out", 'o', 1, OPT_OUT},
                                      {"level", 0, 1, OPT_LEVEL},   {"seed", 0, 1, OPT_SEED},
                                      {"copies", 'n', 1, OPT_N},    {"config", 0, 1, OPT_CONFIG},
                                      {"output-ppi", 0, 1, OPT_OPPI}, {"jobs", 'j', 1, OPT_JOBS},
                                      {"recursive", 'r', 0, OPT_REC}, {"quiet", 'q', 0, OPT_QUIET},
                                      {"help", 'h', 0, OPT_HELP},   TEMPLATE_READ_OPTIONS,
                                      {0}};
    degrade_job job;
    memset(&job, 0, sizeof job);
    mnt_latent_degrade_defaults(&job.lp);
    mnt_real_defaults(&job.rp);
    job.seed = 1;
    job.level = -1;
    job.copies = 1;
    long jobs = 1, copies = 1, oppi = 0;
    int recursive = 0;
    const char *config = NULL;
    const char *paths[4096];
    int npaths = 0;
    cli_parser p = {argc, argv, 0, 0, NULL};
    int id;
    while ((id = cli_next(&p, opts, "degrade")) != -1) {
        long v;
        switch (id) {
        case -2: return EXIT_USAGE;
        case 0:
            if (npaths == 4096) { cli_error(NULL, "degrade: too many arguments"); return EXIT_USAGE; }
            paths[npaths++] = p.arg;
            break;
        case OPT_HELP: fputs(HELP, stdout); return EXIT_OK;
        case OPT_TRUTH: job.truth_dir = p.arg; break;
        case OPT_OUT: job.outdir = p.arg; break;
        case OPT_LEVEL: {
            mnt_latent_level l;
            if (!strcmp(p.arg, "mixed")) job.level = -1;
            else if (mnt_level_from_name(p.arg, &l)) {
                cli_error(NULL, "degrade: --level expects good, bad, ugly or mixed, got '%s'", p.arg);
                return EXIT_USAGE;
            } else job.level = (int)l;
            break;
        }
        case OPT_SEED: if (!cli_int("degrade", "--seed", p.arg, 0, 1000000000000L, &v)) return EXIT_USAGE; job.seed = (unsigned long long)v; break;
        case OPT_N: if (!cli_int("degrade", "-n", p.arg, 1, 1000, &copies)) return EXIT_USAGE; break;
        case OPT_CONFIG: config = p.arg; break;
        case OPT_OPPI:
            if (!cli_int("degrade", "--output-ppi", p.arg, 500, 1000, &oppi)) return EXIT_USAGE;
            if (oppi != 500 && oppi != 1000) { cli_error(NULL, "degrade: --output-ppi expects 500 or 1000"); return EXIT_USAGE; }
            break;
        case OPT_JOBS: if (!cli_int("degrade", "-j", p.arg, 1, 256, &jobs)) return EXIT_USAGE; break;
        case OPT_REC: recursive = 1; break;
        case OPT_QUIET: job.quiet = 1; break;
        default: if (template_arg_apply(id, p.arg, &job.ro, "degrade") < 0) return EXIT_USAGE;
        }
    }
    job.copies = (int)copies;
    if (!job.truth_dir || !job.outdir || !npaths) {
        cli_error(NULL, "degrade: IMAGES, --truth DIR and -o DIR are required (see 'minutiae degrade --help')");
        return EXIT_USAGE;
    }
    mnt_diag d = {0};
    if (config) {
        int rc = mnt_latent_config_load(config, NULL, &job.lp, &job.rp, &d);
        if (rc) return cli_report(config, rc == MNT_ERR_NOTFOUND ? rc : MNT_ERR_CONFIG, &d);
    }
    if (oppi) job.lp.output_ppi = (int)oppi;
    input_list inputs = {0};
    char err[4400];
    for (int i = 0; i < npaths; i++)
        if (input_list_add(&inputs, paths[i], recursive, err, sizeof err)) {
            cli_error(NULL, "%s", err);
            input_list_free(&inputs);
            return EXIT_NOINPUT;
        }
    int uniq = check_unique(&inputs);
    if (uniq) {
        input_list_free(&inputs);
        if (uniq < 0) cli_error(NULL, "degrade: out of memory");
        return uniq < 0 ? EXIT_IOERR : EXIT_USAGE;
    }
    if (make_dirs(job.outdir) != 0) {
        cli_error(job.outdir, "cannot create the output folder: %s", strerror(errno));
        input_list_free(&inputs);
        return EXIT_CANTCREAT;
    }
    size_t n = inputs.n;
    job.inputs = &inputs;
    job.status = calloc(n ? n : 1, sizeof *job.status);
    job.written = calloc(n ? n : 1, sizeof *job.written);
    job.ms = calloc(n ? n : 1, sizeof *job.ms);
    job.errors = calloc(n ? n : 1, sizeof *job.errors);
    if (!job.status || !job.written || !job.ms || !job.errors) {
        free(job.status);
        free(job.written);
        free(job.ms);
        free(job.errors);
        input_list_free(&inputs);
        cli_error(NULL, "degrade: out of memory");
        return EXIT_IOERR;
    }
    double t0 = now_ms();
    parallel_for((int)jobs, n, degrade_one, &job);
    double wall = now_ms() - t0, busy = 0;
    int worst = EXIT_OK;
    size_t latents = 0, prints = 0, bad = 0;
    for (size_t i = 0; i < n; i++) {
        latents += job.written[i];
        if (job.status[i]) {
            fprintf(stderr, "minutiae: %s\n", job.errors[i]);
            int code = cli_exit_code(job.status[i]);
            if (code > worst) worst = code;
            bad++;
        } else {
            prints++;
            busy += job.ms[i];
        }
    }
    if (!job.quiet || bad)
        fprintf(stderr, "minutiae: degrade: %zu latents from %zu prints (%zu skipped) in %.1f s, %.0f ms per latent on one thread\n",
                latents, prints, bad, wall / 1e3, latents ? busy / (double)latents : 0.0);
    free(job.status);
    free(job.written);
    free(job.ms);
    free(job.errors);
    input_list_free(&inputs);
    return worst;
}
