/* minutiae: latent fingerprint minutia extraction. Dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#ifndef MNT_VERSION
#define MNT_VERSION "0.0.0"
#endif

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} COMMANDS[] = {
    {"extract", cmd_extract, "find the minutiae of latent prints (ISO, JSON, overlay, batch report)"},
    {"inspect", cmd_inspect, "detect, validate and print minutiae templates"},
    {"convert", cmd_convert, "convert a template between formats"},
    {"overlay", cmd_overlay, "draw any template over its image for review (numbered, legend, scale bar)"},
    {"synth", cmd_synth, "make synthetic latent prints with exact ground truth"},
    {"degrade", cmd_degrade, "make latents from real labelled prints, labels carried over"},
    {"patches", cmd_patches, "cut labelled training patches from images and their truth"},
    {"train", cmd_train, "train the group-sparse autoencoder and its heads"},
    {"calibrate", cmd_calibrate, "set a model's threshold to the best F1 on a validation set"},
    {"eval", cmd_eval, "score minutiae against ground truth (precision, recall, F1, PR curve)"},
    {"report", cmd_report, "report merge: one batch report from the shards of extract --shard"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: minutiae COMMAND [OPTIONS] ...\n\n"
                 "Latent fingerprint minutia extraction and template tools.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out, "\n'minutiae COMMAND --help' describes one command; 'minutiae --version' prints the version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "help") && argc >= 3) { /* minutiae help COMMAND = minutiae COMMAND --help */
        for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
            if (!strcmp(argv[2], COMMANDS[i].name)) {
                char *args[] = {(char *)"--help", NULL};
                return COMMANDS[i].run(1, args);
            }
        cli_error(NULL, "help: unknown command '%s' (see 'minutiae --help')", argv[2]);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("minutiae %s\n", MNT_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (!strcmp(argv[1], COMMANDS[i].name)) return COMMANDS[i].run(argc - 2, argv + 2);
    cli_error(NULL, "unknown command '%s' (see 'minutiae --help')", argv[1]);
    return EXIT_USAGE;
}
