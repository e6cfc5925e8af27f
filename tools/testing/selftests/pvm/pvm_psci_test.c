// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI in a protected VM is EL2's: vCPU 0 brings up the others with CPU_ON,
 * they start at the guest's entry point with its context ID and turn
 * themselves off, and SYSTEM_OFF reaches the VMM. The same guest runs in a
 * non-protected VM, whose PSCI is the host's, for the same answers.
 *
 * The VMM cannot run a vCPU of a protected VM that the guest has not
 * turned on: EL2 refuses, and KVM_RUN fails.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "../kselftest_harness.h"
#include "pvm_psci_guest.h"
#include "pvm_util.h"

#define NR_VCPUS	4
#define MAX_WRITES	32
#define MMIO_SPAN	64
#define MPIDR_RES1	0x80000000ULL
/* SCTLR_EL1.M, .C, .I and .EE: off out of reset. */
#define SCTLR_MMU_CACHES_EE	((1ULL << 0) | (1ULL << 2) | (1ULL << 12) | (1ULL << 25))

/* PSCI return values and AFFINITY_INFO states. */
#define PSCI_VERSION_1_1	0x10001ULL
#define RET_SUCCESS		0ULL
#define RET_NOT_SUPPORTED	((uint64_t)-1)
#define RET_INVALID_PARAMS	((uint64_t)-2)
#define RET_ALREADY_ON		((uint64_t)-4)
#define AFFINITY_ON		0ULL

static_assert(NR_VCPUS <= GUEST_MAX_VCPUS, "more vCPUs than guest stacks");

struct mmio_write {
	uint64_t offset, value;
};

struct vcpu_thread {
	pthread_t thread;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	unsigned int nr_writes;
	struct mmio_write writes[MAX_WRITES];
	int run_errno;		/* of the KVM_RUN that ended the loop */
	uint32_t exit_reason;	/* of the exit that ended it */
	uint32_t system_event;
};

static void on_sigusr1(int sig)
{
	(void)sig;
}

/* Run until SYSTEM_OFF, an error, or anything but an MMIO write. */
static void *vcpu_loop(void *arg)
{
	struct vcpu_thread *t = arg;
	struct kvm_run *run = t->run;

	for (;;) {
		if (ioctl(t->fd, KVM_RUN, 0)) {
			t->run_errno = errno;
			return NULL;
		}
		t->exit_reason = run->exit_reason;
		if (run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
			t->system_event = run->system_event.type;
			return NULL;
		}
		if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
		    run->mmio.phys_addr - MMIO_EXIT >= MMIO_SPAN ||
		    t->nr_writes == MAX_WRITES)
			return NULL;
		t->writes[t->nr_writes].offset = run->mmio.phys_addr - MMIO_EXIT;
		memcpy(&t->writes[t->nr_writes].value, run->mmio.data, 8);
		t->nr_writes++;
	}
}

/* The values @t wrote at @offset, in order; returns how many. */
static unsigned int writes_at(const struct vcpu_thread *t, uint64_t offset,
			      uint64_t *values, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->nr_writes && n < max; i++) {
		if (t->writes[i].offset == offset)
			values[n++] = t->writes[i].value;
	}
	return n;
}

static int secondary_create(struct vm *vm, struct vcpu_thread *t,
			    unsigned int id)
{
	t->run_size = vm->run_size;
	t->fd = vcpu_create_off(vm, id, &t->run);
	return t->fd < 0 ? -1 : 0;
}

FIXTURE(psci) {
	struct vm vm;
	struct vcpu_thread vcpus[NR_VCPUS];
	unsigned int nr_secondaries;
};

FIXTURE_VARIANT(psci) {
	bool protected;
};

FIXTURE_VARIANT_ADD(psci, pvm) {
	.protected = true,
};

FIXTURE_VARIANT_ADD(psci, nvm) {
	.protected = false,
};

FIXTURE_SETUP(psci)
{
	const struct psci_params params = {
		.mmio = MMIO_EXIT,
		.nr_vcpus = NR_VCPUS,
	};
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	unsigned int i;

	self->vm.kvm = -1;
	self->vm.fd = -1;
	self->vm.vcpu = -1;
	self->nr_secondaries = 0;
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, vm_prepare_guest(&self->vm, variant->protected, 0,
				      psci_guest, psci_guest_end, &params,
				      sizeof(params)))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	memset(self->vcpus, 0, sizeof(self->vcpus));
	self->vcpus[0].fd = self->vm.vcpu;
	self->vcpus[0].run = self->vm.run;
	for (i = 1; i < NR_VCPUS; i++) {
		ASSERT_EQ(0, secondary_create(&self->vm, &self->vcpus[i], i))
			TH_LOG("vCPU %u: %s", i, strerror(errno));
		self->nr_secondaries++;
	}
}

FIXTURE_TEARDOWN(psci)
{
	unsigned int i;

	for (i = 1; i <= self->nr_secondaries; i++) {
		munmap(self->vcpus[i].run, self->vcpus[i].run_size);
		close(self->vcpus[i].fd);
	}
	vm_destroy(&self->vm);
}

static void vcpu_stop(struct vcpu_thread *t)
{
	t->run->immediate_exit = 1;
	pthread_kill(t->thread, SIGUSR1);
	pthread_join(t->thread, NULL);
}

/*
 * Wait for vCPU 0 to finish, up to @seconds; then stop the others, which
 * wait in KVM_RUN while they are off. Returns 0 if vCPU 0 finished.
 */
static int vcpus_finish(struct vcpu_thread *vcpus, unsigned int seconds)
{
	struct timespec deadline;
	unsigned int i;
	int ret;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += seconds;
	ret = pthread_timedjoin_np(vcpus[0].thread, NULL, &deadline);
	if (ret)
		vcpu_stop(&vcpus[0]);
	for (i = 1; i < NR_VCPUS; i++)
		vcpu_stop(&vcpus[i]);
	return ret;
}

