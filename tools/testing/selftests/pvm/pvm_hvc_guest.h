/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guests of pvm_hvc_test (pvm_hvc_guest.S).
 *
 * script_guest: x0 = struct script. It fills its data page with a pattern,
 * then makes each listed HVC and reports x0-x3 after it with four MMIO
 * writes; after the last, it writes to the MMIO address + 8.
 *
 * fuzz_guest: x0 = struct fuzz. It makes random vendor-hyp calls with
 * random arguments, then reports how many with one MMIO write.
 */
#ifndef PVM_HVC_GUEST_H
#define PVM_HVC_GUEST_H

#include <stdint.h>

extern const uint32_t script_guest[], script_guest_end[];
extern const uint32_t fuzz_guest[], fuzz_guest_end[];

#endif /* PVM_HVC_GUEST_H */
