/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guests of pvm_hvc_test and pvm_measure_test (guest/script.c,
 * guest/fuzz.c), and their parameters: this header is the one definition
 * both the guests and the tests compile.
 *
 * script_guest: x0 = struct script. It fills its data pages with a
 * pattern, then makes each listed HVC and reports x0-x3 after it with four
 * MMIO writes to MMIO + SCRIPT_RESULT. If the script has a probe address,
 * it then loads from it and reports the value to MMIO + SCRIPT_PROBE. It
 * ends with a write to MMIO + SCRIPT_END. A synchronous exception (an
 * abort EL2 injects) reports ESR_EL1 to MMIO + SCRIPT_ESR and stops the
 * guest.
 *
 * fuzz_guest: x0 = struct fuzz. It guards the page of its MMIO report,
 * makes random vendor-hyp calls with random arguments, then reports how
 * many with one MMIO write.
 */
#ifndef PVM_HVC_GUEST_H
#define PVM_HVC_GUEST_H

#include <stdint.h>

#define MAX_CALLS	16

/* Where the script guest reports, from its MMIO address. */
#define SCRIPT_RESULT	0
#define SCRIPT_END	8
#define SCRIPT_ESR	16
#define SCRIPT_PROBE	24

struct script {
	uint64_t data, words, pattern, mmio, ncalls, probe;
	uint64_t calls[MAX_CALLS][4];
};

/*
 * Random calls, @iterations of them, from @seed; x1 mostly in
 * [@ipa_base, @ipa_base + @ipa_size). The count goes to @mmio.
 */
struct fuzz {
	uint64_t iterations, seed, ipa_base, ipa_size, mmio;
};

extern const uint32_t script_guest[], script_guest_end[];
extern const uint32_t fuzz_guest[], fuzz_guest_end[];

#endif /* PVM_HVC_GUEST_H */
