// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of pvm_psci_test; see pvm_psci_guest.h.
 */
#include "guest.h"
#include "../pvm_psci_guest.h"

/* One PSCI call, its x0 reported to MMIO + PSCI_BOOT. */
static void call(uint64_t mmio, uint64_t fn, uint64_t a1, uint64_t a2,
		 uint64_t a3)
{
	write64(mmio + PSCI_BOOT, smccc_hvc(fn, a1, a2, a3).a0);
}

/* Until AFFINITY_INFO says vCPUs 1 to n - 1 are off; then report. */
static void wait_all_off(uint64_t mmio, uint64_t nr_vcpus)
{
	uint64_t i;

	for (i = 1; i < nr_vcpus; i++) {
		while (smccc_hvc(PSCI_AFFINITY_INFO, i, 0, 0).a0 !=
		       PSCI_AFFINITY_OFF)
			;
	}
	write64(mmio + PSCI_ALL_OFF, nr_vcpus);
}

void guest_main(const void *params)
{
	const struct psci_params *p = params;
	uint64_t mmio = p->mmio, nr_vcpus = p->nr_vcpus, i;
	uint64_t entry = (uintptr_t)secondary_entry;

	call(mmio, PSCI_VERSION, 0, 0, 0);
	call(mmio, PSCI_FEATURES, PSCI_CPU_ON, 0, 0);
	call(mmio, PSCI_FEATURES, 0x8400001f, 0, 0);
	call(mmio, PSCI_CPU_ON, 0x100, entry, 0);	/* no such vCPU */
	call(mmio, PSCI_CPU_ON, 0, entry, 0);		/* itself */
	call(mmio, PSCI_AFFINITY_INFO, 0, 1, 0);	/* vCPU 0, level 1 */
	for (i = 1; i < nr_vcpus; i++)
		call(mmio, PSCI_CPU_ON, i, entry, i);
	wait_all_off(mmio, nr_vcpus);
	call(mmio, PSCI_CPU_ON, 1, entry, PSCI_CONTEXT_AGAIN);
	wait_all_off(mmio, nr_vcpus);
	smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	halt();
}

/*
 * Reads the registers before it writes any: SP_EL1 is the only one
 * secondary_entry set.
 */
void guest_secondary(uint64_t context, uint64_t x1, uint64_t x2,
		     uint64_t x30)
{
	const struct psci_params *p = (const void *)(GUEST_BASE + GUEST_PARAMS);
	uint64_t zero;

	zero = read_sysreg(ttbr0_el1) | read_sysreg(ttbr1_el1) |
	       read_sysreg(tcr_el1) | read_sysreg(mair_el1) |
	       read_sysreg(amair_el1) | read_sysreg(contextidr_el1) |
	       read_sysreg(tpidr_el1) | read_sysreg(tpidr_el0) |
	       read_sysreg(tpidrro_el0) | read_sysreg(cpacr_el1) |
	       read_sysreg(cntkctl_el1) | read_sysreg(vbar_el1) |
	       read_sysreg(par_el1) | read_sysreg(sp_el0) |
	       read_sysreg(elr_el1) | read_sysreg(spsr_el1) |
	       read_sysreg(far_el1) | read_sysreg(esr_el1);
	write64(p->mmio + PSCI_CONTEXT, context);
	write64(p->mmio + PSCI_MPIDR, read_sysreg(mpidr_el1));
	write64(p->mmio + PSCI_ENTRY_REGS, x1 | x2 | x30);
	write64(p->mmio + PSCI_RESET_ZERO, zero);
	write64(p->mmio + PSCI_SCTLR, read_sysreg(sctlr_el1));
	write64(p->mmio + PSCI_OFF_FAILED,
		smccc_hvc(PSCI_CPU_OFF, 0, 0, 0).a0);
	halt();
}
