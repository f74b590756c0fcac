/* minutiae eval: scores extractors' minutiae against ground truth. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "commands.h"
#include "eval.h"
#include "file_io.h"
#include "fs_util.h"
#include "image_io.h"
#include "plot.h"
#include "template_args.h"

static const char *HELP =
    "usage: minutiae eval --truth DIR --pred [LABEL=]DIR [OPTIONS]\n\n"
    "Pairs each truth file NAME<truth-ext> in the truth folder with NAME<pred-ext> in\n"
    "each prediction folder (other files are ignored) and scores the predictions over\n"
    "the whole set: one-to-one pairing (Hungarian), a pair counting at distance <= px\n"
    "(scaled by ppi / 500) and angle difference <= deg. Hidden truth minutiae are\n"
    "neither required nor penalised. Reports precision, recall and F1 of all predictions,\n"
    "the best F1 over a threshold on score (quality / 100 when a format has no score),\n"
    "type accuracy and median angle error on the pairs, location-only scores, per level.\n\n"
    "options:\n"
    "  --truth DIR        ground truth folder\n"
    "  --pred [L=]DIR     predictions folder; repeat to compare extractors (label L)\n"
    "  --truth-ext EXT    default .json\n"
    "  --pred-ext EXT     default .iso\n"
    "  --px N             distance tolerance at 500 ppi (default 15)\n"
    "  --deg N            angle tolerance (default 30; 360 = location only)\n"
    "  -o DIR             write DIR/eval.csv (per image) and DIR/pr.png\n"
    "  --json             summary as JSON\n"
    "  -q                 no summary on standard output (with -o: files only)\n"
    "  --lenient          read records with recoverable faults\n"
    "  --xyt-frame F      nist (default) or m1 for .xyt predictions (height from truth)\n"
    "  -h, --help         this help\n";

enum { OPT_TRUTH = 1, OPT_PRED, OPT_TEXT, OPT_PEXT, OPT_PX, OPT_DEG, OPT_OUT, OPT_JSON, OPT_QUIET, OPT_HELP };
enum { NTHR = 101, MAX_PRED = 8, MAX_LEVELS = 8 };

typedef struct {
    char name[64];
    mnt_eval_counts all, loc, thr[NTHR];
    double *angles;
    size_t nangles, capangles;
} eval_acc;

typedef struct {
    const char *label, *dir;
    eval_acc total, level[MAX_LEVELS];
    size_t missing, bad;
} extractor;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int list_names(const char *dir, const char *ext, char ***out, size_t *n)
{
    DIR *dp = opendir(dir);
    if (!dp) return -1;
    size_t cap = 64, k = 0;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(dp))) {
        if (!ends_with(e->d_name, ext)) continue;
        if (k == cap) {
            char **nn = realloc(names, (cap *= 2) * sizeof *nn);
            if (!nn) break;
            names = nn;
        }
        size_t len = strlen(e->d_name) - strlen(ext);
        names[k] = malloc(len + 1);
        if (!names[k]) break;
        memcpy(names[k], e->d_name, len);
        names[k++][len] = 0;
    }
    closedir(dp);
    if (!names) return -1;
    qsort(names, k, sizeof *names, cmp_str);
    *out = names;
    *n = k;
    return 0;
}

static void acc_angles(eval_acc *a, const double *ang, size_t n)
{
    if (n == 0) return;
    if (a->nangles + n > a->capangles) {
        size_t cap = (a->capangles + n) * 2;
        double *na = realloc(a->angles, cap * sizeof *na);
        if (!na) return;
        a->angles = na;
        a->capangles = cap;
    }
    memcpy(a->angles + a->nangles, ang, n * sizeof *ang);
    a->nangles += n;
}

static eval_acc *level_acc(extractor *x, const char *level)
{
    for (int i = 0; i < MAX_LEVELS; i++) {
        if (!x->level[i].name[0]) snprintf(x->level[i].name, sizeof x->level[i].name, "%s", level);
        if (!strcmp(x->level[i].name, level)) return &x->level[i];
    }
    return NULL;
}

typedef struct {
    double precision, recall, f1, best_f1, best_thr, type_acc, median_angle, loc_p, loc_r, loc_f1;
} summary;

static summary summarise(eval_acc *a)
{
    summary s = {0};
    mnt_eval_rates(&a->all, &s.precision, &s.recall, &s.f1);
    mnt_eval_rates(&a->loc, &s.loc_p, &s.loc_r, &s.loc_f1);
    s.best_f1 = -1;
    for (int k = 0; k < NTHR; k++) {
        double f;
        mnt_eval_rates(&a->thr[k], NULL, NULL, &f);
        if (f > s.best_f1) {
            s.best_f1 = f;
            s.best_thr = k / 100.0;
        }
    }
    s.type_acc = a->all.tp ? (double)a->all.type_correct / (double)a->all.tp : 0;
    if (a->nangles) {
        qsort(a->angles, a->nangles, sizeof *a->angles, cmp_double);
        size_t m = a->nangles / 2;
        s.median_angle = a->nangles % 2 ? a->angles[m] : 0.5 * (a->angles[m - 1] + a->angles[m]);
    }
    return s;
}

static void json_summary(mnt_buf *b, const summary *s, const eval_acc *a)
{
    mnt_buf_printf(b, "\"images_truth_minutiae\": %zu, \"predicted\": %zu, \"tp\": %zu, \"fp\": %zu, \"fn\": %zu, "
                      "\"precision\": %.4f, \"recall\": %.4f, \"f1\": %.4f, \"best_f1\": %.4f, \"best_threshold\": %.2f, "
                      "\"type_accuracy\": %.4f, \"median_angle_error\": %.2f, "
                      "\"location_only\": {\"precision\": %.4f, \"recall\": %.4f, \"f1\": %.4f}",
                   a->all.truth, a->all.predicted, a->all.tp, a->all.fp, a->all.fn, s->precision, s->recall, s->f1,
                   s->best_f1, s->best_thr, s->type_acc, s->median_angle, s->loc_p, s->loc_r, s->loc_f1);
}

static void text_summary(const char *label, const summary *s, const eval_acc *a)
{
    printf("%-12s P %.3f  R %.3f  F1 %.3f  | best F1 %.3f at %.2f | type acc %.3f, median angle err %.1f deg | "
           "location only F1 %.3f | truth %zu, pred %zu\n",
           label, s->precision, s->recall, s->f1, s->best_f1, s->best_thr, s->type_acc, s->median_angle, s->loc_f1,
           a->all.truth, a->all.predicted);
}

int cmd_eval(int argc, char **argv)
{
    static const cli_option opts[] = {{"truth", 0, 1, OPT_TRUTH}, {"pred", 0, 1, OPT_PRED}, {"truth-ext", 0, 1, OPT_TEXT},
                                      {"pred-ext", 0, 1, OPT_PEXT}, {"px", 0, 1, OPT_PX},    {"deg", 0, 1, OPT_DEG},
                                      {"out", 'o', 1, OPT_OUT},     {"json", 0, 0, OPT_JSON}, {"help", 'h', 0, OPT_HELP},
                                      {"quiet", 'q', 0, OPT_QUIET}, TEMPLATE_READ_OPTIONS,         {0}};
    const char *truth_dir = NULL, *truth_ext = ".json", *pred_ext = ".iso", *outdir = NULL;
    double px = 15, deg = 30;
    int json = 0, quiet = 0, id;
    extractor *ex = calloc(MAX_PRED, sizeof *ex);
    size_t nex = 0;
    mnt_read_opts ro = {0};
    cli_parser p = {argc, argv, 0, 0, NULL};
    int rc_exit = EXIT_OK;
    char **names = NULL;
    size_t nnames = 0;
    if (!ex) return EXIT_IOERR;
    while ((id = cli_next(&p, opts, "eval")) != -1) {
        switch (id) {
        case -2: rc_exit = EXIT_USAGE; goto done;
        case 0: cli_error(NULL, "eval: unexpected argument '%s'", p.arg); rc_exit = EXIT_USAGE; goto done;
        case OPT_HELP: fputs(HELP, stdout); goto done;
        case OPT_QUIET: quiet = 1; break;
        case OPT_TRUTH: truth_dir = p.arg; break;
        case OPT_PRED: {
            if (nex == MAX_PRED) { cli_error(NULL, "eval: at most %d --pred folders", MAX_PRED); rc_exit = EXIT_USAGE; goto done; }
            const char *eq = strchr(p.arg, '=');
            ex[nex].dir = eq ? eq + 1 : p.arg;
            ex[nex].label = p.arg;
            if (eq) {
                static char labels[MAX_PRED][64];
                snprintf(labels[nex], sizeof labels[nex], "%.*s", (int)(eq - p.arg), p.arg);
                ex[nex].label = labels[nex];
            }
            nex++;
            break;
        }
        case OPT_TEXT: truth_ext = p.arg; break;
        case OPT_PEXT: pred_ext = p.arg; break;
        case OPT_PX: if (!cli_double("eval", "--px", p.arg, 0.5, 500, &px)) { rc_exit = EXIT_USAGE; goto done; } break;
        case OPT_DEG: if (!cli_double("eval", "--deg", p.arg, 0, 360, &deg)) { rc_exit = EXIT_USAGE; goto done; } break;
        case OPT_OUT: outdir = p.arg; break;
        case OPT_JSON: json = 1; break;
        default:
            if (template_arg_apply(id, p.arg, &ro, "eval") < 0) { rc_exit = EXIT_USAGE; goto done; }
        }
    }
    if (!truth_dir || !nex) {
        cli_error(NULL, "eval: --truth DIR and at least one --pred DIR are required (see 'minutiae eval --help')");
        rc_exit = EXIT_USAGE;
        goto done;
    }
    if (list_names(truth_dir, truth_ext, &names, &nnames) != 0) {
        cli_error(truth_dir, "cannot read the truth folder: %s", strerror(errno));
        rc_exit = EXIT_NOINPUT;
        goto done;
    }
    for (size_t x = 0; x < nex; x++)
        if (!is_directory(ex[x].dir)) {
            cli_error(ex[x].dir, "prediction folder not found");
            rc_exit = EXIT_NOINPUT;
            goto done;
        }
    if (nnames == 0) {
        cli_error(truth_dir, "no truth files ending in '%s'", truth_ext);
        rc_exit = EXIT_NOINPUT;
        goto done;
    }
    mnt_buf csv = {0};
    mnt_buf_printf(&csv, "extractor,image,level,truth,predicted,tp,fp,fn,precision,recall,f1,status\n");
    for (size_t i = 0; i < nnames; i++) {
        char path[4096];
        mnt_template truth;
        mnt_diag d = {0};
        join_path(path, sizeof path, truth_dir, names[i], truth_ext);
        int rc = mnt_template_read_file(path, &ro, NULL, &truth, &d);
        if (rc) {
            cli_report(path, rc, &d);
            rc_exit = EXIT_DATAERR;
            continue;
        }
        double ppi = mnt_template_ppi(&truth);
        mnt_eval_tolerance tol = {px * (ppi > 0 ? ppi / 500.0 : 1.0), deg}, loc = {tol.max_px, 360};
        const char *level = truth.level[0] ? truth.level : "all";
        for (size_t x = 0; x < nex; x++) {
            mnt_template pred;
            mnt_read_opts po = ro;
            po.height = truth.height;
            po.width = truth.width;
            mnt_diag pd = {0};
            join_path(path, sizeof path, ex[x].dir, names[i], pred_ext);
            const char *status = "ok";
            if (!file_exists(path)) {
                status = "missing";
                ex[x].missing++;
                mnt_template_init(&pred);
            } else if ((rc = mnt_template_read_file(path, &po, NULL, &pred, &pd))) {
                cli_report(path, rc, &pd);
                status = "unreadable";
                ex[x].bad++;
                rc_exit = EXIT_DATAERR;
                mnt_template_init(&pred);
            }
            eval_acc *targets[2] = {&ex[x].total, level_acc(&ex[x], level)};
            mnt_eval_counts c, cl, ct;
            double *ang = malloc((pred.views[0].n + 1) * sizeof *ang);
            size_t nang = 0;
            mnt_eval_pair(&truth.views[0], &pred.views[0], &tol, -1, &c, ang, &nang);
            mnt_eval_pair(&truth.views[0], &pred.views[0], &loc, -1, &cl, NULL, NULL);
            for (int t = 0; t < 2; t++) {
                if (!targets[t]) continue;
                mnt_eval_add(&targets[t]->all, &c);
                mnt_eval_add(&targets[t]->loc, &cl);
                if (ang) acc_angles(targets[t], ang, nang);
            }
            for (int k = 0; k < NTHR; k++) {
                mnt_eval_pair(&truth.views[0], &pred.views[0], &tol, k / 100.0 - 1e-9, &ct, NULL, NULL);
                for (int t = 0; t < 2; t++)
                    if (targets[t]) mnt_eval_add(&targets[t]->thr[k], &ct);
            }
            free(ang);
            double pr, re, f1;
            mnt_eval_rates(&c, &pr, &re, &f1);
            mnt_buf_printf(&csv, "%s,%s,%s,%zu,%zu,%zu,%zu,%zu,%.4f,%.4f,%.4f,%s\n", ex[x].label, names[i], level, c.truth,
                           c.predicted, c.tp, c.fp, c.fn, pr, re, f1, status);
            mnt_template_free(&pred);
        }
        mnt_template_free(&truth);
    }

    mnt_buf out = {0};
    if (json) mnt_buf_printf(&out, nex > 1 ? "{\"extractors\": [\n" : "");
    for (size_t x = 0; x < nex && !quiet; x++) {
        summary s = summarise(&ex[x].total);
        if (json) {
            mnt_buf_printf(&out, "{\"label\": ");
            mnt_buf_json_string(&out, ex[x].label);
            mnt_buf_printf(&out, ", \"images\": %zu, \"missing\": %zu, \"unreadable\": %zu, ", nnames, ex[x].missing, ex[x].bad);
            json_summary(&out, &s, &ex[x].total);
            mnt_buf_printf(&out, ", \"per_level\": {");
            int first = 1;
            for (int l = 0; l < MAX_LEVELS && ex[x].level[l].name[0]; l++) {
                summary ls = summarise(&ex[x].level[l]);
                mnt_buf_printf(&out, "%s", first ? "" : ", ");
                mnt_buf_json_string(&out, ex[x].level[l].name);
                mnt_buf_printf(&out, ": {");
                json_summary(&out, &ls, &ex[x].level[l]);
                mnt_buf_printf(&out, "}");
                first = 0;
            }
            mnt_buf_printf(&out, "}}%s\n", x + 1 < nex ? "," : "");
        } else {
            printf("%s: %zu images (%zu missing, %zu unreadable), %.0f px / %.0f deg\n", ex[x].label, nnames,
                   ex[x].missing, ex[x].bad, px, deg);
            text_summary("all", &s, &ex[x].total);
            for (int l = 0; l < MAX_LEVELS && ex[x].level[l].name[0]; l++) {
                summary ls = summarise(&ex[x].level[l]);
                text_summary(ex[x].level[l].name, &ls, &ex[x].level[l]);
            }
        }
    }
    if (json && !quiet) {
        if (nex > 1) mnt_buf_printf(&out, "]}\n");
        fwrite(out.data, 1, out.len, stdout);
    }
    mnt_buf_free(&out);

    if (outdir) {
        char path[4096];
        mnt_diag d = {0};
        if (make_dirs(outdir) != 0) {
            cli_error(outdir, "cannot create the report folder: %s", strerror(errno));
            rc_exit = EXIT_CANTCREAT;
        } else {
            join_path(path, sizeof path, outdir, "eval.csv", NULL);
            int rc = mnt_write_file_atomic(path, csv.data, csv.len, &d);
            if (rc) rc_exit = cli_report(path, rc, &d);
            mnt_pr_series series[MAX_PRED];
            double rec[MAX_PRED][NTHR], prec[MAX_PRED][NTHR];
            for (size_t x = 0; x < nex; x++) {
                summary s = summarise(&ex[x].total);
                size_t k = 0;
                for (int t = 0; t < NTHR; t++) {
                    if (!ex[x].total.thr[t].predicted) continue; /* no point without predictions */
                    mnt_eval_rates(&ex[x].total.thr[t], &prec[x][k], &rec[x][k], NULL);
                    k++;
                }
                mnt_eval_counts best = ex[x].total.thr[(int)lround(s.best_thr * 100)];
                double bp, br;
                mnt_eval_rates(&best, &bp, &br, NULL);
                series[x] = (mnt_pr_series){ex[x].label, k, rec[x], prec[x], br, bp};
            }
            mnt_rgb_image plot;
            char title[160];
            snprintf(title, sizeof title, "precision-recall, %.0f px / %.0f deg", px, deg);
            rc = mnt_plot_pr(series, nex, title, &plot, &d);
            if (!rc) {
                join_path(path, sizeof path, outdir, "pr.png", NULL);
                rc = mnt_rgb_write_png(path, &plot, &d);
                mnt_rgb_free(&plot);
            }
            if (rc) rc_exit = cli_report(path, rc, &d);
        }
    }
    mnt_buf_free(&csv);
done:
    for (size_t x = 0; x < nex; x++) {
        free(ex[x].total.angles);
        for (int l = 0; l < MAX_LEVELS; l++) free(ex[x].level[l].angles);
    }
    free(ex);
    for (size_t i = 0; i < nnames; i++) free(names[i]);
    free(names);
    return rc_exit;
}
