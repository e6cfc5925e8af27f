// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny MMIO bus: a fixed table of non-overlapping regions, filled before
 * the vCPUs start and read-only afterwards.
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "mmio_bus.h"

static bool overlaps(const struct mmio_region *r, u64 base, u64 size)
{
	return base < r->base + r->size && r->base < base + size;
}

int mmio_bus_add(struct mmio_bus *bus, u64 base, u64 size,
		 mmio_handler_t handler, void *opaque)
{
	struct mmio_region *r;
	unsigned int i;

	if (bus->nr == MMIO_BUS_MAX || !size || base + size < base) {
		return -EINVAL;
	}
	for (i = 0; i < bus->nr; i++) {
		if (overlaps(&bus->region[i], base, size)) {
			return -EEXIST;
		}
	}
	r = &bus->region[bus->nr++];
	r->base = base;
	r->size = size;
	r->handler = handler;
	r->opaque = opaque;
	return 0;
}

/*
 * Returns false if nothing is mapped at @addr. Reads of unmapped space then
 * return zeroes, as on a bus without anything behind it.
 */
bool mmio_bus_access(const struct mmio_bus *bus, u64 addr, u8 *data,
		     u32 len, bool is_write)
{
	const struct mmio_region *r;
	unsigned int i;

	for (i = 0; i < bus->nr; i++) {
		r = &bus->region[i];
		if (addr >= r->base && addr - r->base < r->size &&
		    len <= r->size - (addr - r->base)) {
			r->handler(r->opaque, addr - r->base, data, len,
				   is_write);
			return true;
		}
	}
	if (!is_write) {
		memset(data, 0, len);
	}
	log_guest("unhandled %u-byte MMIO %s at 0x%llx", len,
		  is_write ? "write" : "read", addr);
	return false;
}
