// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz guest of pvm_hvc_test; see pvm_hvc_guest.h.
 *
 * Each call takes three steps of a 64-bit LCG, x below. Function IDs:
 * vendor-hyp, SMC32 or SMC64, function 0-15 or any. x1: a page of
 * [ipa_base, ipa_base + ipa_size), or an unaligned address in it, or
 * anything. x2 and x3: mostly zero.
 */
#include "guest.h"
#include "../pvm_hvc_guest.h"

#define LCG_A	6364136223846793005ULL
#define LCG_C	1442695040888963407ULL

#define BIT(n)	(1ULL << (n))

void guest_main(const void *params)
{
	const struct fuzz *f = params;
	uint64_t left = f->iterations, x = f->seed, made = 0;
	uint64_t base = f->ipa_base, size = f->ipa_size, mmio = f->mmio;
	uint64_t fn, a1, a2, a3;

	/* Guard the page of the report first, as random guards may follow. */
	mmio_guard(mmio);
	for (; left; left--) {
		x = x * LCG_A + LCG_C;
		fn = (x >> 32) & (x & BIT(40) ? 0xffff : 0xf);
		fn |= x & BIT(41) ? VENDOR_HYP_64 : VENDOR_HYP_32;
		x = x * LCG_A + LCG_C;
		a1 = x % size;
		if (!(x & BIT(50)))
			a1 &= PAGE_4K_MASK;
		a1 = x & (3 * BIT(51)) ? base + a1 : x;
		x = x * LCG_A + LCG_C;
		a2 = x & (7 * BIT(60)) ? 0 : x;
		a3 = x & (7 * BIT(56)) ? 0 : x;
		smccc_hvc(fn, a1, a2, a3);
		made++;
	}
	write64(mmio, made);
	halt();
}
