// SPDX-License-Identifier: GPL-2.0
/*
 * "CONNECT <port>\n" parser. Strict: exactly one space, decimal digits
 * only, no sign, no leading junk, a value that fits in 32 bits, and an
 * optional "\r" before the newline (some clients send CRLF).
 */
#include <string.h>

#include "connect_line.h"

static const char prefix[] = "CONNECT ";

static enum connect_line_result parse_port(const char *s, size_t n,
					   u32 *port)
{
	u64 v = 0;
	size_t i;

	if (n && s[n - 1] == '\r') {
		n--;
	}
	if (!n || n > 10) {
		return CONNECT_LINE_BAD;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return CONNECT_LINE_BAD;
		}
		v = v * 10 + (u64)(s[i] - '0');
	}
	if (v > 0xffffffffULL) {
		return CONNECT_LINE_BAD;
	}
	*port = (u32)v;
	return CONNECT_LINE_OK;
}

enum connect_line_result connect_line_parse(const char *buf, size_t len,
					    u32 *port, size_t *used)
{
	size_t plen = sizeof(prefix) - 1;
	const char *nl;
	size_t n;

	n = min_u64(len, plen);
	if (memcmp(buf, prefix, n)) {
		return CONNECT_LINE_BAD;
	}
	nl = memchr(buf, '\n', min_u64(len, CONNECT_LINE_MAX));
	if (!nl) {
		return len >= CONNECT_LINE_MAX ? CONNECT_LINE_BAD :
						 CONNECT_LINE_MORE;
	}
	n = nl - buf;
	if (n < plen) {
		return CONNECT_LINE_BAD;
	}
	if (parse_port(buf + plen, n - plen, port) != CONNECT_LINE_OK) {
		return CONNECT_LINE_BAD;
	}
	*used = n + 1;
	return CONNECT_LINE_OK;
}
