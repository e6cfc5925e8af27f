/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "pvmm list", "pvmm console ID" and "pvmm stop ID": clients of the control
 * sockets that each "pvmm run" registers in the runtime directory.
 */
#ifndef PVMM_VMCTL_H
#define PVMM_VMCTL_H

#include <stdio.h>

#include "control_wire.h"

#define VMCTL_REPLY_TIMEOUT_MS	5000
#define VMCTL_STOP_TIMEOUT_MS	60000

struct vmctl_vm {
	struct cw_info info;
	char path[CW_PATH_MAX];
};

bool vmctl_is_command(const char *cmd);
int vmctl_main(int argc, char **argv);

int vmctl_scan(const char *dir, struct vmctl_vm **vms);
int vmctl_list(const char *dir, FILE *out);
int vmctl_console(const char *dir, const struct cw_id *id, int in_fd,
		  int out_fd);
int vmctl_stop(const char *dir, const struct cw_id *id, int timeout_ms);

#endif /* PVMM_VMCTL_H */
