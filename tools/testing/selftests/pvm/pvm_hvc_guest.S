/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Position-independent guests for pvm_hvc_test, copied into a VM's code
 * page; see pvm_hvc_guest.h.
 */
#include "pvm_guest_asm.S"

	.section .rodata
	.globl	script_guest, script_guest_end, fuzz_guest, fuzz_guest_end
/*
 * The script guest starts 2 KiB aligned: its exception vectors are at its
 * start, and VBAR_EL1 needs that. The fuzz guest starts 8-byte aligned, so
 * that its literals stay aligned once copied to the start of the code page:
 * with the MMU off, an unaligned load is an alignment fault.
 */
	.balign	2048
script_guest:
	adr	x9, script_guest
	msr	vbar_el1, x9
	isb
	mov	x20, x0
	ldr	x21, [x20, #24]
	ldp	x1, x2, [x20, #8]
	ldr	x0, [x20]
1:	str	x2, [x0], #8
	subs	x1, x1, #1
	b.ne	1b
	ldr	x22, [x20, #32]
	add	x23, x20, #48
2:	cbz	x22, 3f
	ldp	x0, x1, [x23], #16
	ldp	x2, x3, [x23], #16
	hvc	#0
	str	x0, [x21]
	str	x1, [x21]
	str	x2, [x21]
	str	x3, [x21]
	sub	x22, x22, #1
	b	2b
3:	ldr	x9, [x20, #40]
	cbz	x9, 4f
	ldr	x10, [x9]
	str	x10, [x21, #24]
4:	str	xzr, [x21, #8]
	b	.
	/* Synchronous exception, current EL with SP_ELx: report ESR_EL1. */
	.skip	0x200 - (. - script_guest)
	mrs	x10, esr_el1
	str	x10, [x21, #16]
	b	.
script_guest_end:
/*
 * x19 = calls left, x20 = LCG state, x21/x22 = IPA base/size,
 * x23 = MMIO exit, x24/x25 = LCG constants, x26 = calls made.
 * Function IDs: vendor-hyp, SMC32 or SMC64, function 0-15 or any;
 * x1: a page of guest memory, unaligned in it, or anything;
 * x2, x3: mostly zero.
 */
	.balign 8
fuzz_guest:
	ldp	x19, x20, [x0]
	ldp	x21, x22, [x0, #16]
	ldr	x23, [x0, #32]
	/* Guard the page of the report first, as random guards may follow. */
	mmio_guard x23
	ldr	x24, 10f
	ldr	x25, 11f
	mov	x26, #0
4:	cbz	x19, 9f
	madd	x20, x20, x24, x25
	lsr	x0, x20, #32
	tst	x20, #(1 << 40)
	and	x1, x0, #0xf
	and	x0, x0, #0xffff
	csel	x0, x1, x0, eq
	tst	x20, #(1 << 41)
	mov	x1, #0x86000000
	mov	x2, #0xc6000000
	csel	x1, x1, x2, eq
	orr	x0, x0, x1
	madd	x20, x20, x24, x25
	udiv	x2, x20, x22
	msub	x1, x2, x22, x20
	tst	x20, #(1 << 50)
	and	x2, x1, #~0xfff
	csel	x1, x2, x1, eq
	add	x1, x1, x21
	tst	x20, #(3 << 51)
	csel	x1, x1, x20, ne
	madd	x20, x20, x24, x25
	tst	x20, #(7 << 60)
	csel	x2, xzr, x20, ne
	tst	x20, #(7 << 56)
	csel	x3, xzr, x20, ne
	hvc	#0
	add	x26, x26, #1
	sub	x19, x19, #1
	b	4b
9:	str	x26, [x23]
	b	.
.balign 8
10:	.quad	6364136223846793005
11:	.quad	1442695040888963407
fuzz_guest_end:
