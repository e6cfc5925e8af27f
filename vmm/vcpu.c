// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU creation and run loop.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>

#include "exit_code.h"
#include "log.h"
#include "vcpu.h"

#define SIG_KICK	SIGUSR1
#define MPIDR_EL1	ARM64_SYS_REG(3, 0, 0, 0, 5)
#define CORE_REG(r)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
			 KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(r))

static void kick_handler(int sig)
{
	(void)sig;
}

/* SIG_KICK interrupts KVM_RUN: no SA_RESTART. */
int vcpu_signal_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIG_KICK, &sa, NULL);
}

static int get_reg(struct vcpu *v, u64 id, u64 *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (unsigned long)val };

	return ioctl(v->fd, KVM_GET_ONE_REG, &r);
}

static int set_reg(struct vcpu *v, u64 id, u64 val)
{
	struct kvm_one_reg r = { .id = id, .addr = (unsigned long)&val };

	return ioctl(v->fd, KVM_SET_ONE_REG, &r);
}

/* KVM_ARM_VCPU_INIT with PSCI 0.2; all but vCPU 0 start powered off. */
static int init_vcpu(struct vcpu *v)
{
	struct kvm_vcpu_init init;

	if (ioctl(v->vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init)) {
		pr_err("KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
		return -1;
	}
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (v->id) {
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	}
	if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init)) {
		pr_err("KVM_ARM_VCPU_INIT: %s", strerror(errno));
		return -1;
	}
	if (get_reg(v, MPIDR_EL1, &v->mpidr)) {
		pr_err("cannot read MPIDR_EL1: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id)
{
	int size;

	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->id = id;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0) {
		pr_err("KVM_CREATE_VCPU %u: %s", id, strerror(errno));
		return -1;
	}
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0) {
		pr_err("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return -1;
	}
	v->run_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd,
		      0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		pr_err("cannot map kvm_run: %s", strerror(errno));
		return -1;
	}
	return init_vcpu(v);
}

/*
 * Boot protocol: x0 = device tree, x1..x3 = 0, PC = kernel entry. The vCPU
 * reset zeroed x1..x3 already; a protected VM lets a VMM set only x0 and PC.
 */
int vcpu_set_boot_regs(struct vcpu *v, u64 pc, u64 x0)
{
	if (set_reg(v, CORE_REG(regs.regs[0]), x0) ||
	    set_reg(v, CORE_REG(regs.pc), pc)) {
		pr_err("cannot set boot registers: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void end_vm(struct vcpu *v, int code)
{
	v->exit_cb(v->exit_opaque, code);
}

static int system_event_code(u32 type)
{
	switch (type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		return PVMM_EXIT_POWEROFF;
	case KVM_SYSTEM_EVENT_RESET:
		return PVMM_EXIT_RESET;
	case KVM_SYSTEM_EVENT_CRASH:
		return PVMM_EXIT_CRASH;
	default:
		return -1;
	}
}

/* Returns false when this vCPU should stop running. */
static bool handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	int code;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		mmio_bus_access(v->bus, run->mmio.phys_addr, run->mmio.data,
				run->mmio.len, run->mmio.is_write);
		return true;
	case KVM_EXIT_SYSTEM_EVENT:
		code = system_event_code(run->system_event.type);
		if (code < 0) {
			return true;
		}
		end_vm(v, code);
		return false;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_ARM_NISV:
		pr_err("vcpu %u: MMIO access KVM cannot decode at 0x%llx",
		       v->id, run->arm_nisv.fault_ipa);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		pr_err("vcpu %u: entry failed, reason 0x%llx", v->id,
		       run->fail_entry.hardware_entry_failure_reason);
		break;
	default:
		pr_err("vcpu %u: unexpected exit reason %u", v->id,
		       run->exit_reason);
		break;
	}
	end_vm(v, PVMM_EXIT_ERROR);
	return false;
}

/* With --verbose: vCPU 0's first exit tells the protected VM's measurement. */
static void log_measurement(struct vcpu *v)
{
	u8 m[VM_MEASUREMENT_SIZE];
	char hex[2 * VM_MEASUREMENT_SIZE + 1];
	unsigned int i;

	if (v->id || !v->vm->protected) {
		return;
	}
	if (vm_measurement(v->vm, m)) {
		pr_err("cannot read the launch measurement: %s",
		       strerror(errno));
		return;
	}
	for (i = 0; i < VM_MEASUREMENT_SIZE; i++) {
		snprintf(&hex[2 * i], 3, "%02x", m[i]);
	}
	pr_info("launch measurement sha256:%s", hex);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	bool ran = false;
	sigset_t set;

	/* Process-directed signals go to the main thread; kicks come here. */
	sigfillset(&set);
	sigdelset(&set, SIG_KICK);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	while (!__atomic_load_n(&v->stop, __ATOMIC_ACQUIRE)) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				continue;
			}
			pr_err("vcpu %u: KVM_RUN: %s", v->id, strerror(errno));
			end_vm(v, PVMM_EXIT_ERROR);
			break;
		}
		if (!ran) {
			ran = true;
			log_measurement(v);
		}
		if (!handle_exit(v)) {
			break;
		}
	}
	return NULL;
}

int vcpu_start(struct vcpu *v)
{
	char name[16];
	int ret = pthread_create(&v->thread, NULL, vcpu_thread, v);

	if (ret) {
		pr_err("cannot start vcpu %u: %s", v->id, strerror(ret));
		return -1;
	}
	v->started = true;
	/* For top -H, perf and taskset; cosmetic if refused. */
	snprintf(name, sizeof(name), "pvmm-vcpu%u", v->id);
	ret = pthread_setname_np(v->thread, name);
	if (ret) {
		pr_warn("vcpu %u: thread not named: %s", v->id, strerror(ret));
	}
	return 0;
}

/* Make the vCPU leave KVM_RUN and its thread end. */
void vcpu_kick(struct vcpu *v)
{
	__atomic_store_n(&v->stop, true, __ATOMIC_RELEASE);
	if (v->run) {
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_RELEASE);
	}
	if (v->started) {
		pthread_kill(v->thread, SIG_KICK);
	}
}

void vcpu_join(struct vcpu *v)
{
	if (v->started) {
		pthread_join(v->thread, NULL);
		v->started = false;
	}
	if (v->run) {
		munmap(v->run, v->run_size);
		v->run = NULL;
	}
	if (v->fd >= 0) {
		close(v->fd);
	}
}
