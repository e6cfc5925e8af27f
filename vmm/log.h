/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging. Everything goes to stderr with a "pvmm: " prefix so that the
 * guest console on stdout stays clean.
 */
#ifndef PVMM_LOG_H
#define PVMM_LOG_H

#include "base.h"

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __printf(2, 3);

/*
 * For problems caused by the guest (malformed descriptors, protocol
 * violations): rate limited, so that a hostile guest cannot flood the host.
 */
void log_guest(const char *fmt, ...) __printf(1, 2);

/*
 * For problems caused by host clients of the vsock socket (bad CONNECT
 * lines, deadlines, evictions), with a limit of their own: a hostile
 * client can neither flood the log nor silence the guest's messages.
 */
void log_client(const char *fmt, ...) __printf(1, 2);

#define pr_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* PVMM_LOG_H */
