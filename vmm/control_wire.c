// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's wire format: see control_wire.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_wire.h"

#define CW_DEC_MAX	20	/* digits of the largest u64 */

static const char *const request_words[] = {
	[CW_REQ_INFO] = "INFO",
	[CW_REQ_CONSOLE] = "CONSOLE",
	[CW_REQ_STOP] = "STOP",
};

struct cw_field {
	const char *key;
	u64 min;
	u64 max;
};

/* The INFO reply's fields, in the order pvmm writes them. */
static const struct cw_field info_fields[] = {
	{ "cid", 0, CW_CID_MAX },
	{ "pid", 1, CW_PID_MAX },
	{ "protected", 0, 1 },
	{ "cpus", 1, 0xffffffffULL },
	{ "mem_mib", 1, 1ULL << 40 },
	{ "uptime_s", 0, ~0ULL },
};

/* Strict decimal: @len digits, no sign or space, within [min, max]. */
static int parse_dec(const char *s, size_t len, u64 min, u64 max, u64 *out)
{
	u64 v = 0;
	size_t i;

	if (!len || len > CW_DEC_MAX) {
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (~0ULL - d) / 10) {
			return -EINVAL;
		}
		v = v * 10 + d;
	}
	if (v < min || v > max) {
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int copy_str(char *buf, size_t size, const char *s)
{
	int n = snprintf(buf, size, "%s", s);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * Where the control sockets live: @env_dir ($PVMM_RUNTIME_DIR) if set,
 * else @env_xdg/pvmm ($XDG_RUNTIME_DIR, ignored unless absolute, as the
 * XDG spec says), else /run/pvmm. A relative @env_dir is -EINVAL: the
 * server and its clients may not share a working directory.
 */
int cw_runtime_dir(const char *env_dir, const char *env_xdg, char *buf,
		   size_t size)
{
	int n;

	if (env_dir && *env_dir) {
		if (*env_dir != '/') {
			return -EINVAL;
		}
		return copy_str(buf, size, env_dir);
	}
	if (env_xdg && *env_xdg == '/') {
		n = snprintf(buf, size, "%s/pvmm", env_xdg);
		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
	}
	return copy_str(buf, size, CW_DEFAULT_DIR);
}

int cw_default_runtime_dir(char *buf, size_t size)
{
	return cw_runtime_dir(getenv(CW_ENV_DIR), getenv(CW_ENV_XDG), buf,
			      size);
}

/* <dir>/<pid>.sock, which must fit a sockaddr_un. */
int cw_sock_path(const char *dir, u64 pid, char *buf, size_t size)
{
	int n;

	if (!*dir) {
		return -EINVAL;
	}
	n = snprintf(buf, size, "%s/%llu" CW_SOCK_SUFFIX, dir, pid);
	if (n < 0 || (size_t)n >= size || (size_t)n >= CW_PATH_MAX) {
		return -ENAMETOOLONG;
	}
	return 0;
}

/* A directory entry "<pid>.sock", pid without leading zeros: 0 or -EINVAL. */
int cw_parse_sock_name(const char *name, u64 *pid)
{
	size_t len = strlen(name), sl = strlen(CW_SOCK_SUFFIX);

	if (len <= sl || strcmp(name + len - sl, CW_SOCK_SUFFIX) ||
	    name[0] == '0') {
		return -EINVAL;
	}
	return parse_dec(name, len - sl, 1, CW_PID_MAX, pid);
}

/*
 * The request line at the start of @buf. Returns its length with the '\n'
 * once complete, 0 if more is needed, -E2BIG if no '\n' within
 * CW_LINE_MAX bytes, -EINVAL for an unknown request.
 */
int cw_parse_request(const char *buf, size_t len, enum cw_request *req)
{
	const char *nl = memchr(buf, '\n', min_u64(len, CW_LINE_MAX));
	size_t n;
	unsigned int i;

	if (!nl) {
		return len >= CW_LINE_MAX ? -E2BIG : 0;
	}
	n = nl - buf;
	for (i = 0; i < ARRAY_SIZE(request_words); i++) {
		if (strlen(request_words[i]) == n &&
		    !memcmp(buf, request_words[i], n)) {
			*req = i;
			return n + 1;
		}
	}
	return -EINVAL;
}

/* The line a client sends for @req, with its '\n'. */
const char *cw_request_line(enum cw_request req)
{
	switch (req) {
	case CW_REQ_INFO:
		return "INFO\n";
	case CW_REQ_CONSOLE:
		return "CONSOLE\n";
	case CW_REQ_STOP:
		return "STOP\n";
	}
	return "";
}

/* The INFO reply, with its '\n'. Returns its length or -ENOSPC. */
int cw_format_info(const struct cw_info *info, char *buf, size_t size)
{
	int n;

	n = snprintf(buf, size,
		     "OK cid=%llu pid=%llu protected=%d cpus=%llu mem_mib=%llu uptime_s=%llu\n",
		     info->cid, info->pid, info->protected, info->cpus,
		     info->mem_mib, info->uptime_s);
	if (n < 0 || (size_t)n >= size) {
		return -ENOSPC;
	}
	return n;
}

static void set_field(struct cw_info *info, unsigned int i, u64 v)
{
	switch (i) {
	case 0:
		info->cid = v;
		break;
	case 1:
		info->pid = v;
		break;
	case 2:
		info->protected = v;
		break;
	case 3:
		info->cpus = v;
		break;
	case 4:
		info->mem_mib = v;
		break;
	default:
		info->uptime_s = v;
		break;
	}
}

/* One "key=value" of @len bytes. Unknown keys are skipped. */
static int parse_field(const char *s, size_t len, struct cw_info *info,
		       u32 *seen)
{
	const char *eq = memchr(s, '=', len);
	size_t klen;
	unsigned int i;
	u64 v;

	if (!eq || eq == s) {
		return -EINVAL;
	}
	klen = eq - s;
	for (i = 0; i < ARRAY_SIZE(info_fields); i++) {
		if (strlen(info_fields[i].key) != klen ||
		    memcmp(s, info_fields[i].key, klen)) {
			continue;
		}
		if ((*seen & BIT(i)) ||
		    parse_dec(eq + 1, len - klen - 1, info_fields[i].min,
			      info_fields[i].max, &v)) {
			return -EINVAL;
		}
		*seen |= BIT(i);
		set_field(info, i, v);
		return 0;
	}
	return 0;
}

/*
 * An INFO reply without its '\n': every field once, in any order, each
 * value strict decimal and in range. Returns 0 or -EINVAL.
 */
int cw_parse_info(const char *line, struct cw_info *info)
{
	const char *p = line + 3, *end;
	u32 seen = 0;

	memset(info, 0, sizeof(*info));
	if (strncmp(line, "OK ", 3)) {
		return -EINVAL;
	}
	while (*p) {
		end = strchrnul(p, ' ');
		if (parse_field(p, end - p, info, &seen)) {
			return -EINVAL;
		}
		p = *end ? end + 1 : end;
	}
	if (seen != BIT(ARRAY_SIZE(info_fields)) - 1 ||
	    (info->cid && info->cid < CW_CID_MIN)) {
		return -EINVAL;
	}
	return 0;
}

/*
 * A reply line without its '\n': 0 for "OK" (@rest: what follows "OK "),
 * -EREMOTEIO for "ERR <reason>" (@rest: the reason), -EPROTO otherwise.
 */
int cw_parse_reply(const char *line, const char **rest)
{
	if (!strcmp(line, "OK")) {
		*rest = line + 2;
		return 0;
	}
	if (!strncmp(line, "OK ", 3)) {
		*rest = line + 3;
		return 0;
	}
	if (!strncmp(line, "ERR ", 4)) {
		*rest = line + 4;
		return -EREMOTEIO;
	}
	*rest = line;
	return -EPROTO;
}

/* A VM's ID on the command line: a vsock CID, or "pid:N". */
int cw_parse_id(const char *s, struct cw_id *id)
{
	if (!strncmp(s, "pid:", 4)) {
		id->kind = CW_ID_PID;
		return parse_dec(s + 4, strlen(s + 4), 1, CW_PID_MAX,
				 &id->value);
	}
	id->kind = CW_ID_CID;
	return parse_dec(s, strlen(s), CW_CID_MIN, CW_CID_MAX, &id->value);
}
