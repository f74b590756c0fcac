/* minutiae synth: synthetic latent prints with exact ground truth. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cli.h"
#include "rng.h"
#include "fs_util.h"
#include "latent.h"
#include "latent_files.h"
#include "parallel.h"
#include "synth_config.h"

static const char *HELP =
    "usage: minutiae synth -o DIR [OPTIONS]\n\n"
    "Makes synthetic latent fingerprints at 500 ppi (1000 with output.ppi in the config)\n"
    "with exact minutiae. Per print NAME:\n"
    "NAME.png (the latent), NAME.json (truth: every minutia, \"hidden\": true where the\n"
    "latent hides it, plus \"level\" and \"class\"), NAME.iso (visible truth, ISO/IEC\n"
    "19794-2:2005) and NAME.mask.png (visible area). The same seed gives identical files.\n\n"
    "options:\n"
    "  -o DIR            output folder (created if missing)\n"
    "  -n N              number of prints (default 1)\n"
    "  --seed S          first seed; print i uses S + i (default 1)\n"
    "  --size WxH        print size in pixels (default 640x640)\n"
    "  --level L         good | bad | ugly (default: cycle through the three)\n"
    "  --clean           write the clean prints instead of latents (level \"clean\")\n"
    "  --config FILE     YAML settings (see samples/synth.yaml for every key)\n"
    "  --prefix NAME     file name prefix (default \"latent\"; names are PREFIX_SEED)\n"
    "  -j N              threads (default 1)\n"
    "  -q                no progress lines\n"
    "  -h, --help        this help\n";

enum { OPT_OUT = 1, OPT_N, OPT_SEED, OPT_SIZE, OPT_LEVEL, OPT_CLEAN, OPT_CONFIG, OPT_PREFIX, OPT_JOBS, OPT_QUIET, OPT_HELP };

typedef struct {
    mnt_synth_params sp;
    mnt_latent_params lp;
    const char *outdir, *prefix;
    unsigned long long seed;
    int level; /* -1 = cycle */
    int clean, quiet;
    int *status;   /* per print exit code */
    char (*errors)[400];
} synth_job;

static void make_one(void *ctx, size_t i)
{
    synth_job *job = ctx;
    unsigned long long seed = job->seed + i;
    char name[256];
    snprintf(name, sizeof name, "%s_%06llu", job->prefix, seed);
    mnt_synth_print s;
    mnt_diag d = {0};
    int rc = mnt_synth_print_make(&job->sp, mnt_rng_mix64(seed), &s, &d);
    if (rc) {
        job->status[i] = rc;
        snprintf(job->errors[i], sizeof job->errors[i], "%s: %s", name, mnt_diag_message(&d, rc));
        return;
    }
    if (job->clean) {
        snprintf(s.truth.level, sizeof s.truth.level, "clean");
        rc = latent_files_write(job->outdir, name, &s.image, s.foreground, &s.truth, job->errors[i], sizeof job->errors[i]);
    } else {
        mnt_latent_level level = job->level >= 0 ? (mnt_latent_level)job->level : (mnt_latent_level)(seed % MNT_LEVEL_COUNT);
        mnt_latent lat;
        rc = mnt_latent_render(&job->lp, level, &s, mnt_rng_mix64(seed ^ 0xA5A5A5A5ULL), &lat, &d);
        if (rc) {
            snprintf(job->errors[i], sizeof job->errors[i], "%s: %s", name, mnt_diag_message(&d, rc));
        } else {
            snprintf(s.truth.level, sizeof s.truth.level, "%s", mnt_level_name(level));
            rc = latent_files_write(job->outdir, name, &lat.image, lat.visible, &s.truth, job->errors[i],
                                    sizeof job->errors[i]);
            mnt_latent_free(&lat);
        }
    }
    job->status[i] = rc;
    if (!rc && !job->quiet) fprintf(stderr, "minutiae: synth: %s (%s, %s)\n", name, s.truth.cls, s.truth.level);
    mnt_synth_print_free(&s);
}

