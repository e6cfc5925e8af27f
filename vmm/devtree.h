/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's flattened device tree, built with libfdt.
 */
#ifndef PVMM_DEVTREE_H
#define PVMM_DEVTREE_H

#include "base.h"

#define DT_PHANDLE_GIC		1
#define DT_PHANDLE_POOL		2
#define DT_MAX_VIRTIO		8
#define DT_MAX_CPUS		64

struct dt_virtio {
	u64 base;
	u64 size;
	u32 spi;		/* GIC SPI number (INTID - 32) */
	bool edge;		/* rising edge, not level high */
};

struct dt_config {
	u64 ram_base;
	u64 ram_size;
	unsigned int nr_cpus;
	const u64 *mpidr;		/* per vCPU, from KVM */
	const char *cmdline;
	u64 initrd_start;
	u64 initrd_end;			/* == initrd_start: no initrd */
	u64 gicd_base;
	u64 gicd_size;
	u64 gicr_base;
	u64 gicr_size;
	unsigned int nr_virtio;
	const struct dt_virtio *virtio;
	int stdout_virtio;		/* index into virtio[], or -1 */
	u64 pool_base;
	u64 pool_size;			/* 0: not a protected VM */
	u64 dice_base;
	u64 dice_size;			/* 0: no DICE region */
	const u8 *rng_seed;
	size_t rng_seed_len;
	const u8 *vendor_digest;	/* dm-verity root digest of /vendor */
	size_t vendor_digest_len;	/* 0: no vendor image */
};

int dt_build(const struct dt_config *cfg, void *buf, size_t size);

#endif /* PVMM_DEVTREE_H */
