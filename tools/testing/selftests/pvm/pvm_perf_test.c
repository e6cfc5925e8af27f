// SPDX-License-Identifier: GPL-2.0
/*
 * The host's perf counters count nothing inside a protected guest: what
 * they would count there is the guest's work, a side channel into it.
 *
 * The same spinning guest runs in a normal and in a protected VM, under a
 * perf counter of EL1 cycles that the vCPU thread opened for itself: the
 * normal guest's cycles are counted (the host may look at its own guests),
 * the protected guest's are not, and only the host's own EL1 work around
 * the run is left. Before EL2 stopped the host's counters for protected
 * vCPUs, both counts were alike.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "../kselftest_harness.h"
#include "pvm_util.h"
#include "pvm_small_guests.h"

/*
 * Spins of the guest's loop: long enough to dwarf the run's EL1 work, even
 * on a loaded machine. Under QEMU the cycle counter follows the clock, so
 * the EL1 work around a run takes more "cycles" the busier the machine
 * is: with 20M spins a loaded run counted a third of the normal VM's.
 */
#define SPINS		100000000ULL
/* Runs of each VM; the least count of each is compared. */
#define RUNS		3
/* The protected run must count at most this fraction of the normal one. */
#define MAX_SHARE	4

/* A counter of this thread's cycles at EL1, disabled; fd or -1. */
static int el1_cycles_open(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_CPU_CYCLES;
	attr.disabled = 1;
	attr.exclude_user = 1;
	attr.exclude_hv = 1;
	return syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

/*
 * Run the spinning guest to its exit in a new VM under @counter; the
 * cycles counted in @cycles. 0, or -1 with vm_failed_step set.
 */
static int count_guest(int counter, bool protected, uint64_t *cycles)
{
	const struct writer_params params = {
		.data = SPINS,
		.mmio = MMIO_EXIT,
	};
	struct vm vm;
	int ret;

	if (vm_prepare_guest(&vm, protected, 0, spin_guest, spin_guest_end,
			     &params, sizeof(params)))
		return -1;
	ioctl(counter, PERF_EVENT_IOC_RESET, 0);
	ioctl(counter, PERF_EVENT_IOC_ENABLE, 0);
	ret = vm_run_to_exit(&vm);
	ioctl(counter, PERF_EVENT_IOC_DISABLE, 0);
	vm_destroy(&vm);
	if (!ret && read(counter, cycles, sizeof(*cycles)) != sizeof(*cycles)) {
		vm_failed_step = "reading the counter";
		ret = -1;
	}
	return ret;
}

/*
 * The least of RUNS counts of a VM's run: a busy machine only adds cycles,
 * so the least is the one nearest the run's own. 0, or -1.
 */
static int least_count(int counter, bool protected, uint64_t *cycles)
{
	uint64_t c;
	int i;

	*cycles = UINT64_MAX;
	for (i = 0; i < RUNS; i++) {
		if (count_guest(counter, protected, &c))
			return -1;
		if (c < *cycles)
			*cycles = c;
	}
	return 0;
}

TEST(host_counters_stop_in_pvm)
{
	uint64_t nvm = 0, pvm = 0;
	int counter;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	counter = el1_cycles_open();
	if (counter < 0)
		SKIP(return, "no hardware cycle counter: %s", strerror(errno));

	ASSERT_EQ(0, least_count(counter, false, &nvm))
		TH_LOG("normal VM: %s", vm_failed_step);
	ASSERT_EQ(0, least_count(counter, true, &pvm))
		TH_LOG("protected VM: %s", vm_failed_step);
	close(counter);

	TH_LOG("EL1 cycles around %llu spins, least of %d runs: normal VM %llu, protected VM %llu",
	       SPINS, RUNS, (unsigned long long)nvm, (unsigned long long)pvm);
	EXPECT_LT(pvm * MAX_SHARE, nvm);
}

TEST_HARNESS_MAIN
