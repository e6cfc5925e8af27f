/* SPDX-License-Identifier: GPL-2.0 */
/*
 * physread_guest (pvm_small_guests.h): loads the 64-bit word at the
 * address in x0 into x5, which a PSCI call's result does not overwrite
 * (x0-x3), then asks KVM for PSCI SYSTEM_OFF. It uses no
 * stack and runs from any address: hostile.hcr_vm_kept runs it where its
 * IPA is its physical address, so that it runs the same whether stage 2
 * is on or, were the host able to turn it off, not.
 */
#define PSCI_0_2_FN_SYSTEM_OFF	0x84000008

	.text
	.globl	_start
_start:
	ldr	x5, [x0]
	ldr	w0, =PSCI_0_2_FN_SYSTEM_OFF
	hvc	#0
1:	b	1b
