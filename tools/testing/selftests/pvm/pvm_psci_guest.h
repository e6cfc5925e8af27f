/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_psci_test (pvm_psci_guest.S). x0 = struct psci_params.
 *
 * vCPU 0 reports with writes to MMIO + 0 the results of: VERSION,
 * FEATURES of CPU_ON and of function 31, CPU_ON of an MPIDR with no vCPU
 * and of itself, AFFINITY_INFO at level 1, then CPU_ON of each other vCPU
 * i with context ID i. It waits for AFFINITY_INFO to say all of them are
 * off (a write to MMIO + 8), turns vCPU 1 on once more with context ID
 * 101, waits again, and calls SYSTEM_OFF.
 *
 * Each other vCPU reports its context ID to MMIO + 16, its MPIDR_EL1 to
 * MMIO + 24, x1 | x2 | x30 to MMIO + 32, the OR of the EL1 system
 * registers a reset leaves zero (TTBRn, TCR, MAIR, AMAIR, CONTEXTIDR, the
 * TPIDRs, CPACR, CNTKCTL, VBAR, PAR, SP_EL0, ELR, SPSR, FAR, ESR) to
 * MMIO + 48 and SCTLR_EL1 to MMIO + 56, then calls CPU_OFF.
 */
#ifndef PVM_PSCI_GUEST_H
#define PVM_PSCI_GUEST_H

#include <stdint.h>

struct psci_params {
	uint64_t mmio, nr_vcpus;
};

extern const uint32_t psci_guest[], psci_guest_end[];

#endif /* PVM_PSCI_GUEST_H */
