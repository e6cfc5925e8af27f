/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_memory_test's relinquish race, copied into a VM's code
 * page; see pvm_relinquish_guest.h.
 */
#include "pvm_guest_asm.S"

	.section .rodata
	.globl	relinquish_guest, relinquish_guest_end
/* 8-byte aligned, as its copy at the start of the code page is. */
	.balign	8
relinquish_guest:
	mov	x19, x0
	ldp	x20, x21, [x19]		/* MMIO, the page */
	ldp	x22, x23, [x19, #16]	/* rounds, the stop flag */
	fnid	x0, 0xc400, 0x0003	/* CPU_ON vCPU 1, x0 = the params */
	mov	x1, #1
	adr	x2, toucher
	mov	x3, x19
	hvc	#0
1:	fnid	x0, 0xc600, 0x0009	/* MEM_RELINQUISH the page */
	mov	x1, x21
	mov	x2, xzr
	mov	x3, xzr
	hvc	#0
	ldr	x4, [x21]		/* and fault it back in */
	subs	x22, x22, #1
	b.ne	1b
	mov	x4, #1
	str	x4, [x23]
	str	x4, [x20]		/* MMIO + 0: done */
	b	.

toucher:
	ldp	x20, x21, [x0]		/* MMIO, the page */
	ldr	x23, [x0, #24]		/* the stop flag */
2:	ldr	x4, [x21]
	ldr	x5, [x23]
	cbz	x5, 2b
	str	x5, [x20, #8]		/* MMIO + 8: stopped */
	b	.
relinquish_guest_end:
