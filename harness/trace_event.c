/* trace_event.c - reading trace_pipe lines and bounding the event rate (see
 * trace_priv.h). A text trace_pipe line looks like
 *
 *   dirty-1234 [001] ..... 5678.901234: balance_dirty_pages: bdi 254:0:
 *       limit=... paused=0 pause=12 period=20 think=0 cgroup_ino=1
 *
 * (one line; the columns before the timestamp depend on trace_options) and
 * the kernel inserts "CPU:1 [LOST 42 EVENTS]" where its ring buffer
 * overwrote events before they were read. Fields are found by name, so a
 * kernel that adds or reorders fields still parses. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace_priv.h"

#define BDP_TAG ": balance_dirty_pages: "

/* "5678.901234" ending at end (exclusive) into ns. */
static bool parse_ts(const char *start, const char *end, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0, scale = 1000000000ull;
	const char *p = start;

	if (p == end || !isdigit((unsigned char)*p))
		return false;
	for (; p < end && isdigit((unsigned char)*p); p++)
		sec = sec * 10 + (uint64_t)(*p - '0');
	if (p < end && *p == '.')
		for (p++; p < end && isdigit((unsigned char)*p); p++) {
			scale /= 10;
			frac += (uint64_t)(*p - '0') * scale;
		}
	*ns = sec * 1000000000ull + frac;
	return p == end;
}

/* The timestamp is the word just before the event's ": name: " tag. */
static void event_ts(const char *line, const char *tag, struct rb_trace_rec *r)
{
	const char *start = tag;

	while (start > line && start[-1] != ' ')
		start--;
	r->has_ts = parse_ts(start, tag, &r->ts_ns);
}

/* "[LOST 42 EVENTS]" (or "[LOST EVENTS]": an unknown number, counted 1). */
static bool lost_line(const char *line, struct rb_trace_rec *r)
{
	const char *p = strstr(line, "[LOST ");
	char *end;

	if (!p || !strstr(p, "EVENTS]"))
		return false;
	p += strlen("[LOST ");
	r->lost = strtoull(p, &end, 10);
	if (end == p || r->lost == 0)
		r->lost = 1;
	return true;
}

enum rb_trace_line rb_trace_classify(const char *line, struct rb_trace_rec *r)
{
	const char *tag = strstr(line, BDP_TAG);

	*r = (struct rb_trace_rec){ 0 };
	if (tag) {
		event_ts(line, tag, r);
		return RB_TRACE_LINE_BDP;
	}
	return lost_line(line, r) ? RB_TRACE_LINE_LOST : RB_TRACE_LINE_OTHER;
}

/* The number after " name=" in s, as a signed long. */
static int field(const char *s, const char *name, long *v)
{
	size_t n = strlen(name);
	const char *p = s;
	char *end;

	while ((p = strstr(p, name)) && ((p != s && p[-1] != ' ') || p[n] != '='))
		p += n;
	if (!p)
		return -EINVAL;
	errno = 0;
	*v = strtol(p + n + 1, &end, 10);
	if (end == p + n + 1 || errno || (*end && *end != ' '))
		return -EINVAL;
	return 0;
}

int rb_trace_parse_bdp(const char *line, struct rb_trace_rec *r)
{
	const char *payload = strstr(line, BDP_TAG);
	long pause, period;

	if (!payload)
		return -EINVAL;
	payload += strlen(BDP_TAG);
	if (field(payload, "pause", &pause) || field(payload, "period", &period) || period < 0)
		return -EINVAL;
	r->pause_ms = pause;
	r->period_ms = (unsigned long)period;
	return 0;
}

void rb_token_bucket_init(struct rb_token_bucket *b, double rate, uint64_t now_ns)
{
	b->rate = rate;
	b->cap = rate / 10 > 1 ? rate / 10 : 1;
	b->tokens = b->cap;
	b->last_ns = now_ns;
}

bool rb_token_bucket_take(struct rb_token_bucket *b, uint64_t now_ns)
{
	if (now_ns > b->last_ns) {
		b->tokens += (double)(now_ns - b->last_ns) * b->rate / 1e9;
		if (b->tokens > b->cap)
			b->tokens = b->cap;
		b->last_ns = now_ns;
	}
	if (b->tokens < 1)
		return false;
	b->tokens -= 1;
	return true;
}
