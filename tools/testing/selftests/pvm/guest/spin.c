// SPDX-License-Identifier: GPL-2.0
/*
 * spin_guest (pvm_small_guests.h): a loop long enough to dwarf the EL1
 * work around one run.
 */
#include "guest.h"
#include "../pvm_writer_guest.h"

void guest_main(const void *params)
{
	const struct writer_params *p = params;
	uint64_t n;

	for (n = p->data; n; n--)
		asm volatile("");
	write64(p->mmio, 0);
	halt();
}
