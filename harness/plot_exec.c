/* plot_exec.c - finding gnuplot and the templates, building gnuplot's
 * command line (-e variables, see plot_priv.h) and running it with execvp:
 * no shell ever sees a file name or a label. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "datadir.h"
#include "plot.h"
#include "plot_priv.h"

#ifndef RB_DATADIR
#define RB_DATADIR "/usr/local/share/reclaimbench"
#endif

int rb_plot_find_gnuplot(char *path, size_t len)
{
	const char *env = getenv("PATH");
	char *dirs, *save = NULL;
	int rc = -ENOENT;

	dirs = strdup(env && *env ? env : "/usr/bin:/bin");
	if (!dirs)
		return -ENOMEM;
	for (char *d = strtok_r(dirs, ":", &save); d && rc; d = strtok_r(NULL, ":", &save))
		if ((size_t)snprintf(path, len, "%s/gnuplot", *d ? d : ".") < len &&
		    access(path, X_OK) == 0)
			rc = 0;
	free(dirs);
	return rc;
}

int rb_plot_template_dir(char *path, size_t len)
{
	char probe[PATH_MAX + 16];

	for (int i = 0; i < RB_DATADIR_CANDIDATES; i++) {
		if (!rb_datadir_candidate("RECLAIMBENCH_PLOTS", "plots", i, path, len))
			continue;
		(void)snprintf(probe, sizeof(probe), "%s/_series.gp", path);
		if (access(probe, R_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/* Can s go inside gnuplot quotes on the command line? */
static bool quotable(const char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\'' || (unsigned char)*s < ' ')
			return false;
	return true;
}

static void push(struct rb_gp_args *a, char *s)
{
	if (!s || a->argc >= RB_GP_MAX_ARGS) {
		free(s);
		a->bad = true;
		return;
	}
	a->argv[a->argc++] = s;
	a->argv[a->argc] = NULL;
}

void rb_gp_args_init(struct rb_gp_args *a, const char *gnuplot)
{
	memset(a, 0, sizeof(*a));
	push(a, strdup(gnuplot));
}

/* Append -e "name=<open>value<close>". */
static void push_e(struct rb_gp_args *a, const char *name, const char *open, const char *value,
		   const char *close)
{
	char *s = NULL;

	push(a, strdup("-e"));
	if (asprintf(&s, "%s=%s%s%s", name, open, value, close) < 0)
		s = NULL;
	push(a, s);
}

void rb_gp_var(struct rb_gp_args *a, const char *name, const char *value)
{
	if (strchr(value, '\'') || strchr(value, '\n'))
		a->bad = true;
	push_e(a, name, "'", value, "'");
}

void rb_gp_num(struct rb_gp_args *a, const char *name, double v)
{
	char num[64];

	(void)snprintf(num, sizeof(num), "%.12g", v);
	push_e(a, name, "", num, "");
}

void rb_gp_script(struct rb_gp_args *a, const char *path)
{
	if (!quotable(path))
		a->bad = true;
	push(a, strdup(path));
}

void rb_gp_args_free(struct rb_gp_args *a)
{
	for (size_t i = 0; i < a->argc; i++)
		free(a->argv[i]);
	memset(a, 0, sizeof(*a));
}

void rb_gp_words_open(struct rb_gp_words *w)
{
	memset(w, 0, sizeof(*w));
	w->f = open_memstream(&w->buf, &w->len);
	w->bad = w->f == NULL;
}

void rb_gp_word(struct rb_gp_words *w, const char *s)
{
	if (!quotable(s))
		w->bad = true;
	if (w->f)
		(void)fprintf(w->f, "%s\"%s\"", ftell(w->f) ? " " : "", s);
}

void rb_gp_word_num(struct rb_gp_words *w, double v)
{
	if (w->f)
		(void)fprintf(w->f, "%s%.12g", ftell(w->f) ? " " : "", v);
}

void rb_gp_words_var(struct rb_gp_args *a, const char *name, struct rb_gp_words *w)
{
	if (w->f && fclose(w->f) != 0)
		w->bad = true;
	w->f = NULL;
	a->bad = a->bad || w->bad;
	rb_gp_var(a, name, w->buf ? w->buf : "");
	free(w->buf);
	w->buf = NULL;
}

/* The last non-empty line of the file behind fd into err. */
static void last_line(int fd, char *err, size_t errlen)
{
	char buf[4096], *p;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0) {
		(void)snprintf(err, errlen, "no message");
		return;
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	p = strrchr(buf, '\n');
	(void)snprintf(err, errlen, "%s", p ? p + 1 : buf);
}

static void child(const struct rb_gp_args *a, int out)
{
	int null = open("/dev/null", O_RDONLY);

	if (null >= 0)
		(void)dup2(null, STDIN_FILENO);
	(void)dup2(out, STDOUT_FILENO);
	(void)dup2(out, STDERR_FILENO);
	execvp(a->argv[0], a->argv);
	_exit(127);
}

int rb_gp_run(const struct rb_gp_args *a, char *err, size_t errlen)
{
	FILE *log;
	pid_t pid;
	int status = -1, rc = 0;

	if (a->bad || a->argc < 2) {
		(void)snprintf(err, errlen, "a path or label holds a quote or a control character");
		return -EINVAL;
	}
	log = tmpfile();
	if (!log) {
		(void)snprintf(err, errlen, "tmpfile: %s", strerror(errno));
		return -EIO;
	}
	pid = fork();
	if (pid == 0)
		child(a, fileno(log));
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		last_line(fileno(log), err, errlen);
		rc = -EIO;
	}
	(void)fclose(log);
	return rc;
}
