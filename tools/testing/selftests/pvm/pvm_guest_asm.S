/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assembler macros shared by the test guests (pvm_*_guest.S), which
 * include this file.
 */
#ifndef PVM_GUEST_ASM_S
#define PVM_GUEST_ASM_S

/* A 32-bit function ID, hi:lo, into \reg. */
	.macro	fnid reg, hi, lo
	movz	\reg, #\lo
	movk	\reg, #\hi, lsl #16
	.endm

/* MMIO_GUARD the page of the address in \addr; clobbers x0-x3. */
	.macro	mmio_guard addr
	fnid	x0, 0xc600, 0x0007
	and	x1, \addr, #~0xfff
	mov	x2, xzr
	mov	x3, xzr
	hvc	#0
	.endm

#endif /* PVM_GUEST_ASM_S */
