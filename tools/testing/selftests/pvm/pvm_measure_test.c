// SPDX-License-Identifier: GPL-2.0
/*
 * Measured launch of protected VMs: at the first run EL2 seals a SHA-256
 * over the guest's image regions, its IPA size, its vCPUs and their entry
 * (patch 0040), and every page the guest gets outside the image is zeroed
 * by EL2. The same launch gives the same measurement; any change in what
 * it covers gives another; nothing the host wrote elsewhere reaches the
 * guest.
 *
 * The guest is the script guest (pvm_hvc_guest.h): its code and parameter
 * page is the image. It fills data page 0 with a pattern, loads a word of
 * data page 1 (its probe) and reports it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "../kselftest_harness.h"
#include "pvm_hvc_guest.h"
#include "pvm_script.h"
#include "pvm_util.h"

#define DATA_PAGES	2
#define SECRET		0x5ec7e75ec7e75ec7ULL
#define PATTERN		0x0123456789abcdefULL

static uint64_t data_ipa(unsigned int i)
{
	return GUEST_BASE + (uint64_t)(i + 1) * getpagesize();
}

/* The script: fill data page 0 with @pattern, probe data page 1. */
static void probe_script(struct script *s, uint64_t pattern)
{
	script_init(s, data_ipa(0), getpagesize() / 8, pattern);
	s->probe = data_ipa(1);
}

/* A protected VM ready to run @s, its code page measured. */
static int prepare(struct vm *vm, const struct script *s)
{
	return vm_prepare_guest(vm, true, DATA_PAGES, script_guest,
				script_guest_end, s, sizeof(*s));
}

/* One KVM_RUN, whatever the guest does, then the sealed measurement. */
static int first_run(struct vm *vm, uint8_t out[PVM_MEASUREMENT_SIZE])
{
	if (ioctl(vm->vcpu, KVM_RUN, 0))
		return -1;
	return vm_measurement(vm, out);
}

/* The measurement of a VM that ran @s from the standard entry. */
static int measure_script(const struct script *s,
			  uint8_t out[PVM_MEASUREMENT_SIZE])
{
	struct vm vm;
	int ret;

	ret = prepare(&vm, s) || first_run(&vm, out) ? -1 : 0;
	vm_destroy(&vm);
	return ret;
}

FIXTURE(measure) {
	struct script script;
	uint8_t base[PVM_MEASUREMENT_SIZE];
};

/* The measurement of an unchanged launch, to compare the others with. */
FIXTURE_SETUP(measure)
{
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	probe_script(&self->script, PATTERN);
	ASSERT_EQ(0, measure_script(&self->script, self->base))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
}

FIXTURE_TEARDOWN(measure)
{
}

/* The same image, configuration and entry: the same measurement. */
TEST_F(measure, same_launch_same_measurement)
{
	uint8_t again[PVM_MEASUREMENT_SIZE], zero[PVM_MEASUREMENT_SIZE] = {};

	ASSERT_EQ(0, measure_script(&self->script, again));
	EXPECT_EQ(0, memcmp(self->base, again, sizeof(again)));
	EXPECT_NE(0, memcmp(self->base, zero, sizeof(zero)));
}

/* One byte of the image changed: another measurement. */
TEST_F(measure, one_byte_of_image_changes_it)
{
	uint8_t other[PVM_MEASUREMENT_SIZE];

	self->script.pattern ^= 1;
	ASSERT_EQ(0, measure_script(&self->script, other));
	EXPECT_NE(0, memcmp(self->base, other, sizeof(other)));
}

/* Another x0, or another PC, at entry: another measurement. */
TEST_F(measure, entry_changes_it)
{
	uint8_t other[PVM_MEASUREMENT_SIZE];
	struct vm vm;
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, prepare(&vm, &self->script));
		ASSERT_EQ(0, vcpu_set_entry(&vm, GUEST_BASE + 4 * i,
					    GUEST_BASE + GUEST_PARAMS + 8 - 8 * i));
		ASSERT_EQ(0, first_run(&vm, other));
		EXPECT_NE(0, memcmp(self->base, other, sizeof(other)))
			TH_LOG("entry %d", i);
		vm_destroy(&vm);
	}
}

