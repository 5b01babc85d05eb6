/* plot_priv.h - private to plot*.c: gnuplot's command line, built as
 *   gnuplot -e "name='value'" ... plots/<figure>.gp
 * where list values are words in double quotes ("a" "b c"), which
 * gnuplot's word()/words() take apart. A value holding a quote or a control
 * character cannot be passed this way and marks the command line bad. */
#ifndef RB_PLOT_PRIV_H
#define RB_PLOT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define RB_GP_MAX_ARGS 64

struct rb_gp_args {
	char *argv[RB_GP_MAX_ARGS + 1];
	size_t argc;
	bool bad; /* a value could not be quoted, or out of memory */
};

/* A list of words being built (open_memstream). */
struct rb_gp_words {
	FILE *f;
	char *buf;
	size_t len;
	bool bad;
};

/* Start gnuplot's argv with its path. */
void rb_gp_args_init(struct rb_gp_args *a, const char *gnuplot);

/* Append -e "name='value'". */
void rb_gp_var(struct rb_gp_args *a, const char *name, const char *value);

/* Append -e "name=<number>". */
void rb_gp_num(struct rb_gp_args *a, const char *name, double v);

/* Append the template path (gnuplot's script, last). */
void rb_gp_script(struct rb_gp_args *a, const char *path);

void rb_gp_args_free(struct rb_gp_args *a);

/* Word lists: open, add words or numbers, then hand the list to rb_gp_var
 * by name (rb_gp_words_var closes it). */
void rb_gp_words_open(struct rb_gp_words *w);
void rb_gp_word(struct rb_gp_words *w, const char *s);
void rb_gp_word_num(struct rb_gp_words *w, double v);
void rb_gp_words_var(struct rb_gp_args *a, const char *name, struct rb_gp_words *w);

/* Run gnuplot (execvp, no shell; its output is kept aside and its last
 * line goes to err on failure). Returns 0, -EINVAL (bad command line) or
 * -EIO (gnuplot failed). */
int rb_gp_run(const struct rb_gp_args *a, char *err, size_t errlen);

#endif
