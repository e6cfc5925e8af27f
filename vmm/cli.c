// SPDX-License-Identifier: GPL-2.0
/*
 * "pvmm run" option parsing. Each error is one line on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "devtree.h"
#include "log.h"

#define MAX_MEM_MIB	(1024ULL * 1024)	/* 1 TiB */
#define MIN_MEM_MIB	16
#define VMADDR_CID_MIN	3		/* 0-2 are reserved */

enum {
	OPT_KERNEL = 'k',
	OPT_INITRD = 'i',
	OPT_CMDLINE = 'c',
	OPT_MEM = 'm',
	OPT_CPUS = 'n',
	OPT_PROTECTED = 'p',
	OPT_VERBOSE = 'v',
	OPT_HELP = 'h',
	OPT_VSOCK_CID = 256,
	OPT_VSOCK_UDS,
	OPT_VSOCK_BACKEND,
	OPT_VSOCK_CONNECT_TIMEOUT,
	OPT_DISK,
	OPT_VENDOR,
};

static const struct option run_options[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "protected", no_argument, NULL, OPT_PROTECTED },
	{ "vsock-cid", required_argument, NULL, OPT_VSOCK_CID },
	{ "vsock-uds", required_argument, NULL, OPT_VSOCK_UDS },
	{ "vsock-backend", required_argument, NULL, OPT_VSOCK_BACKEND },
	{ "vsock-connect-timeout", required_argument, NULL,
	  OPT_VSOCK_CONNECT_TIMEOUT },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "vendor", required_argument, NULL, OPT_VENDOR },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

void cli_usage(FILE *f)
{
	fputs("usage: pvmm run --kernel FILE [--initrd FILE] [--cmdline STRING]\n"
	      "                [--mem MiB] [--cpus N] [--protected]\n"
	      "                [--disk PATH[,ro][,id=NAME]]... [--vendor IMG]\n"
	      "                [--vsock-cid N --vsock-uds PATH\n"
	      "                 [--vsock-connect-timeout MS]]\n"
	      "                [--vsock-cid N --vsock-backend vhost] [--verbose]\n"
	      "       pvmm info\n"
	      "       pvmm list | console ID | stop ID\n"
	      "       pvmm --help\n"
	      "\n"
	      "run   boot an arm64 Linux Image in a KVM VM with a virtio console\n"
	      "      on stdin/stdout and, with --vsock-*, a virtio-vsock device\n"
	      "      bridged to Unix sockets (Firecracker's protocol: host\n"
	      "      clients connect to PATH and send \"CONNECT <port>\\n\";\n"
	      "      guest connections to CID 2 port P go to PATH_P). A client\n"
	      "      is closed if its CONNECT line is not complete within\n"
	      "      --vsock-connect-timeout ms (2000).\n"
	      "      --vsock-backend vhost (non-protected VMs only) uses the\n"
	      "      kernel's vhost-vsock instead: the host reaches the guest\n"
	      "      with AF_VSOCK at CID N.\n"
	      "      --disk attaches a raw image as virtio-blk (up to 4; id is\n"
	      "      the serial the guest sees). --vendor attaches a vendor\n"
	      "      image (tools/pvm-mkvendor) read-only with id \"vendor\"\n"
	      "      and puts its dm-verity root digest in the device tree.\n"
	      "      Defaults: --mem 256, --cpus 1, --cmdline \"console=hvc0\".\n"
	      "info  say whether this host can run protected and non-protected VMs\n"
	      "list  the running VMs: CID, pid, protected, vCPUs, MiB, uptime\n"
	      "console ID  attach stdin/stdout to the console of VM ID (its vsock\n"
	      "      CID, or pid:N) until the VM ends or stdin does\n"
	      "stop ID  stop VM ID as SIGTERM would, and wait until it has\n"
	      "      (VMs register in $PVMM_RUNTIME_DIR, else\n"
	      "      $XDG_RUNTIME_DIR/pvmm, else /run/pvmm)\n"
	      "\n"
	      "exit status of run: 0 guest powered off, 1 error, 2 usage,\n"
	      "3 guest reset, 4 guest crashed, 5 stopped by pvmm stop,\n"
	      "128+N killed by signal N; of list, console and stop: 0, 1 error,\n"
	      "2 usage, 6 no such VM\n",
	      f);
}

