/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test guest, linked at GUEST_BASE, where pvm_util.c copies it: entry.S
 * first, at its start, and everything else before the parameter block.
 * (.bss needs no zeroing: a new memfd is zero.)
 */
#include "../pvm_layout.h"

OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = GUEST_BASE;
	.text : {
		KEEP(*(.text.entry))
		*(.text .text.*)
	}
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	.bss : { *(.bss .bss.* COMMON) }
	guest_end = .;
	/DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame) }
}

ASSERT(_start == GUEST_BASE, "the entry is not at GUEST_BASE")
ASSERT(guest_end <= GUEST_BASE + GUEST_PARAMS,
       "the guest runs into its parameter block")
