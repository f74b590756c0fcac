/* minutiae patches: labelled patch sets from images and their truth. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rng.h"
#include "commands.h"
#include "fs_util.h"
#include "image_io.h"
#include "detect.h"
#include "input_list.h"
#include "model_file.h"
#include "patchset_file.h"
#include "template_args.h"
#include "train_config.h"
#include "truth_lookup.h"

static const char *HELP =
    "usage: minutiae patches IMAGES... --truth DIR -o SET [OPTIONS]\n\n"
    "Cuts labelled patches for training: positives centred near each visible true\n"
    "minutia (with random rotations, mirroring and photometric changes, plus copies\n"
    "rotated into the local ridge orientation for the type and direction heads),\n"
    "negatives away from every true minutia, drawn from the print, its ridge areas and\n"
    "the background clutter. Hidden minutiae are neither positives nor negatives.\n"
    "IMAGES are files or folders (-r to recurse). The truth of NAME.png is NAME.json,\n"
    ".iso, .ansi, .iso2011, .xyt or .mnt in the truth folder (first found); NAME.mask.png\n"
    "beside the image, when present, is its foreground.\n\n"
    "options:\n"
    "  --truth DIR        truth folder\n"
    "  -o SET             output patch-set file\n"
    "  --config FILE      patches.yaml (see models/patches.yaml)\n"
    "  --seed S           sampling seed (default 1)\n"
    "  -r                 recurse into folders\n"
    "  --hard-negatives MODEL  also add the false detections of MODEL on each image\n"
    "                     (score >= --hard-threshold, default 0.3, at least --hard-radius\n"
    "                     pixels, default 15, from every true minutia) as negatives\n"
    TEMPLATE_READ_HELP
    "  --unlabelled N     no truth: N patches per image at random inside the segmented\n"
    "                     region, for the autoencoder's terms only (real latents and\n"
    "                     unlabelled prints; the heads and the group term ignore them)\n"
    "  -q                 quiet\n"
    "  -h, --help         this help\n";

enum { OPT_TRUTH = 1, OPT_OUT, OPT_CONFIG, OPT_SEED, OPT_REC, OPT_QUIET, OPT_HELP, OPT_HARD, OPT_HARDTHR, OPT_HARDRAD, OPT_UNLAB };

int cmd_patches(int argc, char **argv)
{
    static const cli_option opts[] = {{"truth", 0, 1, OPT_TRUTH}, {"out", 'o', 1, OPT_OUT},   {"config", 0, 1, OPT_CONFIG},
                                      {"seed", 0, 1, OPT_SEED},   {"recursive", 'r', 0, OPT_REC}, {"quiet", 'q', 0, OPT_QUIET},
                                      {"help", 'h', 0, OPT_HELP}, {"hard-negatives", 0, 1, OPT_HARD},
                                      {"hard-threshold", 0, 1, OPT_HARDTHR}, {"hard-radius", 0, 1, OPT_HARDRAD}, {"unlabelled", 0, 1, OPT_UNLAB},
                                      TEMPLATE_READ_OPTIONS, {0}};
    const char *truth_dir = NULL, *out = NULL, *config = NULL, *hard_model = NULL;
    double hard_thr = 0.3, hard_radius = 15;
    long seed = 1, unlabelled = 0;
    int recursive = 0, quiet = 0, id;
    mnt_read_opts ro = {0};
    input_list inputs = {0};
    char err[4400];
    cli_parser p = {argc, argv, 0, 0, NULL};
    const char *paths[4096];
    int npaths = 0;
    while ((id = cli_next(&p, opts, "patches")) != -1) {
        switch (id) {
        case -2: return EXIT_USAGE;
        case 0:
            if (npaths == 4096) { cli_error(NULL, "patches: too many arguments"); return EXIT_USAGE; }
            paths[npaths++] = p.arg;
            break;
        case OPT_HELP: fputs(HELP, stdout); return EXIT_OK;
        case OPT_TRUTH: truth_dir = p.arg; break;
        case OPT_OUT: out = p.arg; break;
        case OPT_CONFIG: config = p.arg; break;
        case OPT_SEED: if (!cli_int("patches", "--seed", p.arg, 0, 1000000000000L, &seed)) return EXIT_USAGE; break;
        case OPT_REC: recursive = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_HARD: hard_model = p.arg; break;
        case OPT_HARDTHR: if (!cli_double("patches", "--hard-threshold", p.arg, 0, 1, &hard_thr)) return EXIT_USAGE; break;
        case OPT_UNLAB: if (!cli_int("patches", "--unlabelled", p.arg, 1, 100000, &unlabelled)) return EXIT_USAGE; break;
        case OPT_HARDRAD: if (!cli_double("patches", "--hard-radius", p.arg, 1, 200, &hard_radius)) return EXIT_USAGE; break;
        default: if (template_arg_apply(id, p.arg, &ro, "patches") < 0) return EXIT_USAGE;
        }
    }
    if ((!truth_dir && !unlabelled) || !out || !npaths) {
        cli_error(NULL, "patches: IMAGES, --truth DIR (or --unlabelled N) and -o SET are required (see 'minutiae patches --help')");
        return EXIT_USAGE;
    }
    if (unlabelled && (truth_dir || hard_model)) {
        cli_error(NULL, "patches: --unlabelled takes no --truth and no --hard-negatives");
        return EXIT_USAGE;
    }
    mnt_patch_params pp;
    mnt_patch_defaults(&pp);
    mnt_diag d = {0};
    if (config) {
        int rc = mnt_patch_params_load(config, &pp, &d);
        if (rc) return cli_report(config, rc == MNT_ERR_NOTFOUND ? rc : MNT_ERR_CONFIG, &d);
    }
    mnt_model hard;
    memset(&hard, 0, sizeof hard);
    if (hard_model) {
        int rc = mnt_model_read(hard_model, &hard, &d);
        if (rc) return cli_report(hard_model, rc, &d);
        if (hard.patch_size != pp.size || hard.grid != pp.grid || hard.ridge_sigma != pp.ridge_sigma ||
            hard.orientation_sigma != pp.orientation_sigma || hard.context != pp.context) {
            mnt_model_free(&hard);
            cli_error(hard_model, "model patches %d/%d (ridge smoothing %g, orientation smoothing %g, context %d) differ from the sampling's "
                                  "%d/%d (%g, %g, %d)", hard.patch_size, hard.grid, hard.ridge_sigma, hard.orientation_sigma,
                      hard.context, pp.size, pp.grid, pp.ridge_sigma, pp.orientation_sigma, pp.context);
            return EXIT_CONFIG;
        }
    }
    size_t hard_added = 0;
    for (int i = 0; i < npaths; i++)
        if (input_list_add(&inputs, paths[i], recursive, err, sizeof err)) {
            cli_error(NULL, "%s", err);
            input_list_free(&inputs);
            return EXIT_NOINPUT;
        }
    mnt_patch_set set;
    mnt_patch_set_init(&set, pp.size, pp.grid);
    set.ridge_sigma = pp.ridge_sigma;
    set.orientation_sigma = pp.orientation_sigma;
    set.context = pp.context;
    int worst = EXIT_OK;
    size_t used = 0;
    for (size_t i = 0; i < inputs.n; i++) {
        const char *img_path = inputs.items[i].path;
        char stem[1024], tpath[4096], mpath[4096];
        input_stem(img_path, stem, sizeof stem);
        mnt_image im;
        mnt_diag id2 = {0};
        int rc = mnt_image_read(img_path, (size_t)16384 * 16384, &im, &id2);
        if (rc) {
            cli_report(img_path, rc, &id2);
            worst = EXIT_DATAERR;
            continue;
        }
        /* unlabelled images have neither truth nor mask */
        mnt_template truth;
        memset(&truth, 0, sizeof truth);
        int found = unlabelled ? 1 : truth_lookup(truth_dir, stem, &ro, im.width, im.height, &truth, tpath, sizeof tpath, &id2);
        if (found <= 0) {
            if (found < 0) cli_report(tpath, found, &id2);
            else cli_error(img_path, "no truth file %s/%s." TRUTH_LOOKUP_EXTS, truth_dir, stem);
            worst = EXIT_DATAERR;
            mnt_image_free(&im);
            continue;
        }
        /* the foreground mask beside the image */
        uint8_t *mask = NULL;
        snprintf(mpath, sizeof mpath, "%.*s.mask.png", (int)(strlen(img_path) - strlen(strrchr(img_path, '.'))), img_path);
        if (!unlabelled && file_exists(mpath)) {
            mnt_image mi;
            if (mnt_image_read(mpath, (size_t)16384 * 16384, &mi, &id2) == 0 && mi.width == im.width && mi.height == im.height) {
                mask = malloc((size_t)im.width * im.height);
                if (mask)
                    for (size_t q = 0; q < (size_t)im.width * im.height; q++) mask[q] = mi.px[q] > 0.5f;
            } else {
                cli_error(mpath, "warning: unreadable or of another size; ignored");
            }
            mnt_image_free(&mi);
        }
        uint32_t src;
        mnt_rng rng;
        mnt_rng_seed(&rng, mnt_rng_mix64((uint64_t)seed * 1000003u + i), 0x9A7C);
        size_t before = set.n;
        rc = mnt_patch_set_add_source(&set, inputs.items[i].rel, &src);
        if (!rc)
            rc = unlabelled ? mnt_patch_sample_unlabelled(&pp, &im, (size_t)unlabelled, src, &rng, &set, &id2)
                            : mnt_patch_sample(&pp, &im, mask, &truth.views[0], src, &rng, &set, &id2);
        if (!rc && hard_model) {
            /* the model's detections that are no true minutia become negatives */
            mnt_detector det = mnt_model_detector(&hard);
            det.threshold = hard_thr;
            mnt_detection r;
            rc = mnt_detect(&det, &im, NULL, &r, &id2); /* segmented, as at extraction */
            if (!rc) {
                double *xy = malloc((r.minutiae.n + 1) * 2 * sizeof *xy);
                size_t added = 0;
                if (!xy) rc = mnt_fail(&id2, MNT_ERR_NOMEM, "out of memory");
                else {
                    for (size_t k = 0; k < r.minutiae.n; k++) {
                        xy[2 * k] = r.minutiae.m[k].x;
                        xy[2 * k + 1] = r.minutiae.m[k].y;
                    }
                    rc = mnt_patch_add_negatives_at(&pp, &im, &truth.views[0], xy, r.minutiae.n, hard_radius, src, &rng,
                                                    &set, &added, &id2);
                    hard_added += added;
                    free(xy);
                }
                mnt_detection_free(&r);
            }
        }
        free(mask);
        mnt_template_free(&truth);
        mnt_image_free(&im);
        if (rc) {
            cli_report(img_path, rc, &id2);
            mnt_patch_set_free(&set);
            input_list_free(&inputs);
            mnt_model_free(&hard);
            return cli_exit_code(rc);
        }
        used++;
        if (!quiet)
            fprintf(stderr, "minutiae: patches: %s: %zu %spatches\n", inputs.items[i].rel, set.n - before,
                    unlabelled ? "unlabelled " : "");
    }
    input_list_free(&inputs);
    mnt_model_free(&hard);
    size_t pos = 0, oriented = 0, unlab = 0;
    for (size_t i = 0; i < set.n; i++) {
        pos += set.p[i].cls == MNT_PATCH_MINUTIA && set.p[i].frame == MNT_FRAME_IMAGE;
        oriented += set.p[i].frame == MNT_FRAME_RIDGE;
        unlab += set.p[i].cls == MNT_PATCH_UNLABELLED;
    }
    int rc = mnt_patchset_write(out, &set, &d);
    if (rc) {
        mnt_patch_set_free(&set);
        return cli_report(out, rc, &d);
    }
    if (unlab)
        fprintf(stderr, "minutiae: patches: %s: %zu unlabelled patches from %zu images\n", out, unlab, used);
    else
        fprintf(stderr, "minutiae: patches: %s: %zu patches from %zu images (%zu minutia, %zu non-minutia of which %zu hard, %zu ridge-frame)\n",
                out, set.n, used, pos, set.n - pos - oriented, hard_added, oriented);
    mnt_patch_set_free(&set);
    return worst;
}
