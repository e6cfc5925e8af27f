// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of pvm_regs_test; see pvm_regs_guest.h. Its exits, which must
 * leave the secret in every register they can, are regs_tail.S's.
 */
#include "guest.h"
#include "../pvm_regs_guest.h"

/* regs_tail.S: it never returns. */
void regs_tail(uint64_t x0, uint64_t mmio, uint64_t data, uint64_t secret);

void guest_main(const void *params)
{
	const struct regs_params *p = params;

	regs_tail((uintptr_t)params, p->mmio, p->data, p->secret);
}
