/* report_html.c - the small HTML pieces of the report: escaping (every
 * string from a results directory goes through it), base64 for inlined
 * figures, table cells, numbers and sizes, and JSON paths. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_priv.h"

void rb_html_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

void rb_base64(FILE *f, const unsigned char *data, size_t len)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)data[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		fputc(abc[(v >> 18) & 63], f);
		fputc(abc[(v >> 12) & 63], f);
		fputc(i + 1 < len ? abc[(v >> 6) & 63] : '=', f);
		fputc(i + 2 < len ? abc[v & 63] : '=', f);
	}
}

struct json_object *rb_rep_get(struct json_object *o, const char *path)
{
	char buf[256], *save = NULL;

	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return NULL;
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, k, &o))
			o = NULL;
	return o;
}

const char *rb_rep_str(struct json_object *o, const char *path)
{
	struct json_object *v = rb_rep_get(o, path);

	return v ? json_object_get_string(v) : "";
}

void rb_rep_cell(FILE *f, const char *tag, const char *text)
{
	fprintf(f, "<%s>", tag);
	rb_html_escape(f, text);
	fprintf(f, "</%s>", tag);
}

void rb_rep_num(FILE *f, const double *v)
{
	if (!v || !isfinite(*v))
		fputs("<td class=\"na\">n/a</td>", f);
	else if (*v == floor(*v) && fabs(*v) < 1e15)
		fprintf(f, "<td>%.0f</td>", *v);
	else if (fabs(*v) >= 100)
		fprintf(f, "<td>%.0f</td>", *v);
	else
		fprintf(f, "<td>%.3g</td>", *v);
}

void rb_rep_bytes(FILE *f, struct json_object *v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double b;
	size_t u = 0;

	if (!v || !(json_object_is_type(v, json_type_int) ||
		    json_object_is_type(v, json_type_double))) {
		rb_rep_cell(f, "td", v ? json_object_get_string(v) : "");
		return;
	}
	b = json_object_get_double(v);
	for (; fabs(b) >= 1024 && u < 4; u++)
		b /= 1024;
	fprintf(f, u ? "<td>%.1f %s</td>" : "<td>%.0f %s</td>", b, units[u]);
}

void rb_rep_run_header(FILE *f, const char *corner, const struct rb_rep_run *runs, size_t n)
{
	fputs("<tr>", f);
	rb_rep_cell(f, "th", corner ? corner : "");
	for (size_t i = 0; i < n; i++)
		rb_rep_cell(f, "th", runs[i].run->label);
}
