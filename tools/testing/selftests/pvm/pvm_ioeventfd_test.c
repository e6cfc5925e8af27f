// SPDX-License-Identifier: GPL-2.0
/*
 * ioeventfds for protected VMs: KVM reports KVM_CAP_IOEVENTFD for a
 * protected VM as for a normal one, and a guarded MMIO write that matches
 * an ioeventfd is completed in the host kernel, with the value the guest
 * wrote, instead of exiting to the VMM. pvmm takes a protected guest's
 * virtio kicks this way.
 *
 * The guest (guest/exit_bench.c) makes WRITES writes of WRITES..1 to
 * MMIO_EXIT + EXIT_WRITE between two marker writes that exit to us.
 */
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "pvm_exit_bench_guest.h"
#include "pvm_util.h"

#define WRITES		16
/* The one write that the data-matching ioeventfd takes. */
#define MATCHED		5

FIXTURE(ioeventfd) {
	struct vm vm;
	int efd;
};

FIXTURE_VARIANT(ioeventfd) {
	bool protected;
};

FIXTURE_VARIANT_ADD(ioeventfd, normal) {
	.protected = false,
};

FIXTURE_VARIANT_ADD(ioeventfd, protected) {
	.protected = true,
};

FIXTURE_SETUP(ioeventfd)
{
	const struct exit_params params = {
		.calls = 1,
		.writes = WRITES,
		.mmio = MMIO_EXIT,
		.fn = 0x86000000,	/* vendor-hyp FEATURES */
	};

	self->efd = -1;
	if (variant->protected && !pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, vm_prepare_guest(&self->vm, variant->protected, 0,
				      exit_bench_guest, exit_bench_guest_end,
				      &params, sizeof(params)))
		TH_LOG("VM setup failed at %s", vm_failed_step);
	self->efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
}

FIXTURE_TEARDOWN(ioeventfd)
{
	if (self->efd < 0)
		return;
	close(self->efd);
	vm_destroy(&self->vm);
	munmap(self->vm.mem, self->vm.size);
	close(self->vm.memfd);
}

/* The next exit's MMIO write offset from MMIO_EXIT and value, or -1. */
static long next_write(struct vm *vm, uint64_t *value)
{
	if (ioctl(vm->vcpu, KVM_RUN, 0) ||
	    vm->run->exit_reason != KVM_EXIT_MMIO || !vm->run->mmio.is_write ||
	    vm->run->mmio.len != sizeof(*value))
		return -1;
	memcpy(value, vm->run->mmio.data, sizeof(*value));
	return vm->run->mmio.phys_addr - MMIO_EXIT;
}

/* On VM @vm_fd, eventfd @efd for writes to EXIT_WRITE: of @data if @match. */
static int assign(int vm_fd, int efd, bool match, uint64_t data)
{
	struct kvm_ioeventfd io = {
		.addr = MMIO_EXIT + EXIT_WRITE,
		.len = sizeof(uint64_t),
		.fd = efd,
		.datamatch = data,
		.flags = match ? KVM_IOEVENTFD_FLAG_DATAMATCH : 0,
	};

	return ioctl(vm_fd, KVM_IOEVENTFD, &io);
}

/* Writes counted by eventfd @efd, 0 if none. */
static uint64_t signalled(int efd)
{
	uint64_t n = 0;

	if (read(efd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

TEST_F(ioeventfd, cap_reported)
{
	ASSERT_EQ(1, ioctl(self->vm.fd, KVM_CHECK_EXTENSION,
			   KVM_CAP_IOEVENTFD));
}

/* Every write to EXIT_WRITE is the kernel's: the VMM sees only markers. */
TEST_F(ioeventfd, writes_complete_in_kernel)
{
	uint64_t value;

	ASSERT_EQ(0, assign(self->vm.fd, self->efd, false, 0));
	ASSERT_EQ(EXIT_CALLS_DONE, next_write(&self->vm, &value));
	ASSERT_EQ(EXIT_WRITES_DONE, next_write(&self->vm, &value));
	ASSERT_EQ(WRITES, signalled(self->efd));
}

/*
 * With a data match, the kernel must see the value the guest wrote: for a
 * protected guest, the register that EL2 hands over with the exit. Only
 * the write of MATCHED is the kernel's; the others exit, in order.
 */
TEST_F(ioeventfd, datamatch_sees_the_written_value)
{
	uint64_t value, want;

	ASSERT_EQ(0, assign(self->vm.fd, self->efd, true, MATCHED));
	ASSERT_EQ(EXIT_CALLS_DONE, next_write(&self->vm, &value));
	for (want = WRITES; want > 0; want--) {
		if (want == MATCHED)
			continue;
		ASSERT_EQ(EXIT_WRITE, next_write(&self->vm, &value));
		ASSERT_EQ(want, value);
	}
	ASSERT_EQ(EXIT_WRITES_DONE, next_write(&self->vm, &value));
	ASSERT_EQ(1, signalled(self->efd));
}

TEST_HARNESS_MAIN
