// SPDX-License-Identifier: GPL-2.0
/*
 * tpidr2_guest (pvm_small_guests.h): writes @data to TPIDR2_EL0, SME's
 * register, which no guest is given, unless @data is 0; then reads it and
 * writes what it read to @mmio. An access that traps and UNDEFs writes
 * its ESR to @mmio + 8 instead.
 */
#include "guest.h"
#include "../pvm_writer_guest.h"

/* TPIDR2_EL0, by encoding: the assembler knows it only with SME. */
#define TPIDR2_EL0	"s3_3_c13_c0_5"

void guest_main(const void *params)
{
	const struct writer_params *p = params;
	uint64_t val;

	if (p->data)
		asm volatile("msr " TPIDR2_EL0 ", %0" : : "r"(p->data));
	asm volatile("mrs %0, " TPIDR2_EL0 : "=r"(val));
	write64(p->mmio, val);
	halt();
}

/* The parameters are at GUEST_PARAMS whatever x0 was at entry. */
void guest_sync_exception(uint64_t esr)
{
	const struct writer_params *p = (const void *)(GUEST_BASE +
						       GUEST_PARAMS);

	write64(p->mmio + 8, esr);
	halt();
}
