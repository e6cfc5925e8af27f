/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One test guest's binary, GUEST_BIN, in the test program that loads it,
 * from GUEST_SYM to GUEST_SYM_end (see the Makefile): whole 32-bit words,
 * as pvm_util.c counts them.
 */
#define __GUEST_END(sym)	sym##_end
#define GUEST_END(sym)		__GUEST_END(sym)

	.section .rodata
	.globl	GUEST_SYM, GUEST_END(GUEST_SYM)
	.balign	8
GUEST_SYM:
	.incbin	GUEST_BIN
	.balign	4
GUEST_END(GUEST_SYM):
