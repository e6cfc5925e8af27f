/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exits of pvm_regs_test's guest (pvm_regs_guest.h), in assembly for
 * the secret to be in every register at each of them:
 * regs_tail(x0 at entry, MMIO address, data page, secret).
 */
#include "../pvm_regs_guest.h"

	.text
	.globl	regs_tail
regs_tail:
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	/* FP/SIMD on, for the secret to go there too. */
	mov	x9, #(3 << 20)
	msr	cpacr_el1, x9
	isb
	dup	v0.2d, x22
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, \
		   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	mov	v\n\().16b, v0.16b
	.endr
	msr	tpidr_el1, x22
	msr	tpidr_el0, x22
	msr	tpidrro_el0, x22
	msr	elr_el1, x22
	msr	far_el1, x22
	msr	sp_el0, x22
	mov	sp, x22
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, \
		   17, 18, 23, 24, 25, 26, 27, 28, 29, 30
	mov	x\n, x22
	.endr
	/* A first touch of the data page: a store of the secret. */
	str	x22, [x21]
	/* An MMIO load; the host supplies the value. */
	ldr	x5, [x20, #REGS_LOAD]
	/* A call the host answers, made with x1-x3 clear. */
	movz	x0, #0x0020
	movk	x0, #0xc600, lsl #16
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	hvc	#0
	/* Report the loaded value, the call's result, and the end. */
	str	x5, [x20, #REGS_LOADED]
	str	x0, [x20, #REGS_CALL]
	/* Narrow MMIO: a byte of the secret out, a byte and a halfword in. */
	strb	w22, [x20, #REGS_BYTE_OUT]
	ldrb	w6, [x20, #REGS_BYTE_IN]
	ldrsh	x7, [x20, #REGS_HALF_IN]
	str	x6, [x20, #REGS_BYTE_GOT]
	str	x7, [x20, #REGS_HALF_GOT]
	str	x19, [x20, #REGS_END]
	b	.
