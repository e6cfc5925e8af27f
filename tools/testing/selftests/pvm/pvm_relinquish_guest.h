/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_memory_test's relinquish race (guest/relinquish.c).
 * x0 = struct relinquish_params.
 *
 * vCPU 0 turns vCPU 1 on with PSCI CPU_ON, then, @rounds times, gives
 * @page back with MEM_RELINQUISH and loads from it, which makes the host
 * donate it again. Then it sets @stop and writes to MMIO +
 * RELINQUISH_DONE.
 *
 * vCPU 1 loads from @page until it sees @stop set, then writes to MMIO +
 * RELINQUISH_STOPPED: its loads fault whenever vCPU 0 has just
 * relinquished the page, and the host donates the page from vCPU 1's
 * fault while vCPU 0's relinquish is still on its way to the host.
 */
#ifndef PVM_RELINQUISH_GUEST_H
#define PVM_RELINQUISH_GUEST_H

#include <stdint.h>

/* Where the vCPUs report, from @mmio. */
#define RELINQUISH_DONE		0
#define RELINQUISH_STOPPED	8

struct relinquish_params {
	uint64_t mmio, page, rounds, stop;
};

extern const uint32_t relinquish_guest[], relinquish_guest_end[];

#endif /* PVM_RELINQUISH_GUEST_H */
