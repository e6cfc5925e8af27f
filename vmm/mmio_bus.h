/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routes guest MMIO exits to the device that owns the address.
 */
#ifndef PVMM_MMIO_BUS_H
#define PVMM_MMIO_BUS_H

#include "base.h"

#define MMIO_BUS_MAX	16

typedef void (*mmio_handler_t)(void *opaque, u64 off, u8 *data, u32 len,
			       bool is_write);

struct mmio_region {
	u64 base;
	u64 size;
	mmio_handler_t handler;
	void *opaque;
};

struct mmio_bus {
	unsigned int nr;
	struct mmio_region region[MMIO_BUS_MAX];
};

int mmio_bus_add(struct mmio_bus *bus, u64 base, u64 size,
		 mmio_handler_t handler, void *opaque);
bool mmio_bus_access(const struct mmio_bus *bus, u64 addr, u8 *data,
		     u32 len, bool is_write);

#endif /* PVMM_MMIO_BUS_H */
