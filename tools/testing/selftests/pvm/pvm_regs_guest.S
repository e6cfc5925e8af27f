/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_regs_test, copied into a VM's code page; see
 * pvm_regs_guest.h.
 */
	.section .rodata
	.globl	regs_guest, regs_guest_end
/* 8-byte aligned, as its copy at the start of the code page is. */
	.balign	8
regs_guest:
	mov	x19, x0
	ldp	x20, x21, [x19]
	ldr	x22, [x19, #16]
	/* FP/SIMD on, for the secret to go there too. */
	mov	x9, #(3 << 20)
	msr	cpacr_el1, x9
	isb
	dup	v0.2d, x22
	mov	v1.16b, v0.16b
	mov	v2.16b, v0.16b
	mov	v3.16b, v0.16b
	mov	v4.16b, v0.16b
	mov	v5.16b, v0.16b
	mov	v6.16b, v0.16b
	mov	v7.16b, v0.16b
	mov	v8.16b, v0.16b
	mov	v9.16b, v0.16b
	mov	v10.16b, v0.16b
	mov	v11.16b, v0.16b
	mov	v12.16b, v0.16b
	mov	v13.16b, v0.16b
	mov	v14.16b, v0.16b
	mov	v15.16b, v0.16b
	mov	v16.16b, v0.16b
	mov	v17.16b, v0.16b
	mov	v18.16b, v0.16b
	mov	v19.16b, v0.16b
	mov	v20.16b, v0.16b
	mov	v21.16b, v0.16b
	mov	v22.16b, v0.16b
	mov	v23.16b, v0.16b
	mov	v24.16b, v0.16b
	mov	v25.16b, v0.16b
	mov	v26.16b, v0.16b
	mov	v27.16b, v0.16b
	mov	v28.16b, v0.16b
	mov	v29.16b, v0.16b
	mov	v30.16b, v0.16b
	mov	v31.16b, v0.16b
	msr	tpidr_el1, x22
	msr	tpidr_el0, x22
	msr	tpidrro_el0, x22
	msr	elr_el1, x22
	msr	far_el1, x22
	msr	sp_el0, x22
	mov	sp, x22
	mov	x0, x22
	mov	x1, x22
	mov	x2, x22
	mov	x3, x22
	mov	x4, x22
	mov	x5, x22
	mov	x6, x22
	mov	x7, x22
	mov	x8, x22
	mov	x9, x22
	mov	x10, x22
	mov	x11, x22
	mov	x12, x22
	mov	x13, x22
	mov	x14, x22
	mov	x15, x22
	mov	x16, x22
	mov	x17, x22
	mov	x18, x22
	mov	x23, x22
	mov	x24, x22
	mov	x25, x22
	mov	x26, x22
	mov	x27, x22
	mov	x28, x22
	mov	x29, x22
	mov	x30, x22
	/* A first touch of the data page: a store of the secret. */
	str	x22, [x21]
	/* An MMIO load; the host supplies the value. */
	ldr	x5, [x20, #8]
	/* A call the host answers, made with x1-x3 clear. */
	movz	x0, #0x0020
	movk	x0, #0xc600, lsl #16
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	hvc	#0
	/* Report the loaded value, the call's result, and the end. */
	str	x5, [x20, #16]
	str	x0, [x20, #24]
	/* Narrow MMIO: a byte of the secret out, a byte and a halfword in. */
	strb	w22, [x20, #32]
	ldrb	w6, [x20, #40]
	ldrsh	x7, [x20, #48]
	str	x6, [x20, #56]
	str	x7, [x20, #64]
	str	x19, [x20]
	b	.
regs_guest_end:
