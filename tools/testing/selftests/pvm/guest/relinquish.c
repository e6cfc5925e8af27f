// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of pvm_memory_test's relinquish race; see
 * pvm_relinquish_guest.h.
 */
#include "guest.h"
#include "../pvm_relinquish_guest.h"

void guest_main(const void *params)
{
	const struct relinquish_params *p = params;
	uint64_t page = p->page, n;

	/* vCPU 1, its context ID the parameters. */
	smccc_hvc(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry, (uintptr_t)p);
	for (n = p->rounds; n; n--) {
		smccc_hvc(HYP_MEM_RELINQUISH, page, 0, 0);
		/* And fault it back in. */
		read64(page);
	}
	write64(p->stop, 1);
	write64(p->mmio + RELINQUISH_DONE, 1);
	halt();
}

void guest_secondary(uint64_t context, uint64_t x1, uint64_t x2,
		     uint64_t x30)
{
	const struct relinquish_params *p = (const void *)context;
	uint64_t page = p->page, stop_at = p->stop, stop;

	do {
		read64(page);
		stop = read64(stop_at);
	} while (!stop);
	write64(p->mmio + RELINQUISH_STOPPED, stop);
	halt();
}
