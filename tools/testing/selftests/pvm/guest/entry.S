/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test guests' entry points and exception vector (guest.h). Linked
 * first, at GUEST_BASE, where vCPU 0 starts; VBAR_EL1 points there too,
 * GUEST_BASE being 2 KiB aligned as VBAR_EL1 needs.
 *
 * The guests run at EL1 with SP_EL1 and never at EL0, so only the vectors
 * of the current EL with SP_ELx are there: a synchronous exception
 * (VBAR_EL1 + 0x200) calls guest_sync_exception(); an IRQ, FIQ or SError
 * halts the vCPU without an exit. IRQ, FIQ and SError are masked out of
 * reset; only the guest of hostile.serror_not_injected unmasks SError, and
 * an SError the host made up must stall it.
 */
#include "../pvm_layout.h"

/* SP = the top of this vCPU's stack, by MPIDR_EL1.Aff0; clobbers x9, x10. */
	.macro	set_stack
	mrs	x9, mpidr_el1
	and	x9, x9, #0xff
	cmp	x9, #GUEST_MAX_VCPUS
	b.hs	guest_halt
	ldr	x10, =GUEST_STACK_TOP
	sub	x10, x10, x9, lsl #GUEST_STACK_SHIFT
	mov	sp, x10
	.endm

	.section .text.entry, "ax"
	.globl	_start
_start:
	/*
	 * pvm_measure_test also enters at _start + 4: skipping this first
	 * instruction costs that run only its exception vector.
	 */
	adr	x9, _start
	msr	vbar_el1, x9
	isb
	set_stack
	bl	guest_main
	b	guest_halt

	.org	0x200
	/* Synchronous exception, current EL with SP_ELx. */
	mrs	x0, esr_el1
	bl	guest_sync_exception
	b	guest_halt
	.org	0x280			/* IRQ */
	b	guest_halt
	.org	0x300			/* FIQ */
	b	guest_halt
	.org	0x380			/* SError */
	b	guest_halt
	.ltorg

	.text
/*
 * PSCI CPU_ON's entry: x0 = the context ID. It sets SP, and calls
 * guest_secondary() with the context ID and x1, x2 and x30 as they were,
 * touching no other register (pvm_psci_test checks what reset left).
 */
	.globl	secondary_entry
secondary_entry:
	mov	x3, x30
	set_stack
	bl	guest_secondary
	b	guest_halt
	.ltorg

	.globl	guest_halt
guest_halt:
	b	.

/* For guests that define no handler, nor second vCPU: stop here. */
	.weak	guest_sync_exception, guest_secondary
guest_sync_exception:
guest_secondary:
	b	.
