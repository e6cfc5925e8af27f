// SPDX-License-Identifier: GPL-2.0
/*
 * tlbi_guest (pvm_small_guests.h): TLB maintenance that would stall the
 * guest if the host got HCR_EL2.TTLB set for it.
 */
#include "guest.h"
#include "../pvm_writer_guest.h"

void guest_main(const void *params)
{
	const struct writer_params *p = params;

	asm volatile("tlbi vmalle1\n\tdsb ish" : : : "memory");
	write64(p->mmio, 0);
	halt();
}