/* A second vCPU, off until CPU_ON: another measurement. */
TEST_F(measure, vcpu_count_changes_it)
{
	uint8_t other[PVM_MEASUREMENT_SIZE];
	struct kvm_run *run;
	struct vm vm;
	int fd;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	fd = vcpu_create_off(&vm, 1, &run);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, first_run(&vm, other));
	EXPECT_NE(0, memcmp(self->base, other, sizeof(other)));
	munmap(run, vm.run_size);
	close(fd);
	vm_destroy(&vm);
}

/*
 * The host fills a page outside the image before the first run: the guest
 * finds zeroes there, and its own pattern where it wrote it. Without EL2's
 * zeroing the guest would load the host's SECRET.
 */
TEST_F(measure, host_prefill_reads_zero)
{
	uint64_t probe = SECRET;
	uint64_t *page;
	struct vm vm;
	int i;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	for (i = 0; i < DATA_PAGES; i++) {
		page = (uint64_t *)vm_data_page(&vm, i);
		memset(page, 0x5e, getpagesize());
	}
	ASSERT_EQ(0, script_probe(&vm, &probe));
	EXPECT_EQ(0, probe);
	EXPECT_EQ(0, script_end(&vm));
	vm_destroy(&vm);
}

/* The measurement is there only once the VM has run. */
TEST_F(measure, measurement_needs_a_run)
{
	uint8_t m[PVM_MEASUREMENT_SIZE];
	struct vm vm;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	EXPECT_EQ(-1, vm_measurement(&vm, m));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, first_run(&vm, m));
	EXPECT_EQ(0, memcmp(self->base, m, sizeof(m)));
	EXPECT_EQ(-1, vm_measurement(&vm, NULL));
	EXPECT_EQ(EFAULT, errno);
	vm_destroy(&vm);
}

/*
 * Image regions: page-aligned, non-empty, inside the IPA space, disjoint,
 * at most eight, and only before the first run. Each refusal changes
 * nothing: the VM still launches with the measurement it would have had.
 */
TEST_F(measure, bad_image_regions_refused)
{
	const uint64_t page = getpagesize();
	const struct {
		uint64_t ipa, size;
		int err;
	} bad[] = {
		{ GUEST_BASE + 1, page, EINVAL },
		{ GUEST_BASE, page + 1, EINVAL },
		{ GUEST_BASE, 0, EINVAL },
		{ ~0ULL & ~(page - 1), page, EINVAL },
		{ 1ULL << 52, page, EINVAL },
		{ GUEST_BASE, page, EINVAL },		/* overlaps the code page */
		{ GUEST_BASE - page, 2 * page, EINVAL },
	};
	uint8_t m[PVM_MEASUREMENT_SIZE];
	struct vm vm;
	unsigned int i;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, vm_add_image(&vm, bad[i].ipa, bad[i].size))
			TH_LOG("region %u", i);
		EXPECT_EQ(bad[i].err, errno) TH_LOG("region %u", i);
	}
	ASSERT_EQ(0, first_run(&vm, m));
	EXPECT_EQ(0, memcmp(self->base, m, sizeof(m)));
	EXPECT_EQ(-1, vm_add_image(&vm, data_ipa(0), page));
	EXPECT_EQ(EPERM, errno);
	vm_destroy(&vm);
}

/* Eight regions at most: the ninth gets ENOSPC. */
TEST_F(measure, nine_regions_refused)
{
	struct vm vm;
	int i;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	for (i = 1; i < 8; i++)
		EXPECT_EQ(0, vm_add_image(&vm, GUEST_BASE + (1 << 20) * i,
					  getpagesize()))
			TH_LOG("region %d", i);
	EXPECT_EQ(-1, vm_add_image(&vm, GUEST_BASE + (1 << 20) * 8,
				   getpagesize()));
	EXPECT_EQ(ENOSPC, errno);
	vm_destroy(&vm);
}

/*
 * An image region without guest memory behind it: the first run fails
 * with EFAULT, and nothing runs, or is measured.
 */
