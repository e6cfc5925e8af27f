/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of a run of the script guest (pvm_hvc_guest.h): the calls
 * it makes, and the results it reports by MMIO.
 */
#ifndef PVM_SCRIPT_H
#define PVM_SCRIPT_H

#include <stdint.h>

#include "pvm_hvc_guest.h"
#include "pvm_util.h"

void script_init(struct script *s, uint64_t data, uint64_t words,
		 uint64_t pattern);
void script_add(struct script *s, uint64_t x0, uint64_t x1, uint64_t x2,
		uint64_t x3);
int next_result(struct vm *vm, uint64_t res[4]);
int script_probe(struct vm *vm, uint64_t *val);
int script_end(struct vm *vm);

#endif /* PVM_SCRIPT_H */
