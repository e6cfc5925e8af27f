/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of pvm_exit_bench (guest/exit_bench.c). x0 = struct
 * exit_params. It guards the page of the MMIO address, makes @calls calls
 * of function @fn with x1 = 0, writes to MMIO + EXIT_CALLS_DONE, makes
 * @writes writes to MMIO + EXIT_WRITE, and ends with a write to MMIO +
 * EXIT_WRITES_DONE.
 */
#ifndef PVM_EXIT_BENCH_GUEST_H
#define PVM_EXIT_BENCH_GUEST_H

#include <stdint.h>

/* Where it writes, from @mmio. */
#define EXIT_WRITE		0
#define EXIT_CALLS_DONE		8
#define EXIT_WRITES_DONE	16

struct exit_params {
	uint64_t calls, writes, mmio, fn;
};

extern const uint32_t exit_bench_guest[], exit_bench_guest_end[];

#endif /* PVM_EXIT_BENCH_GUEST_H */
