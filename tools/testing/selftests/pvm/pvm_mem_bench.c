// SPDX-License-Identifier: GPL-2.0
/*
 * pvm_mem_bench [PAGES [REPS]]: what protected VM memory costs, as ratios
 * of a protected VM (pages donated, scrubbed at teardown) to a
 * non-protected one (pages shared) measured in the same run:
 *  - first touch: one KVM_RUN in which the guest stores to PAGES fresh
 *    pages, so one stage-2 fault each (donate vs share);
 *  - teardown: dropping the VM (scrub and reclaim vs unshare);
 *  - zeroing: what EL2 does to each page it donates, zeroing it and
 *    cleaning it to the point of coherency, as the same instructions run
 *    here (memset, DC CIVAC per line, DSB), for its share of a first touch.
 * Protected and non-protected runs alternate, and which goes first too,
 * so that drift in an emulator's speed hits both alike. Prints one line of
 * key=value pairs, prefixed "BENCH memory", with medians in microseconds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "pvm_util.h"

#define MAX_REPS	64
#define CACHE_LINE	64

/* Zero @pages pages of @buf and clean them to the point of coherency. */
static double zero_pages_us(uint8_t *buf, unsigned int pages)
{
	size_t size = (size_t)pages * getpagesize(), off;
	double t = now_ns();

	for (off = 0; off < size; off += getpagesize()) {
		size_t line;

		memset(buf + off, 0, getpagesize());
		for (line = 0; line < (size_t)getpagesize(); line += CACHE_LINE)
			asm volatile("dc civac, %0" : : "r"(buf + off + line)
				     : "memory");
		asm volatile("dsb ish" : : : "memory");
	}
	return (now_ns() - t) / 1e3;
}

/* The median time to zero @pages pages as EL2 scrubs them, per page. */
static double zero_per_page_us(unsigned int pages, int reps)
{
	size_t size = (size_t)pages * getpagesize();
	double us[MAX_REPS];
	uint8_t *buf;
	int i;

	buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED)
		return -1;
	for (i = 0; i < reps; i++)
		us[i] = zero_pages_us(buf, pages);
	munmap(buf, size);
	return median(us, reps) / pages;
}

/* One VM: time its first run and its teardown. */
static int measure(bool protected, unsigned int pages, double *touch,
		   double *teardown)
{
	struct vm vm;
	double t;

	if (vm_prepare_writer(&vm, protected, pages, 0x5a5a5a5a5a5a5a5aULL))
		return -1;
	t = now_ns() / 1e3;
	if (vm_run_to_exit(&vm))
		return -1;
	*touch = now_ns() / 1e3 - t;
	t = now_ns() / 1e3;
	vm_destroy(&vm);
	*teardown = now_ns() / 1e3 - t;
	munmap(vm.mem, vm.size);
	close(vm.memfd);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int pages = argc > 1 ? atoi(argv[1]) : 256;
	int reps = argc > 2 ? atoi(argv[2]) : 7, i;
	double touch[2][MAX_REPS], down[2][MAX_REPS], tn, tp, dn, dp, zp;

	if (!pages || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "usage: pvm_mem_bench [PAGES [REPS<=%d]]\n",
			MAX_REPS);
		return 2;
	}
	if (!pvm_loaded()) {
		fprintf(stderr, "pvm_mem_bench: pvm.ko is not loaded\n");
		return 1;
	}
	for (i = 0; i < reps; i++) {
		bool first = i % 2;

		if (measure(first, pages, &touch[first][i], &down[first][i]) ||
		    measure(!first, pages, &touch[!first][i], &down[!first][i])) {
			fprintf(stderr, "pvm_mem_bench: VM failed at %s\n",
				vm_failed_step);
			return 1;
		}
	}
	zp = zero_per_page_us(pages, reps);
	if (zp < 0) {
		perror("pvm_mem_bench: mmap");
		return 1;
	}
	tn = median(touch[0], reps);
	tp = median(touch[1], reps);
	dn = median(down[0], reps);
	dp = median(down[1], reps);
	printf("BENCH memory pages=%u reps=%d", pages, reps);
	printf(" nvm_touch_us=%.0f pvm_touch_us=%.0f touch_ratio=%.2f",
	       tn, tp, tp / tn);
	printf(" nvm_teardown_us=%.0f pvm_teardown_us=%.0f teardown_ratio=%.2f",
	       dn, dp, dp / dn);
	printf(" nvm_touch_per_page_us=%.1f pvm_touch_per_page_us=%.1f",
	       tn / pages, tp / pages);
	printf(" zero_per_page_us=%.2f zero_share_pct=%.1f\n", zp,
	       100 * zp / (tp / pages));
	return 0;
}