static void log_writes(struct __test_metadata *_metadata,
		       const struct vcpu_thread *vcpus)
{
	unsigned int i, j;

	for (i = 0; i < NR_VCPUS; i++) {
		for (j = 0; j < vcpus[i].nr_writes; j++)
			TH_LOG("vCPU %u wrote 0x%llx to MMIO + %llu", i,
			       (unsigned long long)vcpus[i].writes[j].value,
			       (unsigned long long)vcpus[i].writes[j].offset);
	}
}

TEST_F_TIMEOUT(psci, bring_up_and_off, 300)
{
	const uint64_t expect_boot[] = {
		PSCI_VERSION_1_1,
		RET_SUCCESS,		/* FEATURES (CPU_ON) */
		RET_NOT_SUPPORTED,	/* FEATURES (function 31) */
		RET_INVALID_PARAMS,	/* CPU_ON of no vCPU */
		RET_ALREADY_ON,		/* CPU_ON of itself */
		AFFINITY_ON,		/* AFFINITY_INFO at level 1 */
		RET_SUCCESS, RET_SUCCESS, RET_SUCCESS,	/* vCPUs 1-3 */
		RET_SUCCESS,		/* vCPU 1 again */
	};
	uint64_t got[MAX_WRITES];
	unsigned int i, n;

	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, pthread_create(&self->vcpus[i].thread, NULL,
					    vcpu_loop, &self->vcpus[i]));
	if (vcpus_finish(self->vcpus, 120)) {
		log_writes(_metadata, self->vcpus);
		ASSERT_TRUE(0) TH_LOG("vCPU 0 did not finish in 120 s");
	}

	EXPECT_EQ(KVM_EXIT_SYSTEM_EVENT, self->vcpus[0].exit_reason)
		TH_LOG("vCPU 0: exit %u, errno %d",
		       self->vcpus[0].exit_reason, self->vcpus[0].run_errno);
	EXPECT_EQ(KVM_SYSTEM_EVENT_SHUTDOWN, self->vcpus[0].system_event);

	n = writes_at(&self->vcpus[0], PSCI_BOOT, got, MAX_WRITES);
	ASSERT_EQ(ARRAY_SIZE(expect_boot), n);
	for (i = 0; i < n; i++) {
		if (expect_boot[i] != got[i])
			TH_LOG("boot result %u", i);
		EXPECT_EQ(expect_boot[i], got[i]);
	}
	/* Twice, AFFINITY_INFO said every other vCPU was off. */
	EXPECT_EQ(2, writes_at(&self->vcpus[0], PSCI_ALL_OFF, got, MAX_WRITES));

	for (i = 1; i < NR_VCPUS; i++) {
		struct vcpu_thread *t = &self->vcpus[i];

		n = writes_at(t, PSCI_CONTEXT, got, MAX_WRITES);
		ASSERT_EQ(i == 1 ? 2 : 1, n) TH_LOG("vCPU %u", i);
		EXPECT_EQ(i, got[0]);
		if (i == 1)
			EXPECT_EQ(PSCI_CONTEXT_AGAIN, got[1]);
		n = writes_at(t, PSCI_MPIDR, got, MAX_WRITES);
		ASSERT_LE(1, n);
		EXPECT_EQ(i | MPIDR_RES1, got[0]);
		/* Zeroed registers, and CPU_OFF did not return. */
		n = writes_at(t, PSCI_ENTRY_REGS, got, MAX_WRITES);
		ASSERT_LE(1, n);
		EXPECT_EQ(0, got[0]);
		/*
		 * EL1 state out of reset, the host's copy notwithstanding:
		 * KVM's own reset leaves a poison pattern in most of these.
		 */
		if (variant->protected) {
			n = writes_at(t, PSCI_RESET_ZERO, got, MAX_WRITES);
			ASSERT_LE(1, n);
			EXPECT_EQ(0, got[0]) TH_LOG("vCPU %u", i);
			n = writes_at(t, PSCI_SCTLR, got, MAX_WRITES);
			ASSERT_LE(1, n);
			EXPECT_EQ(0, got[0] & SCTLR_MMU_CACHES_EE);
		}
		EXPECT_EQ(0, writes_at(t, PSCI_OFF_FAILED, got, MAX_WRITES));
		EXPECT_EQ(EINTR, t->run_errno) TH_LOG("vCPU %u", i);
	}
}

/*
 * A VMM that marks a secondary runnable and runs it, before the guest
 * turned it on, gets KVM_RUN failed by EL2 instead of a guest vCPU at an
 * entry point of its choosing. (A non-protected VM's vCPU would run, from
 * PC 0, which is no memory here: it would not come back.)
 */
TEST(vmm_cannot_start_an_off_vcpu)
{
	const struct psci_params params = {
		.mmio = MMIO_EXIT,
		.nr_vcpus = 2,
	};
	struct kvm_mp_state runnable = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct vcpu_thread t = { .fd = -1 };
	struct vm vm;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, vm_prepare_guest(&vm, true, 0, psci_guest,
				      psci_guest_end, &params, sizeof(params)))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	ASSERT_EQ(0, secondary_create(&vm, &t, 1));
	ASSERT_EQ(0, ioctl(t.fd, KVM_SET_MP_STATE, &runnable));
	EXPECT_EQ(-1, ioctl(t.fd, KVM_RUN, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(KVM_EXIT_FAIL_ENTRY, t.run->exit_reason);
	munmap(t.run, t.run_size);
	close(t.fd);
	vm_destroy(&vm);
}

TEST_HARNESS_MAIN
