// SPDX-License-Identifier: GPL-2.0
/*
 * serror_guest (pvm_small_guests.h): takes SErrors between its two exits,
 * so that one the host made up would stall it (entry.S's SError vector).
 */
#include "guest.h"
#include "../pvm_writer_guest.h"

void guest_main(const void *params)
{
	const struct writer_params *p = params;

	asm volatile("msr daifclr, #4" : : : "memory");
	write64(p->mmio, 0);
	write64(p->mmio, 0);
	halt();
}
