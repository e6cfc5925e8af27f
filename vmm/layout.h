/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest physical address map: devices below 2 GiB, RAM from 2 GiB.
 */
#ifndef PVMM_LAYOUT_H
#define PVMM_LAYOUT_H

#define GUEST_GICD_BASE		0x08000000ULL
#define GUEST_GICD_SIZE		0x00010000ULL
#define GUEST_GICR_BASE		0x080a0000ULL	/* 128 KiB per vCPU */
#define GUEST_GICR_LIMIT	0x0a000000ULL
#define GUEST_VIRTIO_BASE	0x0a000000ULL	/* 0x200 per device */
#define GUEST_RAM_BASE		0x80000000ULL

/* Interrupts: 32 private ones, then SPIs; virtio device n uses SPI n. */
#define GUEST_NR_IRQS		128
#define GUEST_SPI_INTID(spi)	(32 + (spi))

#endif /* PVMM_LAYOUT_H */
