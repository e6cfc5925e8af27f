// SPDX-License-Identifier: GPL-2.0
/*
 * pvm_exit_bench [CALLS [WRITES [REPS]]]: what a protected vCPU's exits
 * cost, as ratios of a protected VM to a non-protected one measured in the
 * same run:
 *  - a hypercall: vendor-hyp FEATURES, answered at EL2 (pvm.ko) for a
 *    protected guest and by the host kernel for a non-protected one;
 *  - an MMIO write round trip to the VMM: the guest guarded the page, so a
 *    protected guest's write is one exit too, with the value in x0.
 * Protected and non-protected runs alternate, and which goes first too.
 * Prints one line of key=value pairs, prefixed "BENCH exits", with medians
 * in nanoseconds per call or write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "pvm_exit_bench_guest.h"
#include "pvm_util.h"

#define MAX_REPS	32
#define FN_FEATURES	0x86000000ULL

/* Run to the next MMIO write; returns its offset from MMIO_EXIT, or -1. */
static long run_to_write(struct vm *vm)
{
	if (ioctl(vm->vcpu, KVM_RUN, 0) ||
	    vm->run->exit_reason != KVM_EXIT_MMIO || !vm->run->mmio.is_write)
		return -1;
	return vm->run->mmio.phys_addr - MMIO_EXIT;
}

/* One VM: the time a call takes, and an MMIO write, in ns. */
static int measure(bool protected, const struct exit_params *p,
		   double *call_ns, double *write_ns)
{
	uint64_t writes = 0;
	struct vm vm;
	double t;
	long off;
	int ret = -1;

	if (vm_prepare_guest(&vm, protected, 0, exit_bench_guest,
			     exit_bench_guest_end, p, sizeof(*p)))
		return -1;
	t = now_ns();
	if (run_to_write(&vm) != EXIT_CALLS_DONE)
		goto out;
	*call_ns = (now_ns() - t) / p->calls;
	t = now_ns();
	while ((off = run_to_write(&vm)) == EXIT_WRITE)
		writes++;
	*write_ns = (now_ns() - t) / p->writes;
	if (off == EXIT_WRITES_DONE && writes == p->writes)
		ret = 0;
out:
	vm_destroy(&vm);
	munmap(vm.mem, vm.size);
	close(vm.memfd);
	return ret;
}

int main(int argc, char **argv)
{
	struct exit_params p = {
		.calls = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000,
		.writes = argc > 2 ? strtoull(argv[2], NULL, 0) : 2000,
		.mmio = MMIO_EXIT,
		.fn = FN_FEATURES,
	};
	int reps = argc > 3 ? atoi(argv[3]) : 5, i;
	double call[2][MAX_REPS], wr[2][MAX_REPS], cn, cp, wn, wp;

	if (!p.calls || !p.writes || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr,
			"usage: pvm_exit_bench [CALLS [WRITES [REPS<=%d]]]\n",
			MAX_REPS);
		return 2;
	}
	if (!pvm_loaded()) {
		fprintf(stderr, "pvm_exit_bench: pvm.ko is not loaded\n");
		return 1;
	}
	for (i = 0; i < reps; i++) {
		bool first = i % 2;

		if (measure(first, &p, &call[first][i], &wr[first][i]) ||
		    measure(!first, &p, &call[!first][i], &wr[!first][i])) {
			fprintf(stderr, "pvm_exit_bench: VM failed at %s\n",
				vm_failed_step);
			return 1;
		}
	}
	cn = median(call[0], reps);
	cp = median(call[1], reps);
	wn = median(wr[0], reps);
	wp = median(wr[1], reps);
	printf("BENCH exits calls=%llu writes=%llu reps=%d",
	       (unsigned long long)p.calls, (unsigned long long)p.writes, reps);
	printf(" nvm_call_ns=%.0f pvm_call_ns=%.0f call_ratio=%.2f",
	       cn, cp, cp / cn);
	printf(" nvm_mmio_ns=%.0f pvm_mmio_ns=%.0f mmio_ratio=%.2f\n",
	       wn, wp, wp / wn);
	return 0;
}
