// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the script guest (pvm_script.h).
 */
#include <assert.h>
#include <string.h>
#include <sys/ioctl.h>

#include "pvm_script.h"

static_assert(GUEST_PARAMS + sizeof(struct script) <= GUEST_STACKS,
	      "struct script does not fit below the guest's stacks");

/* Fill @words words from @data with @pattern, no calls, no probe. */
void script_init(struct script *s, uint64_t data, uint64_t words,
		 uint64_t pattern)
{
	memset(s, 0, sizeof(*s));
	s->data = data;
	s->words = words;
	s->pattern = pattern;
	s->mmio = MMIO_EXIT;
}

void script_add(struct script *s, uint64_t x0, uint64_t x1, uint64_t x2,
		uint64_t x3)
{
	uint64_t *call = s->calls[s->ncalls++];

	call[0] = x0;
	call[1] = x1;
	call[2] = x2;
	call[3] = x3;
}

/* Run the guest to its next MMIO write, which must be to MMIO + @offset. */
static int next_write(struct vm *vm, uint64_t offset, uint64_t *val)
{
	if (ioctl(vm->vcpu, KVM_RUN, 0))
		return -1;
	if (vm->run->exit_reason != KVM_EXIT_MMIO ||
	    vm->run->mmio.phys_addr != MMIO_EXIT + offset ||
	    !vm->run->mmio.is_write)
		return -1;
	if (val)
		memcpy(val, vm->run->mmio.data, sizeof(*val));
	return 0;
}

/* Run the script guest up to the result of its next call. */
int next_result(struct vm *vm, uint64_t res[4])
{
	int i;

	for (i = 0; i < 4; i++) {
		if (next_write(vm, SCRIPT_RESULT, &res[i]))
			return -1;
	}
	return 0;
}

/* After its last call: the value the guest loaded from its probe. */
int script_probe(struct vm *vm, uint64_t *val)
{
	return next_write(vm, SCRIPT_PROBE, val);
}

/* Run the script guest to its final exit, after its last call. */
int script_end(struct vm *vm)
{
	return next_write(vm, SCRIPT_END, NULL);
}
