/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket of "pvmm run": <runtime dir>/<pid>.sock, served from
 * the I/O thread, for "pvmm list", "pvmm console" and "pvmm stop". The
 * wire format is in control_wire.h.
 */
#ifndef PVMM_CONTROL_H
#define PVMM_CONTROL_H

#include "console.h"
#include "control_wire.h"
#include "eventloop.h"

#define CONTROL_MAX_CLIENTS	16
#define CONTROL_BACKLOG		8

enum control_state {
	CONTROL_FREE,
	CONTROL_REQUEST,		/* reading the request line */
	CONTROL_CONSOLE,		/* the console, both ways */
	CONTROL_STOP,			/* asked to stop: closed at exit */
};

struct control;

struct control_client {
	struct control *ctl;
	enum control_state state;
	int fd;
	u32 len;
	char buf[CW_LINE_MAX];
};

struct control_cfg {
	const char *dir;		/* the runtime directory */
	struct cw_info info;		/* uptime_s is filled in per request */
	struct console_dev *console;	/* NULL: CONSOLE is refused */
	void (*exit_cb)(void *opaque, int code);
	void *exit_opaque;
};

struct control {
	struct eventloop *el;		/* NULL: not serving */
	int lfd;
	char path[CW_PATH_MAX];
	struct control_cfg cfg;
	long long start_ms;
	struct control_client *console_client;
	struct control_client client[CONTROL_MAX_CLIENTS];
};

int control_start(struct control *c, struct eventloop *el,
		  const struct control_cfg *cfg);
void control_close(struct control *c);
void control_cleanup(struct control *c);

#endif /* PVMM_CONTROL_H */
