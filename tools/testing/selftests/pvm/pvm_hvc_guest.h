/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guests of pvm_hvc_test (pvm_hvc_guest.S).
 *
 * script_guest: x0 = struct script. It fills its data pages with a
 * pattern, then makes each listed HVC and reports x0-x3 after it with four
 * MMIO writes. If the script has a probe address, it then loads from it
 * and reports the value to MMIO + 24. It ends with a write to MMIO + 8. A
 * synchronous exception (an abort EL2 injects) reports ESR_EL1 to
 * MMIO + 16 and stops the guest.
 *
 * fuzz_guest: x0 = struct fuzz. It guards the page of its MMIO report,
 * makes random vendor-hyp calls with random arguments, then reports how
 * many with one MMIO write.
 */
#ifndef PVM_HVC_GUEST_H
#define PVM_HVC_GUEST_H

#include <stdint.h>

extern const uint32_t script_guest[], script_guest_end[];
extern const uint32_t fuzz_guest[], fuzz_guest_end[];

#endif /* PVM_HVC_GUEST_H */
