/* commands.h - the subcommands of reclaimbench, dispatched from the table
 * in harness/main.c. Each takes (argc, argv) with argv[0] = its name and
 * returns the exit code: 0 ok, 1 failure, 2 usage error (bad options, bad
 * profile: nothing was changed). */
#ifndef RB_COMMANDS_H
#define RB_COMMANDS_H

enum { RB_EXIT_USAGE = 2 };

int rb_cmd_list(int argc, char **argv);
int rb_cmd_run(int argc, char **argv);
int rb_cmd_restore(int argc, char **argv);
int rb_cmd_ab(int argc, char **argv);
int rb_cmd_compare(int argc, char **argv);
int rb_cmd_plot(int argc, char **argv);
int rb_cmd_report(int argc, char **argv);

#endif