int cmd_synth(int argc, char **argv)
{
    static const cli_option opts[] = {{"out", 'o', 1, OPT_OUT},         {"count", 'n', 1, OPT_N},
                                      {"seed", 0, 1, OPT_SEED},         {"size", 0, 1, OPT_SIZE},
                                      {"level", 0, 1, OPT_LEVEL},       {"clean", 0, 0, OPT_CLEAN},
                                      {"config", 0, 1, OPT_CONFIG},     {"prefix", 0, 1, OPT_PREFIX},
                                      {"jobs", 'j', 1, OPT_JOBS},       {"quiet", 'q', 0, OPT_QUIET},
                                      {"help", 'h', 0, OPT_HELP},       {0}};
    synth_job job;
    memset(&job, 0, sizeof job);
    mnt_synth_defaults(&job.sp);
    mnt_latent_defaults(&job.lp);
    job.prefix = "latent";
    job.seed = 1;
    job.level = -1;
    long count = 1, jobs = 1;
    const char *config = NULL, *size = NULL;
    cli_parser p = {argc, argv, 0, 0, NULL};
    int id;
    while ((id = cli_next(&p, opts, "synth")) != -1) {
        long v;
        switch (id) {
        case -2: return EXIT_USAGE;
        case 0: cli_error(NULL, "synth: unexpected argument '%s'", p.arg); return EXIT_USAGE;
        case OPT_HELP: fputs(HELP, stdout); return EXIT_OK;
        case OPT_OUT: job.outdir = p.arg; break;
        case OPT_N: if (!cli_int("synth", "-n", p.arg, 1, 1000000, &count)) return EXIT_USAGE; break;
        case OPT_SEED: if (!cli_int("synth", "--seed", p.arg, 0, 1000000000000L, &v)) return EXIT_USAGE; job.seed = (unsigned long long)v; break;
        case OPT_SIZE: size = p.arg; break;
        case OPT_LEVEL: {
            mnt_latent_level l;
            if (mnt_level_from_name(p.arg, &l)) { cli_error(NULL, "synth: --level expects good, bad or ugly, got '%s'", p.arg); return EXIT_USAGE; }
            job.level = (int)l;
            break;
        }
        case OPT_CLEAN: job.clean = 1; break;
        case OPT_CONFIG: config = p.arg; break;
        case OPT_PREFIX: job.prefix = p.arg; break;
        case OPT_JOBS: if (!cli_int("synth", "-j", p.arg, 1, 256, &jobs)) return EXIT_USAGE; break;
        case OPT_QUIET: job.quiet = 1; break;
        }
    }
    if (!job.outdir) {
        cli_error(NULL, "synth: -o DIR is required (see 'minutiae synth --help')");
        return EXIT_USAGE;
    }
    if (strchr(job.prefix, '/') || !job.prefix[0]) {
        cli_error(NULL, "synth: --prefix must be a plain file name");
        return EXIT_USAGE;
    }
    mnt_diag d = {0};
    if (config) {
        int rc = mnt_synth_config_load(config, &job.sp, &job.lp, &d);
        if (rc) return cli_report(config, rc == MNT_ERR_NOTFOUND ? rc : MNT_ERR_CONFIG, &d);
    }
    if (size) {
        int w, h;
        char tail;
        if (sscanf(size, "%dx%d%c", &w, &h, &tail) != 2) {
            cli_error(NULL, "synth: --size expects WxH, got '%s'", size);
            return EXIT_USAGE;
        }
        job.sp.width = w;
        job.sp.height = h;
        int rc = mnt_synth_validate(&job.sp, &d);
        if (rc) { cli_error(NULL, "synth: --size: %s", d.msg); return EXIT_USAGE; }
    }
    if (make_dirs(job.outdir) != 0) {
        cli_error(job.outdir, "cannot create the output folder: %s", strerror(errno));
        return EXIT_CANTCREAT;
    }
    job.status = calloc((size_t)count, sizeof *job.status);
    job.errors = calloc((size_t)count, sizeof *job.errors);
    if (!job.status || !job.errors) {
        free(job.status);
        free(job.errors);
        cli_error(NULL, "synth: out of memory");
        return EXIT_IOERR;
    }
    parallel_for((int)jobs, (size_t)count, make_one, &job);
    int worst = EXIT_OK;
    for (long i = 0; i < count; i++)
        if (job.status[i]) {
            fprintf(stderr, "minutiae: %s\n", job.errors[i]);
            int code = cli_exit_code(job.status[i]);
            if (code > worst) worst = code;
        }
    free(job.status);
    free(job.errors);
    return worst;
}
