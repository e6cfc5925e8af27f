// SPDX-License-Identifier: GPL-2.0
/*
 * Logging to stderr, with a rate limit for guest-triggered messages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

#define GUEST_BURST	10

static enum log_level cur_level = LOG_WARN;
static time_t guest_window;
static unsigned int guest_count;

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
 * At most GUEST_BURST messages per second. The counters are racy between
 * threads; the worst case is a few messages more or less.
 */
void log_guest(const char *fmt, ...)
{
	time_t now = time(NULL);
	va_list ap;

	if (cur_level < LOG_WARN) {
		return;
	}
	if (now != guest_window) {
		guest_window = now;
		guest_count = 0;
	}
	if (guest_count++ >= GUEST_BURST) {
		return;
	}
	va_start(ap, fmt);
	log_vmsg(fmt, ap);
	va_end(ap);
}
