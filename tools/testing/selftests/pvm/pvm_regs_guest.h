/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_regs_test (guest/regs.c, guest/regs_tail.S). x0 =
 * struct regs_params.
 *
 * It puts the secret in every general purpose register it does not need,
 * in v0-v31, SP, SP_EL0, ELR_EL1, FAR_EL1 and the thread ID registers. Then
 * it stores the secret to its data page (a first touch, which faults),
 * loads from MMIO + REGS_LOAD into x5, and calls function 0xc6000020, a
 * vendor-hyp call that the host answers NOT_SUPPORTED. It reports x5 to
 * MMIO + REGS_LOADED and the call's x0 to MMIO + REGS_CALL. Then it stores
 * the secret's low byte to MMIO + REGS_BYTE_OUT (strb), loads a byte from
 * MMIO + REGS_BYTE_IN (ldrb) and a halfword, sign-extended, from MMIO +
 * REGS_HALF_IN (ldrsh x7), and reports those two at MMIO + REGS_BYTE_GOT
 * and + REGS_HALF_GOT. It ends with its x0 at entry written to MMIO +
 * REGS_END.
 */
#ifndef PVM_REGS_GUEST_H
#define PVM_REGS_GUEST_H

/* Where it reports, from its MMIO address (regs_tail.S uses them too). */
#define REGS_END	0
#define REGS_LOAD	8
#define REGS_LOADED	16
#define REGS_CALL	24
#define REGS_BYTE_OUT	32
#define REGS_BYTE_IN	40
#define REGS_HALF_IN	48
#define REGS_BYTE_GOT	56
#define REGS_HALF_GOT	64

#ifndef __ASSEMBLER__
#include <stdint.h>

struct regs_params {
	uint64_t mmio, data, secret;
};

extern const uint32_t regs_guest[], regs_guest_end[];
#endif

#endif /* PVM_REGS_GUEST_H */
