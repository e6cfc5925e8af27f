/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_exit_bench (pvm_exit_bench_guest.S). x0 = struct
 * exit_params. It guards the page of the MMIO address, makes CALLS calls
 * of function FN with x1 = 0, writes to MMIO + 8, makes WRITES writes to
 * MMIO + 0, and ends with a write to MMIO + 16.
 */
#ifndef PVM_EXIT_BENCH_GUEST_H
#define PVM_EXIT_BENCH_GUEST_H

#include <stdint.h>

struct exit_params {
	uint64_t calls, writes, mmio, fn;
};

extern const uint32_t exit_bench_guest[], exit_bench_guest_end[];

#endif /* PVM_EXIT_BENCH_GUEST_H */
