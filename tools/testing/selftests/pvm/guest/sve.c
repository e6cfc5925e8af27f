// SPDX-License-Identifier: GPL-2.0
/*
 * sve_guest (pvm_small_guests.h): owns SVE after its first exit, so that
 * EL2 saves its Z registers at the second.
 */
#include "guest.h"
#include "../pvm_writer_guest.h"

#define CPACR_EL1_FPEN_ZEN	0x330000UL	/* no trap of FP/SIMD nor SVE */

void guest_main(const void *params)
{
	const struct writer_params *p = params;

	write64(p->mmio, 0);
	asm volatile("msr cpacr_el1, %0\n\tisb" : : "r"(CPACR_EL1_FPEN_ZEN)
		     : "memory");
	asm volatile(".arch_extension sve\n\tmov z0.b, #0x5a" : : : "memory");
	write64(p->mmio, 0);
	halt();
}
