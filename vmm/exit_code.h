/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvmm's exit status: how the guest (or pvmm) ended.
 */
#ifndef PVMM_EXIT_CODE_H
#define PVMM_EXIT_CODE_H

enum pvmm_exit {
	PVMM_EXIT_POWEROFF = 0,		/* guest called PSCI SYSTEM_OFF */
	PVMM_EXIT_ERROR = 1,		/* pvmm or KVM failed */
	PVMM_EXIT_USAGE = 2,		/* bad command line */
	PVMM_EXIT_RESET = 3,		/* guest called PSCI SYSTEM_RESET */
	PVMM_EXIT_CRASH = 4,		/* guest reported a crash */
	PVMM_EXIT_STOPPED = 5,		/* run: ended by "pvmm stop" */
	PVMM_EXIT_NO_VM = 6,		/* console, stop: no running VM has that ID */
	PVMM_EXIT_SIGNAL = 128,		/* + signal number (SIGINT, SIGTERM) */
};

#endif /* PVMM_EXIT_CODE_H */
