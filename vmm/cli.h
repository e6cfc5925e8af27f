/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command line of "pvmm run".
 */
#ifndef PVMM_CLI_H
#define PVMM_CLI_H

#include <limits.h>
#include <stdio.h>

#include "base.h"

#define CLI_DEFAULT_MEM_MIB	256
#define CLI_DEFAULT_CMDLINE	"console=hvc0"
#define CLI_MAX_CONNECT_TIMEOUT_MS	600000
#define CLI_MAX_DISKS		4
#define CLI_DISK_ID_MAX		20	/* virtio-blk's serial */
#define CLI_VENDOR_DISK_ID	"vendor"

enum vsock_backend {
	VSOCK_BACKEND_USER,		/* pvmm's device, Unix sockets */
	VSOCK_BACKEND_VHOST,		/* the kernel's vhost-vsock, AF_VSOCK */
};

/* --disk PATH[,ro][,id=NAME] */
struct disk_opt {
	char path[PATH_MAX];
	char id[CLI_DISK_ID_MAX + 1];	/* "" : the guest sees no serial */
	bool read_only;
};

struct run_opts {
	const char *kernel;
	const char *initrd;
	const char *cmdline;
	u64 mem_mib;
	unsigned int cpus;
	bool protected;
	bool verbose;
	bool help;
	u64 vsock_cid;			/* 0: no vsock device */
	const char *vsock_uds;
	enum vsock_backend vsock_backend;
	bool vsock_backend_set;
	u32 vsock_connect_timeout_ms;	/* 0: the default */
	struct disk_opt disk[CLI_MAX_DISKS];
	unsigned int nr_disks;
	const char *vendor;		/* --vendor IMG, attached read-only */
};

int cli_parse_run(int argc, char **argv, struct run_opts *o);
void cli_usage(FILE *f);

#endif /* PVMM_CLI_H */
