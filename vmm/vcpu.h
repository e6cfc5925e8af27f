/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPUs: creation with PSCI 0.2, boot registers, and one thread each
 * running KVM_RUN.
 */
#ifndef PVMM_VCPU_H
#define PVMM_VCPU_H

#include <pthread.h>

#include "mmio_bus.h"
#include "base.h"
#include "vm.h"

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;
	bool started;
	bool stop;
	u64 mpidr;
	const struct mmio_bus *bus;
	void (*exit_cb)(void *opaque, int code);	/* ends the VM */
	void *exit_opaque;
};

int vcpu_signal_init(void);
int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id);
int vcpu_set_boot_regs(struct vcpu *v, u64 pc, u64 x0);
int vcpu_start(struct vcpu *v);
void vcpu_kick(struct vcpu *v);
void vcpu_join(struct vcpu *v);

#endif /* PVMM_VCPU_H */
