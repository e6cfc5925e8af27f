/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_psci_test, copied into a VM's code page; see
 * pvm_psci_guest.h.
 */
#include "pvm_guest_asm.S"

	/* One PSCI call, its x0 reported with a write to MMIO + 0. */
	.macro	call fn_hi, fn_lo
	fnid	x0, \fn_hi, \fn_lo
	hvc	#0
	str	x0, [x20]
	.endm

	.section .rodata
	.globl	psci_guest, psci_guest_end
/* 8-byte aligned, as its copy at the start of the code page is. */
	.balign	8
psci_guest:
	ldp	x20, x21, [x0]		/* MMIO, number of vCPUs */
	call	0x8400, 0x0000		/* VERSION */
	fnid	x1, 0xc400, 0x0003
	call	0x8400, 0x000a		/* FEATURES (CPU_ON) */
	fnid	x1, 0x8400, 0x001f
	call	0x8400, 0x000a		/* FEATURES (function 31) */
	mov	x1, #0x100
	adr	x2, secondary
	mov	x3, xzr
	call	0xc400, 0x0003		/* CPU_ON: no such vCPU */
	mov	x1, xzr
	call	0xc400, 0x0003		/* CPU_ON: itself */
	mov	x2, #1
	call	0xc400, 0x0004		/* AFFINITY_INFO of vCPU 0 at level 1: ON */
	/* Each secondary on, with its index as its context ID. */
	mov	x22, #1
1:	cmp	x22, x21
	b.hs	2f
	mov	x1, x22
	adr	x2, secondary
	mov	x3, x22
	call	0xc400, 0x0003
	add	x22, x22, #1
	b	1b
2:	bl	wait_all_off
	/* vCPU 1 once more, after its CPU_OFF. */
	mov	x1, #1
	adr	x2, secondary
	mov	x3, #101
	call	0xc400, 0x0003
	bl	wait_all_off
	fnid	x0, 0x8400, 0x0008	/* SYSTEM_OFF */
	hvc	#0
	b	.

/* Until AFFINITY_INFO says vCPUs 1 to n - 1 are off; then MMIO + 8. */
wait_all_off:
	mov	x23, #1
3:	cmp	x23, x21
	b.hs	5f
4:	mov	x1, x23
	mov	x2, xzr
	fnid	x0, 0xc400, 0x0004
	hvc	#0
	cmp	x0, #1			/* OFF */
	b.ne	4b
	add	x23, x23, #1
	b	3b
5:	str	x21, [x20, #8]
	ret

/*
 * x0 = the context ID. Report it to MMIO + 16, MPIDR_EL1 to MMIO + 24
 * and x1 | x2 | x30 (zero after a reset) to MMIO + 32. Report the EL1
 * system registers a reset leaves zero, ORed, to MMIO + 48, and SCTLR_EL1
 * to MMIO + 56. Then CPU_OFF; if that returns, report its x0 to MMIO + 40.
 */
secondary:
	orr	x4, x1, x2
	orr	x4, x4, x30
	adr	x5, psci_guest
	ldr	x20, [x5, #0x800]	/* MMIO, from GUEST_PARAMS */
	str	x0, [x20, #16]
	mrs	x5, mpidr_el1
	str	x5, [x20, #24]
	str	x4, [x20, #32]
	mrs	x6, ttbr0_el1
	mrs	x7, ttbr1_el1
	orr	x6, x6, x7
	mrs	x7, tcr_el1
	orr	x6, x6, x7
	mrs	x7, mair_el1
	orr	x6, x6, x7
	mrs	x7, amair_el1
	orr	x6, x6, x7
	mrs	x7, contextidr_el1
	orr	x6, x6, x7
	mrs	x7, tpidr_el1
	orr	x6, x6, x7
	mrs	x7, tpidr_el0
	orr	x6, x6, x7
	mrs	x7, tpidrro_el0
	orr	x6, x6, x7
	mrs	x7, cpacr_el1
	orr	x6, x6, x7
	mrs	x7, cntkctl_el1
	orr	x6, x6, x7
	mrs	x7, vbar_el1
	orr	x6, x6, x7
	mrs	x7, par_el1
	orr	x6, x6, x7
	mrs	x7, sp_el0
	orr	x6, x6, x7
	mrs	x7, elr_el1
	orr	x6, x6, x7
	mrs	x7, spsr_el1
	orr	x6, x6, x7
	mrs	x7, far_el1
	orr	x6, x6, x7
	mrs	x7, esr_el1
	orr	x6, x6, x7
	str	x6, [x20, #48]
	mrs	x7, sctlr_el1
	str	x7, [x20, #56]
	fnid	x0, 0x8400, 0x0002	/* CPU_OFF */
	hvc	#0
	str	x0, [x20, #40]
	b	.
psci_guest_end:
