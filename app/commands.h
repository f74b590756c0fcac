/* The subcommands of `minutiae`, one table in main.c. */
#ifndef MNT_COMMANDS_H
#define MNT_COMMANDS_H

int cmd_inspect(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_overlay(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_degrade(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_patches(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