TEST_F(measure, region_without_memory_fails_the_run)
{
	uint8_t m[PVM_MEASUREMENT_SIZE];
	struct vm vm;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	ASSERT_EQ(0, vm_add_image(&vm, GUEST_BASE + (1 << 20), getpagesize()));
	EXPECT_EQ(-1, ioctl(vm.vcpu, KVM_RUN, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, vm_measurement(&vm, m));
	vm_destroy(&vm);
}

/* The first 8 bytes of a handover: a map of 3, key 1, a 32-byte bstr. */
#define HANDOVER_HEAD	0x205801a3U

/*
 * A DICE region is part of the measurement, and at the first run the guest
 * finds EL2's handover there, where the host's bytes were.
 */
TEST_F(measure, dice_region_gets_the_handover)
{
	uint8_t m[PVM_MEASUREMENT_SIZE];
	uint64_t probe = 0;
	struct vm vm;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	memset(vm_data_page(&vm, 1), 0x5e, getpagesize());
	ASSERT_EQ(0, vm_set_dice(&vm, data_ipa(1), getpagesize()));
	ASSERT_EQ(0, script_probe(&vm, &probe));
	EXPECT_EQ(HANDOVER_HEAD, (uint32_t)probe);
	EXPECT_EQ(0, script_end(&vm));
	ASSERT_EQ(0, vm_measurement(&vm, m));
	EXPECT_NE(0, memcmp(self->base, m, sizeof(m)));
	vm_destroy(&vm);
}

/*
 * DICE regions: page-aligned, 1 to 16 pages, inside the IPA space, clear
 * of the image, one per VM, and only before the first run; an image
 * region may not overlap it either. Refusals change nothing.
 */
TEST_F(measure, bad_dice_regions_refused)
{
	const uint64_t page = getpagesize();
	const struct {
		uint64_t ipa, size;
		int err;
	} bad[] = {
		{ data_ipa(1) + 1, page, EINVAL },
		{ data_ipa(1), page - 1, EINVAL },
		{ data_ipa(1), 0, EINVAL },
		{ data_ipa(1), 17 * page, EINVAL },
		{ 1ULL << 52, page, EINVAL },
		{ GUEST_BASE, page, EINVAL },		/* the code page */
	};
	uint8_t m[PVM_MEASUREMENT_SIZE];
	struct vm vm;
	unsigned int i;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, vm_set_dice(&vm, bad[i].ipa, bad[i].size))
			TH_LOG("region %u", i);
		EXPECT_EQ(bad[i].err, errno) TH_LOG("region %u", i);
	}
	ASSERT_EQ(0, first_run(&vm, m));
	EXPECT_EQ(0, memcmp(self->base, m, sizeof(m)));
	EXPECT_EQ(-1, vm_set_dice(&vm, data_ipa(1), page));
	EXPECT_EQ(EPERM, errno);
	vm_destroy(&vm);

	ASSERT_EQ(0, prepare(&vm, &self->script));
	ASSERT_EQ(0, vm_set_dice(&vm, data_ipa(1), page));
	EXPECT_EQ(-1, vm_set_dice(&vm, data_ipa(0), page));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, vm_add_image(&vm, data_ipa(1), page));
	EXPECT_EQ(EINVAL, errno);
	vm_destroy(&vm);
}

/* A DICE region without guest memory behind it fails the first run. */
TEST_F(measure, dice_region_without_memory_fails_the_run)
{
	uint8_t m[PVM_MEASUREMENT_SIZE];
	struct vm vm;

	ASSERT_EQ(0, prepare(&vm, &self->script));
	ASSERT_EQ(0, vm_set_dice(&vm, GUEST_BASE + (1 << 20), getpagesize()));
	EXPECT_EQ(-1, ioctl(vm.vcpu, KVM_RUN, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, vm_measurement(&vm, m));
	vm_destroy(&vm);
}

/* A normal VM has no measurement, no image regions and no DICE region. */
TEST(nvm_has_no_measurement)
{
	uint8_t m[PVM_MEASUREMENT_SIZE];
	struct vm vm;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, vm_run_writer(&vm, false, DATA_PAGES, SECRET));
	EXPECT_EQ(-1, vm_measurement(&vm, m));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, vm_add_image(&vm, GUEST_BASE, getpagesize()));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, vm_set_dice(&vm, GUEST_BASE + getpagesize(),
				  getpagesize()));
	EXPECT_EQ(EINVAL, errno);
	vm_destroy(&vm);
}

TEST_HARNESS_MAIN