/* Strict decimal: digits only, within [min, max]. */
static int parse_num(const char *opt, const char *s, u64 min, u64 max,
		     u64 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-' || *s == '+' || v < min ||
	    v > max) {
		pr_err("--%s: '%s' is not a number from %llu to %llu", opt, s,
		       min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_backend(const char *s, struct run_opts *o)
{
	if (!strcmp(s, "user")) {
		o->vsock_backend = VSOCK_BACKEND_USER;
	} else if (!strcmp(s, "vhost")) {
		o->vsock_backend = VSOCK_BACKEND_VHOST;
	} else {
		pr_err("--vsock-backend: '%s' is neither 'user' nor 'vhost'", s);
		return -1;
	}
	o->vsock_backend_set = true;
	return 0;
}

static int parse_disk_flag(const char *flag, size_t len, struct disk_opt *d)
{
	if (len == 2 && !strncmp(flag, "ro", 2)) {
		d->read_only = true;
		return 0;
	}
	if (len > 3 && !strncmp(flag, "id=", 3)) {
		if (len - 3 > CLI_DISK_ID_MAX) {
			pr_err("--disk: id '%.*s' is longer than %d bytes",
			       (int)(len - 3), flag + 3, CLI_DISK_ID_MAX);
			return -1;
		}
		memcpy(d->id, flag + 3, len - 3);
		d->id[len - 3] = '\0';
		return 0;
	}
	pr_err("--disk: unknown flag '%.*s' (ro, id=NAME)", (int)len, flag);
	return -1;
}

/* PATH[,ro][,id=NAME]: a path cannot hold a comma. */
static int parse_disk(const char *arg, struct run_opts *o)
{
	struct disk_opt *d = &o->disk[o->nr_disks];
	size_t len = strcspn(arg, ",");
	const char *flag;

	if (o->nr_disks == CLI_MAX_DISKS) {
		pr_err("--disk: at most %d disks", CLI_MAX_DISKS);
		return -1;
	}
	if (!len || len >= sizeof(d->path)) {
		pr_err("--disk: '%s' has no usable path", arg);
		return -1;
	}
	memset(d, 0, sizeof(*d));
	memcpy(d->path, arg, len);
	for (flag = arg + len; *flag; flag += len) {
		flag++;
		len = strcspn(flag, ",");
		if (parse_disk_flag(flag, len, d)) {
			return -1;
		}
	}
	o->nr_disks++;
	return 0;
}

static int parse_one(int c, const char *arg, struct run_opts *o)
{
	u64 v;

	switch (c) {
	case OPT_KERNEL:
		o->kernel = arg;
		return 0;
	case OPT_INITRD:
		o->initrd = arg;
		return 0;
	case OPT_CMDLINE:
		o->cmdline = arg;
		return 0;
	case OPT_MEM:
		return parse_num("mem", arg, MIN_MEM_MIB, MAX_MEM_MIB,
				 &o->mem_mib);
	case OPT_CPUS:
		if (parse_num("cpus", arg, 1, DT_MAX_CPUS, &v)) {
			return -1;
		}
		o->cpus = v;
		return 0;
	case OPT_PROTECTED:
		o->protected = true;
		return 0;
	case OPT_VSOCK_CID:
		return parse_num("vsock-cid", arg, VMADDR_CID_MIN,
				 0xfffffffeULL, &o->vsock_cid);
	case OPT_VSOCK_UDS:
		o->vsock_uds = arg;
		return 0;
	case OPT_VSOCK_BACKEND:
		return parse_backend(arg, o);
	case OPT_VSOCK_CONNECT_TIMEOUT:
		if (parse_num("vsock-connect-timeout", arg, 1,
			      CLI_MAX_CONNECT_TIMEOUT_MS, &v)) {
			return -1;
		}
		o->vsock_connect_timeout_ms = v;
		return 0;
	case OPT_DISK:
		return parse_disk(arg, o);
	case OPT_VENDOR:
		o->vendor = arg;
		return 0;
	case OPT_VERBOSE:
		o->verbose = true;
		return 0;
	case OPT_HELP:
		o->help = true;
		return 0;
	default:
		return -1;
	}
}

static int check_vsock(const struct run_opts *o)
{
	if (o->vsock_connect_timeout_ms && !o->vsock_uds) {
		pr_err("--vsock-connect-timeout: only with --vsock-uds");
		return -1;
	}
	if (o->vsock_backend != VSOCK_BACKEND_VHOST) {
		if (o->vsock_backend_set && !o->vsock_cid) {
			pr_err("--vsock-backend needs --vsock-cid");
			return -1;
		}
		if (!o->vsock_cid != !o->vsock_uds) {
			pr_err("--vsock-cid and --vsock-uds go together");
			return -1;
		}
		return 0;
	}

	if (o->protected) {
		pr_err("--vsock-backend vhost: not for protected VMs (vhost would need all of guest memory)");
		return -1;
	}
	if (!o->vsock_cid) {
		pr_err("--vsock-backend vhost needs --vsock-cid");
		return -1;
	}
	if (o->vsock_uds) {
		pr_err("--vsock-uds: not with --vsock-backend vhost (the host side is AF_VSOCK)");
		return -1;
	}
	return 0;
}

static int check(const struct run_opts *o)
{
	if (o->help) {
		return 0;
	}
	if (!o->kernel) {
		pr_err("run: --kernel is required (see pvmm --help)");
		return -1;
	}
	if (o->mem_mib % 2) {
		pr_err("--mem: must be a multiple of 2 MiB");
		return -1;
	}
	return check_vsock(o);
}

/* @argv[0] is "run". Returns 0, or -1 after printing one line. */
int cli_parse_run(int argc, char **argv, struct run_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->mem_mib = CLI_DEFAULT_MEM_MIB;
	o->cpus = 1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+k:i:c:m:n:pvh", run_options,
				NULL)) != -1) {
		if (c == '?' || c == ':') {
			pr_err("run: bad option or missing value: '%s' (see pvmm --help)",
			       argv[optind - 1]);
			return -1;
		}
		if (parse_one(c, optarg, o)) {
			return -1;
		}
	}
	if (optind < argc) {
		pr_err("run: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return check(o);
}
