// SPDX-License-Identifier: GPL-2.0
/*
 * pvmm: a small VMM for KVM/arm64. Command dispatch.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exit_code.h"
#include "log.h"
#include "vmctl.h"
#include "vmm.h"

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h") || !strcmp(s, "help");
}

int main(int argc, char **argv)
{
	struct run_opts o;

	if (argc < 2) {
		pr_err("missing command (see pvmm --help)");
		return PVMM_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		cli_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "info")) {
		if (argc > 2) {
			pr_err("info: unexpected argument '%s'", argv[2]);
			return PVMM_EXIT_USAGE;
		}
		return vmm_info();
	}
	if (vmctl_is_command(argv[1])) {
		return vmctl_main(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "run")) {
		pr_err("unknown command '%s' (see pvmm --help)", argv[1]);
		return PVMM_EXIT_USAGE;
	}
	if (cli_parse_run(argc - 1, argv + 1, &o)) {
		return PVMM_EXIT_USAGE;
	}
	if (o.help) {
		cli_usage(stdout);
		return 0;
	}
	return vmm_run(&o);
}
