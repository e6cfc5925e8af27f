// SPDX-License-Identifier: GPL-2.0
/*
 * Logging to stderr, with rate limits for what guests and host clients
 * trigger.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

#define LOG_BURST	10

/* One rate limit: at most LOG_BURST messages in one second. */
struct log_limit {
	time_t window;
	unsigned int count;
};

static enum log_level cur_level = LOG_WARN;
static struct log_limit guest_limit, client_limit;

void log_set_level(enum log_level level)
{
	cur_level = level;
}

static void log_vmsg(const char *fmt, va_list ap)
{
	char line[512];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "pvmm: %s\n", line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > cur_level) {
		return;
	}
	va_start(ap, fmt);
	log_vmsg(fmt, ap);
	va_end(ap);
}

/*
 * A warning within @l's limit. The counters are racy between threads; the
 * worst case is a few messages more or less.
 */
static void log_limited(struct log_limit *l, const char *fmt, va_list ap)
{
	time_t now = time(NULL);

	if (cur_level < LOG_WARN) {
		return;
	}
	if (now != l->window) {
		l->window = now;
		l->count = 0;
	}
	if (l->count++ >= LOG_BURST) {
		return;
	}
	log_vmsg(fmt, ap);
}

void log_guest(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_limited(&guest_limit, fmt, ap);
	va_end(ap);
}

void log_client(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_limited(&client_limit, fmt, ap);
	va_end(ap);
}
