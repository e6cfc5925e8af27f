/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a test guest lives, shared by the host side (pvm_util.c), the
 * guests (guest/) and their linker script, which links each guest at the
 * address it runs from.
 *
 * The code page, the first page of the memslot at GUEST_BASE, holds the
 * guest's code and read-only data from its start, its parameter block from
 * GUEST_PARAMS and the vCPUs' stacks from GUEST_STACKS to the end of its
 * first 4 KiB. The data pages follow it.
 */
#ifndef PVM_LAYOUT_H
#define PVM_LAYOUT_H

#if defined(__ASSEMBLER__) || defined(PVM_LINKER_SCRIPT)
#define PVM_UL(x)	x
#else
#define PVM_UL(x)	x##UL
#endif

#define GUEST_BASE	PVM_UL(0x80000000)
#define GUEST_PARAMS	0x800		/* in the code page */
#define GUEST_STACKS	0xc00		/* in the code page */
/* vCPU n's stack: 256 bytes down from GUEST_STACK_TOP - n * 256. */
#define GUEST_STACK_SHIFT	8
#define GUEST_MAX_VCPUS	4
#define GUEST_STACK_TOP	(GUEST_BASE + GUEST_STACKS + \
			 (GUEST_MAX_VCPUS << GUEST_STACK_SHIFT))
#define MMIO_EXIT	PVM_UL(0x10000000)

#endif /* PVM_LAYOUT_H */
