// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of pvm_exit_bench; see pvm_exit_bench_guest.h.
 */
#include "guest.h"
#include "../pvm_exit_bench_guest.h"

void guest_main(const void *params)
{
	const struct exit_params *p = params;
	uint64_t mmio = p->mmio, fn = p->fn, n;

	/* A protected guest's MMIO is then one exit. */
	mmio_guard(mmio);
	for (n = p->calls; n; n--)
		smccc_hvc(fn, 0, 0, 0);
	write64(mmio + EXIT_CALLS_DONE, 0);
	for (n = p->writes; n; n--)
		write64(mmio + EXIT_WRITE, n);
	write64(mmio + EXIT_WRITES_DONE, 0);
	halt();
}
