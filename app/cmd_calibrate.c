/* minutiae calibrate: sets a model's shipped threshold to the best-F1 threshold on a
 * validation set, so score and quality are calibrated against truth. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "eval.h"
#include "extract_job.h"
#include "fs_util.h"
#include "input_list.h"
#include "parallel.h"
#include "template_args.h"

static const char *HELP =
    "usage: minutiae calibrate MODEL IMAGES... --truth DIR -o OUT_MODEL [--px 15] [--deg 30] [-j N]\n\n"
    "Detects minutiae on IMAGES with every peak kept, scores them against the truth\n"
    "(NAME.json in DIR) at thresholds 0.00..1.00 and writes OUT_MODEL: the same weights\n"
    "with detection.threshold set to the best-F1 threshold and a calibration section\n"
    "in the model card. Use images that were not used for training.\n\n"
    "options:\n"
    "  --truth DIR        ground truth folder (NAME.json)\n"
    "  -o OUT_MODEL       the calibrated model\n"
    "  --px N, --deg N    pairing tolerances (default 15 px at 500 ppi, 30 degrees)\n"
    "  -j N               images in parallel (default 1)\n"
    "  -q                 print nothing but errors\n"
    "  -h, --help         this help\n";

enum { OPT_TRUTH = 1, OPT_OUT, OPT_PX, OPT_DEG, OPT_JOBS, OPT_QUIET, OPT_HELP };
enum { NTHR = 101 };

typedef struct {
    extract_settings s;
    input_list *in;
    mnt_view *found;
    extract_result *res;
} cal_ctx;

static void detect_one(void *ctx, size_t i)
{
    cal_ctx *c = ctx;
    extract_image(&c->s, c->in->items[i].path, &c->res[i], &c->found[i], NULL);
}

int cmd_calibrate(int argc, char **argv)
{
    static const cli_option opts[] = {{"truth", 0, 1, OPT_TRUTH}, {"out", 'o', 1, OPT_OUT}, {"px", 0, 1, OPT_PX},
                                      {"deg", 0, 1, OPT_DEG},     {"jobs", 'j', 1, OPT_JOBS}, {"quiet", 'q', 0, OPT_QUIET},
                                      {"help", 'h', 0, OPT_HELP}, {0}};
    const char *truth = NULL, *out = NULL, *pos[4096];
    int npos = 0, id, quiet = 0;
    double px = 15, deg = 30;
    long jobs = 1;
    cli_parser p = {argc, argv, 0, 0, NULL};
    while ((id = cli_next(&p, opts, "calibrate")) != -1) {
        switch (id) {
        case -2: return EXIT_USAGE;
        case 0:
            if (npos == 4096) return EXIT_USAGE;
            pos[npos++] = p.arg;
            break;
        case OPT_HELP: fputs(HELP, stdout); return EXIT_OK;
        case OPT_QUIET: quiet = 1; break;
        case OPT_TRUTH: truth = p.arg; break;
        case OPT_OUT: out = p.arg; break;
        case OPT_PX: if (!cli_double("calibrate", "--px", p.arg, 0.5, 500, &px)) return EXIT_USAGE; break;
        case OPT_DEG: if (!cli_double("calibrate", "--deg", p.arg, 0, 360, &deg)) return EXIT_USAGE; break;
        case OPT_JOBS: if (!cli_int("calibrate", "-j", p.arg, 1, 256, &jobs)) return EXIT_USAGE; break;
        }
    }
    if (npos < 2 || !truth || !out) {
        fputs(HELP, stderr);
        return EXIT_USAGE;
    }
    mnt_diag d = {0};
    mnt_model model;
    char name[4200], sha[65];
    int rc = extract_load_model(pos[0], &model, name, sizeof name, sha, &d);
    if (rc) return cli_report(pos[0], rc, &d);
    input_list in = {0};
    char err[4400];
    for (int i = 1; i < npos; i++)
        if (input_list_add(&in, pos[i], 0, err, sizeof err)) {
            cli_error(NULL, "%s", err);
            mnt_model_free(&model);
            input_list_free(&in);
            return EXIT_NOINPUT;
        }
    cal_ctx c = {.in = &in, .found = calloc(in.n + 1, sizeof(mnt_view)), .res = calloc(in.n + 1, sizeof(extract_result))};
    extract_settings_from_model(&c.s, &model);
    c.s.threshold = 0.0; /* every peak, scored at each threshold below */
    if (!c.found || !c.res) {
        mnt_model_free(&model);
        input_list_free(&in);
        return EXIT_IOERR;
    }
    parallel_for((int)jobs, in.n, detect_one, &c);
    mnt_eval_counts acc[NTHR];
    memset(acc, 0, sizeof acc);
    size_t used = 0;
    for (size_t i = 0; i < in.n; i++) {
        char stem[1024], tpath[4200];
        input_stem(in.items[i].path, stem, sizeof stem);
        join_path(tpath, sizeof tpath, truth, stem, ".json");
        mnt_template t;
        if (c.res[i].status) {
            cli_error(NULL, "%s", c.res[i].error);
            continue;
        }
        if ((rc = mnt_template_read_file(tpath, NULL, NULL, &t, &d))) {
            cli_report(tpath, rc, &d);
            continue;
        }
        mnt_eval_tolerance tol = {px * mnt_template_ppi(&t) / 500.0, deg};
        for (int k = 0; k < NTHR; k++) {
            mnt_eval_counts ct;
            mnt_eval_pair(&t.views[0], &c.found[i], &tol, k / 100.0 - 1e-9, &ct, NULL, NULL);
            mnt_eval_add(&acc[k], &ct);
        }
        mnt_template_free(&t);
        used++;
    }
    int best = 0;
    double best_f1 = -1, bp = 0, br = 0;
    for (int k = 0; k < NTHR; k++) {
        double pr, re, f1;
        mnt_eval_rates(&acc[k], &pr, &re, &f1);
        if (f1 > best_f1) { best_f1 = f1; best = k; bp = pr; br = re; }
    }
    model.threshold = best / 100.0;
    /* keep the provenance sections of the card, add the calibration */
    const char *tail = mnt_model_card_provenance(model.card);
    char *prov = malloc(strlen(tail) + 512);
    if (!prov) rc = MNT_ERR_NOMEM;
    else {
        const char *old_cal = strstr(tail, "calibration:\n");
        size_t keep = old_cal ? (size_t)(old_cal - tail) : strlen(tail);
        memcpy(prov, tail, keep);
        snprintf(prov + keep, 512, "calibration:\n  images: %zu\n  tolerance_px: %.1f\n  tolerance_deg: %.1f\n  best_f1: %.4f\n"
                                   "  precision: %.4f\n  recall: %.4f\n  threshold: %.2f\n", used, px, deg, best_f1, bp, br, model.threshold);
        rc = mnt_model_make_card(&model, prov, &d);
        if (!rc) rc = mnt_model_write(out, &model, 0, &d);
        free(prov);
    }
    for (size_t i = 0; i < in.n; i++) free(c.found[i].m);
    free(c.found);
    free(c.res);
    input_list_free(&in);
    mnt_model_free(&model);
    if (rc) return cli_report(out, rc, &d);
    if (!quiet) printf("calibrated on %zu images: best F1 %.4f (precision %.4f, recall %.4f) at threshold %.2f -> %s\n", used, best_f1, bp, br,
           best / 100.0, out);
    return used ? EXIT_OK : EXIT_DATAERR;
}
