/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parser for the first line a host client sends on the vsock Unix socket,
 * as in Firecracker's protocol: "CONNECT <port>\n".
 */
#ifndef PVMM_CONNECT_LINE_H
#define PVMM_CONNECT_LINE_H

#include "base.h"

/* Longest acceptable line, newline included: "CONNECT 4294967295\n". */
#define CONNECT_LINE_MAX	32

enum connect_line_result {
	CONNECT_LINE_OK,		/* *port set, *used bytes consumed */
	CONNECT_LINE_MORE,		/* need more bytes */
	CONNECT_LINE_BAD,		/* malformed: close the connection */
};

enum connect_line_result connect_line_parse(const char *buf, size_t len,
					    u32 *port, size_t *used);

#endif /* PVMM_CONNECT_LINE_H */
