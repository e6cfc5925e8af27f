/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_regs_test (pvm_regs_guest.S). x0 = struct regs_params.
 *
 * It puts the secret in every general purpose register it does not need,
 * in v0-v31, SP, SP_EL0, ELR_EL1, FAR_EL1 and the thread ID registers. Then
 * it stores the secret to its data page (a first touch, which faults), loads
 * from MMIO + 8 into x5, and calls function 0xc6000020, a vendor-hyp call
 * that the host answers NOT_SUPPORTED. It reports x5 with a write to MMIO +
 * 16 and the call's x0 to MMIO + 24. Then it stores the secret's low byte
 * to MMIO + 32 (strb), loads a byte from MMIO + 40 (ldrb) and a halfword,
 * sign-extended, from MMIO + 48 (ldrsh x7), and reports those two at MMIO +
 * 56 and + 64. It ends with its x0 at entry written to MMIO + 0.
 */
#ifndef PVM_REGS_GUEST_H
#define PVM_REGS_GUEST_H

#include <stdint.h>

struct regs_params {
	uint64_t mmio, data, secret;
};

extern const uint32_t regs_guest[], regs_guest_end[];

#endif /* PVM_REGS_GUEST_H */
