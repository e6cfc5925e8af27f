/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket's wire format, shared by "pvmm run" (the server) and
 * "pvmm list", "pvmm console" and "pvmm stop" (the clients). Pure code.
 *
 * Each running pvmm listens on <runtime dir>/<pid>.sock. A client sends one
 * request line and gets one reply line:
 *
 *   INFO     OK cid=C pid=P protected=0|1 cpus=N mem_mib=M uptime_s=S
 *            then pvmm closes the connection. cid=0: no vsock device.
 *   CONSOLE  OK, then the connection carries the guest's console both
 *            ways as raw bytes; or "ERR console busy".
 *   STOP     OK; pvmm then ends the VM and the connection closes only
 *            when pvmm has torn it down.
 *
 * Anything else is answered "ERR <reason>" and the connection closed.
 */
#ifndef PVMM_CONTROL_WIRE_H
#define PVMM_CONTROL_WIRE_H

#include <sys/un.h>

#include "base.h"

#define CW_ENV_DIR		"PVMM_RUNTIME_DIR"
#define CW_ENV_XDG		"XDG_RUNTIME_DIR"
#define CW_DEFAULT_DIR		"/run/pvmm"
#define CW_SOCK_SUFFIX		".sock"
#define CW_PATH_MAX		sizeof(((struct sockaddr_un *)0)->sun_path)
#define CW_LINE_MAX		128	/* a request or reply, with its '\n' */
#define CW_CID_MIN		3	/* 0-2 are reserved */
#define CW_CID_MAX		0xfffffffeULL
#define CW_PID_MAX		0x7fffffffULL

enum cw_request {
	CW_REQ_INFO,
	CW_REQ_CONSOLE,
	CW_REQ_STOP,
};

struct cw_info {
	u64 cid;			/* 0: no vsock device */
	u64 pid;
	bool protected;
	u64 cpus;
	u64 mem_mib;
	u64 uptime_s;
};

/* How the user names a VM: its vsock CID, or "pid:N". */
enum cw_id_kind {
	CW_ID_CID,
	CW_ID_PID,
};

struct cw_id {
	enum cw_id_kind kind;
	u64 value;
};

int cw_runtime_dir(const char *env_dir, const char *env_xdg, char *buf,
		   size_t size);
int cw_default_runtime_dir(char *buf, size_t size);
int cw_sock_path(const char *dir, u64 pid, char *buf, size_t size);
int cw_parse_sock_name(const char *name, u64 *pid);
int cw_parse_request(const char *buf, size_t len, enum cw_request *req);
const char *cw_request_line(enum cw_request req);
int cw_format_info(const struct cw_info *info, char *buf, size_t size);
int cw_parse_info(const char *line, struct cw_info *info);
int cw_parse_reply(const char *line, const char **rest);
int cw_parse_id(const char *s, struct cw_id *id);

#endif /* PVMM_CONTROL_WIRE_H */
