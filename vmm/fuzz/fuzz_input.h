/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of a fuzz input, shared by the fuzz target and its seed writer.
 *
 *   [0, 16)     control: per-round event bits, send room, a register write
 *   [16, 272)   tx descriptor table (16 x 16 bytes)
 *   [272, 312)  tx avail ring
 *   [312, 568)  rx descriptor table
 *   [568, 608)  rx avail ring
 *   [608, ...)  guest data area, also what host sockets return
 *
 * A descriptor address with bit 63 clear is taken modulo the data area,
 * so most chains point somewhere real; with bit 63 set the rest of the
 * address is used as is, to aim anywhere.
 */
#ifndef PVMM_FUZZ_INPUT_H
#define PVMM_FUZZ_INPUT_H

#define FZ_QSIZE	16
#define FZ_CTRL		0
#define FZ_TXD		16
#define FZ_TXA		272
#define FZ_RXD		312
#define FZ_RXA		568
#define FZ_DATA		608
#define FZ_AVAIL_LEN	40
#define FZ_DESC_LEN	256

#define FZ_RAM_BASE	0x80000000ULL
#define FZ_RAM_SIZE	(128 * 1024)
#define FZ_DATA_OFF	0x2000		/* data area inside guest RAM */
#define FZ_RAW_ADDR	BIT_ULL(63)

#endif /* PVMM_FUZZ_INPUT_H */
