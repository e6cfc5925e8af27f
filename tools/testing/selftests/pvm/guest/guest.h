/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the test guests' C code needs: it runs at EL1 with the MMU off, in
 * the code page of a VM that pvm_util.c made (see pvm_layout.h), linked at
 * the address it runs from, without a C library.
 *
 * entry.S starts vCPU 0 at guest_main(x0), x0 being the parameter block,
 * and a vCPU that PSCI CPU_ON turns on at secondary_entry, which calls
 * guest_secondary(). A synchronous exception calls guest_sync_exception().
 *
 * With the MMU off every data access is to Device memory: an unaligned one
 * faults, hence -mstrict-align.
 *
 * The guests report to the test with MMIO writes (write64() to an address
 * under MMIO_EXIT), not with upstream's ucall, which hands the host a
 * pointer into guest memory: a protected VM's memory is not the host's to
 * read, and sharing a page for it first (as x86's sev_smoke_test.c does
 * for SEV) would put MEM_SHARE calls into the very sequences the tests
 * check. An MMIO exit shows the host the written value, also for a
 * protected VM that has guarded the page with MMIO_GUARD.
 */
#ifndef PVM_GUEST_H
#define PVM_GUEST_H

#include <stdint.h>

#include "../pvm_layout.h"

/* SMCCC function IDs the guests call themselves. */
#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL
#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_FEATURES		0x8400000aUL
#define PSCI_AFFINITY_OFF	1
#define VENDOR_HYP_32		0x86000000UL
#define VENDOR_HYP_64		0xc6000000UL
#define HYP_MMIO_GUARD		(VENDOR_HYP_64 | 7)
#define HYP_MEM_RELINQUISH	(VENDOR_HYP_64 | 9)

#define PAGE_4K_MASK		(~0xfffUL)

struct smccc_res {
	uint64_t a0, a1, a2, a3;
};

/*
 * An HVC with x0-x3 = @fn, @a1, @a2, @a3: x0-x3 after it. SMCCC lets the
 * callee change x4-x17 too.
 */
static inline struct smccc_res smccc_hvc(uint64_t fn, uint64_t a1,
					 uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn;
	register uint64_t x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = a3;

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (struct smccc_res){ x0, x1, x2, x3 };
}

/*
 * One str of a 64-bit register, without writeback, at @addr: an MMIO
 * write the host can emulate (a store pair, or one with writeback, has no
 * valid syndrome), or a store to memory that the compiler may neither drop
 * nor merge.
 */
static inline void write64(uint64_t addr, uint64_t val)
{
	asm volatile("str %x1, [%0]" : : "r"(addr), "rZ"(val) : "memory");
}

/* One ldr of a 64-bit register from @addr: MMIO, or memory; see write64(). */
static inline uint64_t read64(uint64_t addr)
{
	uint64_t val;

	asm volatile("ldr %0, [%1]" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

/* Store @val over @words words from @addr. */
static inline void fill64(uint64_t addr, uint64_t words, uint64_t val)
{
	uint64_t i;

	for (i = 0; i < words; i++)
		write64(addr + 8 * i, val);
}

/* MMIO_GUARD the 4 KiB page of @addr: x0 of the call. */
static inline uint64_t mmio_guard(uint64_t addr)
{
	return smccc_hvc(HYP_MMIO_GUARD, addr & PAGE_4K_MASK, 0, 0).a0;
}

#define read_sysreg(r) ({					\
	uint64_t __val;						\
	asm volatile("mrs %0, " #r : "=r"(__val));		\
	__val;							\
})

/* Spin here for good: the test has had the guest's last report. */
static inline void halt(void)
{
	for (;;)
		asm volatile("");
}

/* Each guest defines guest_main(); the other two are optional. */
void guest_main(const void *params);
void guest_secondary(uint64_t context, uint64_t x1, uint64_t x2,
		     uint64_t x30);
void guest_sync_exception(uint64_t esr);

/* Where PSCI CPU_ON starts a vCPU, for guest_secondary(). */
extern const uint32_t secondary_entry[];

#endif /* PVM_GUEST_H */
