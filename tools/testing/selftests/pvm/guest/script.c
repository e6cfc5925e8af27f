// SPDX-License-Identifier: GPL-2.0
/*
 * The script guest of pvm_hvc_test and pvm_measure_test; see
 * pvm_hvc_guest.h.
 */
#include "guest.h"
#include "../pvm_hvc_guest.h"

void guest_main(const void *params)
{
	const struct script *s = params;
	struct smccc_res res;
	uint64_t i;

	fill64(s->data, s->words, s->pattern);
	for (i = 0; i < s->ncalls; i++) {
		res = smccc_hvc(s->calls[i][0], s->calls[i][1],
				s->calls[i][2], s->calls[i][3]);
		write64(s->mmio + SCRIPT_RESULT, res.a0);
		write64(s->mmio + SCRIPT_RESULT, res.a1);
		write64(s->mmio + SCRIPT_RESULT, res.a2);
		write64(s->mmio + SCRIPT_RESULT, res.a3);
	}
	if (s->probe)
		write64(s->mmio + SCRIPT_PROBE, read64(s->probe));
	write64(s->mmio + SCRIPT_END, 0);
	halt();
}

/* The parameters are at GUEST_PARAMS whatever x0 was at entry. */
void guest_sync_exception(uint64_t esr)
{
	const struct script *s = (const void *)(GUEST_BASE + GUEST_PARAMS);

	write64(s->mmio + SCRIPT_ESR, esr);
	halt();
}
