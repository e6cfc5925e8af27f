/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_psci_test (guest/psci.c). x0 = struct psci_params.
 *
 * vCPU 0 reports with writes to MMIO + PSCI_BOOT the results of: VERSION,
 * FEATURES of CPU_ON and of function 31, CPU_ON of an MPIDR with no vCPU
 * and of itself, AFFINITY_INFO at level 1, then CPU_ON of each other vCPU
 * i with context ID i. It waits for AFFINITY_INFO to say all of them are
 * off (a write to MMIO + PSCI_ALL_OFF), turns vCPU 1 on once more with
 * context ID PSCI_CONTEXT_AGAIN, waits again, and calls SYSTEM_OFF.
 *
 * Each other vCPU reports its context ID to MMIO + PSCI_CONTEXT, its
 * MPIDR_EL1 to MMIO + PSCI_MPIDR, x1 | x2 | x30 to MMIO + PSCI_ENTRY_REGS,
 * the OR of the EL1 system registers a reset leaves zero (TTBRn, TCR, MAIR,
 * AMAIR, CONTEXTIDR, the TPIDRs, CPACR, CNTKCTL, VBAR, PAR, SP_EL0, ELR,
 * SPSR, FAR, ESR) to MMIO + PSCI_RESET_ZERO and SCTLR_EL1 to MMIO +
 * PSCI_SCTLR, then calls CPU_OFF; if that returns, it reports its x0 to
 * MMIO + PSCI_OFF_FAILED.
 */
#ifndef PVM_PSCI_GUEST_H
#define PVM_PSCI_GUEST_H

#include <stdint.h>

/* Where the vCPUs report, from the MMIO address. */
#define PSCI_BOOT	0
#define PSCI_ALL_OFF	8
#define PSCI_CONTEXT	16
#define PSCI_MPIDR	24
#define PSCI_ENTRY_REGS	32
#define PSCI_OFF_FAILED	40
#define PSCI_RESET_ZERO	48
#define PSCI_SCTLR	56

/* vCPU 1's context ID when vCPU 0 turns it on again. */
#define PSCI_CONTEXT_AGAIN	101

struct psci_params {
	uint64_t mmio, nr_vcpus;
};

extern const uint32_t psci_guest[], psci_guest_end[];

#endif /* PVM_PSCI_GUEST_H */
