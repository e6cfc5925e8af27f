// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of vm_prepare_writer(); see pvm_writer_guest.h.
 */
#include "guest.h"
#include "../pvm_writer_guest.h"

/* Its exit: a write to @mmio, with @pattern in x2. */
static inline void exit_with_x2(uint64_t mmio, uint64_t pattern)
{
	register uint64_t x2 asm("x2") = pattern;

	asm volatile("str xzr, [%0]" : : "r"(mmio), "r"(x2) : "memory");
}

void guest_main(const void *params)
{
	const struct writer_params *p = params;

	fill64(p->data, p->words, p->pattern);
	exit_with_x2(p->mmio, p->pattern);
	halt();
}
