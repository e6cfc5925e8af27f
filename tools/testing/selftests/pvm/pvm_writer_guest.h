/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of vm_prepare_writer() (guest/writer.c). x0 = struct
 * writer_params. It stores @pattern over @words words from @data, then
 * writes to @mmio, with @pattern in x2 at that exit: pvm_memory_test
 * checks that the host cannot read x2 then.
 */
#ifndef PVM_WRITER_GUEST_H
#define PVM_WRITER_GUEST_H

#include <stdint.h>

struct writer_params {
	uint64_t data, words, pattern, mmio;
};

extern const uint32_t writer_guest[], writer_guest_end[];

#endif /* PVM_WRITER_GUEST_H */
