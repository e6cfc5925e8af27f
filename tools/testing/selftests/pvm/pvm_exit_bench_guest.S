/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_exit_bench, copied into a VM's code page; see
 * pvm_exit_bench.c. x0 = { HVC count, MMIO count, MMIO address, function }.
 */
#include "pvm_guest_asm.S"

	.section .rodata
	.globl	exit_bench_guest, exit_bench_guest_end
/* 8-byte aligned, as its copy at the start of the code page is. */
	.balign	8
exit_bench_guest:
	ldp	x19, x20, [x0]
	ldp	x21, x22, [x0, #16]
	/* Guard the MMIO page: a protected guest's MMIO is then one exit. */
	mmio_guard x21
	/* The calls, then a write to MMIO + 8. */
1:	cbz	x19, 2f
	mov	x0, x22
	mov	x1, xzr
	hvc	#0
	sub	x19, x19, #1
	b	1b
2:	str	xzr, [x21, #8]
	/* The MMIO writes, then one to MMIO + 16. */
3:	cbz	x20, 4f
	str	x20, [x21]
	sub	x20, x20, #1
	b	3b
4:	str	xzr, [x21, #16]
	b	.
exit_bench_guest_end:
