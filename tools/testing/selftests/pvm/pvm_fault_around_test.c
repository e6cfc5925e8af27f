// SPDX-License-Identifier: GPL-2.0
/*
 * Fault-around for protected VMs (KVM_CAP_ARM_PROTECTED_VM_FLAGS_FAULT_AROUND):
 * with a window of N pages, a stage-2 fault donates the N-aligned run of
 * pages around the faulting one, within its memslot, instead of that page
 * alone; nothing changes once the guest has given a page back. The host
 * then cannot read the pages donated ahead either.
 *
 * A page EL2 refuses (guarded as MMIO) ends a window, and the pages pinned
 * for the rest of it are released, not counted as scrubbed.
 *
 * A normal VM takes the same window in protected mode: its fault shares
 * the pages around it, which stay the host's. What shows is that the host
 * faulted them in for the guest (mincore() on the memfd) before the guest
 * touched them. The capability's other flags stay for protected VMs.
 *
 * The script guest (pvm_script.h) stores one word to its first data page,
 * makes its calls, then loads from its probe page. Guest memory is the
 * code page (gfn 0 from GUEST_BASE, measured) and DATA_PAGES data pages
 * (gfns 1 to DATA_PAGES), so with a window of 8 the store's fault donates
 * data pages 0-6, and a fault on data page 8 donates 7-14.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "pvm_hvc_guest.h"
#include "pvm_script.h"
#include "pvm_util.h"

#define DATA_PAGES	16
#define WINDOW		8
#define FN_MMIO_GUARD	0xc6000007ULL
#define FN_RELINQUISH	0xc6000009ULL

static uint64_t data_ipa(unsigned int i)
{
	return GUEST_BASE + (uint64_t)(i + 1) * getpagesize();
}

/* Whether the host can load from data page @i (not donated). */
static bool host_reads(struct vm *vm, unsigned int i)
{
	uint64_t v;

	return try_load((uint64_t *)vm_data_page(vm, i), &v) == 1;
}

/* Whether data page @i is in the memfd's page cache: faulted in. */
static bool resident(struct vm *vm, unsigned int i)
{
	unsigned char vec = 0;

	return !mincore(vm_data_page(vm, i), getpagesize(), &vec) &&
	       (vec & 1);
}

FIXTURE(fa) {
	struct vm vm;
	struct script script;
};

FIXTURE_SETUP(fa)
{
	self->vm.kvm = -1;
	self->vm.fd = -1;
	self->vm.vcpu = -1;
	self->vm.mem = NULL;
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	script_init(&self->script, data_ipa(0), 1, 1);
	self->script.probe = data_ipa(8);
}

FIXTURE_TEARDOWN(fa)
{
	vm_destroy(&self->vm);
	if (!self->vm.mem)
		return;
	munmap(self->vm.mem, self->vm.size);
	close(self->vm.memfd);
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

static int prepare_vm(struct vm *vm, bool protected, const struct script *s,
		      uint64_t window)
{
	if (vm_prepare_guest(vm, protected, DATA_PAGES, script_guest,
			     script_guest_end, s, sizeof(*s)))
		return -1;
	return window ? vm_set_fault_around(vm, window) : 0;
}

static int prepare(struct vm *vm, const struct script *s, uint64_t window)
{
	return prepare_vm(vm, true, s, window);
}

/* Without a window, a fault donates its page alone, as ever. */
TEST_F(fa, one_page_a_fault_by_default)
{
	uint64_t v;

	ASSERT_EQ(0, prepare(&self->vm, &self->script, 0));
	ASSERT_EQ(0, script_probe(&self->vm, &v));
	/* The code page, data page 0 and the probe's page 8. */
	EXPECT_EQ(3, pvm_sysfs_long("pages_donated"));
	EXPECT_TRUE(host_reads(&self->vm, 1));
	EXPECT_TRUE(host_reads(&self->vm, 9));
	EXPECT_EQ(0, script_end(&self->vm));
}

/* Each fault donates its window, zeroed, and the host loses all of it. */
TEST_F(fa, window_donated_on_one_fault)
{
	unsigned int i;
	uint64_t v = 1;

	ASSERT_EQ(0, prepare(&self->vm, &self->script, WINDOW));
	ASSERT_EQ(0, script_probe(&self->vm, &v));
	EXPECT_EQ(0, v);
	/* The code page, data pages 0-6 and 7-14. */
	EXPECT_EQ(1 + 7 + 8, pvm_sysfs_long("pages_donated"));
	for (i = 0; i < 15; i++)
		EXPECT_FALSE(host_reads(&self->vm, i)) TH_LOG("data page %u", i);
	EXPECT_TRUE(host_reads(&self->vm, 15));
	EXPECT_EQ(0, script_end(&self->vm));
}

/*
 * Once the guest gave a page back, the host gives it no more than it asks
 * for: the fault on data page 8 donates that page alone.
 */
TEST_F(fa, none_after_relinquish)
{
	uint64_t res[4], v;

	script_add(&self->script, FN_RELINQUISH, data_ipa(1), 0, 0);
	ASSERT_EQ(0, prepare(&self->vm, &self->script, WINDOW));
	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(0, res[0]);
	ASSERT_EQ(0, script_probe(&self->vm, &v));
	/* The code page, data pages 0 and 2-6, and 8. */
	EXPECT_EQ(1 + 6 + 1, pvm_sysfs_long("pages_donated"));
	EXPECT_TRUE(host_reads(&self->vm, 1));
	EXPECT_TRUE(host_reads(&self->vm, 9));
	EXPECT_EQ(0, script_end(&self->vm));
}

/*
 * A page EL2 will not take ends the window: here data page 11, which the
 * guest guarded as MMIO before the fault on data page 8. The pages pinned
 * for the rest of the window go back to the host as they were: none is
 * left pinned, and none is counted as given back scrubbed.
 */
TEST_F(fa, refused_page_ends_window)
{
	long scrubbed = pvm_sysfs_long("pages_scrubbed");
	uint64_t res[4], v;
	unsigned int i;

	/* The guest's reports stay MMIO once it guards any page. */
	script_add(&self->script, FN_MMIO_GUARD, MMIO_EXIT, 0, 0);
	script_add(&self->script, FN_MMIO_GUARD, data_ipa(11), 0, 0);
	ASSERT_EQ(0, prepare(&self->vm, &self->script, WINDOW));
	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(0, res[0]);
	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(0, res[0]);
	ASSERT_EQ(0, script_probe(&self->vm, &v));
	/* The code page, data pages 0-6, then 8, 7, 9 and 10. */
	EXPECT_EQ(1 + 7 + 4, pvm_sysfs_long("pages_donated"));
	EXPECT_EQ(scrubbed, pvm_sysfs_long("pages_scrubbed"));
	for (i = 11; i < DATA_PAGES; i++)
		EXPECT_TRUE(host_reads(&self->vm, i)) TH_LOG("data page %u", i);
	EXPECT_EQ(0, script_end(&self->vm));
}

/* Only a power of two up to 64, or 0, and only before the first run. */
TEST_F(fa, bad_windows_refused)
{
	static const uint64_t bad[] = { 3, 12, 128, 1ULL << 32, ~0ULL };
	uint64_t v;
	unsigned int i;

	ASSERT_EQ(0, prepare(&self->vm, &self->script, 0));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, vm_set_fault_around(&self->vm, bad[i]));
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(0, vm_set_fault_around(&self->vm, 64));
	EXPECT_EQ(0, vm_set_fault_around(&self->vm, 1));
	ASSERT_EQ(0, script_probe(&self->vm, &v));
	EXPECT_EQ(-1, vm_set_fault_around(&self->vm, WINDOW));
	EXPECT_EQ(EPERM, errno);
	/* The window of 1 held: one page a fault. */
	EXPECT_EQ(3, pvm_sysfs_long("pages_donated"));
	EXPECT_EQ(0, script_end(&self->vm));
}

/* A normal VM's fault maps its page alone by default. */
TEST_F(fa, normal_vm_one_page_a_fault_by_default)
{
	unsigned int i;
	uint64_t v;

	ASSERT_EQ(0, prepare_vm(&self->vm, false, &self->script, 0));
	ASSERT_EQ(0, script_probe(&self->vm, &v));
	for (i = 0; i < DATA_PAGES; i++)
		EXPECT_EQ(i == 0 || i == 8, resident(&self->vm, i))
			TH_LOG("data page %u", i);
	EXPECT_EQ(0, script_end(&self->vm));
}

/*
 * With a window of 8, the store's fault shares data pages 0-6 and the
 * probe's 7-14, with what the host put there: nothing is donated.
 */
TEST_F(fa, normal_vm_window_shared_on_one_fault)
{
	unsigned int i;
	uint64_t v = 0;

	ASSERT_EQ(0, prepare_vm(&self->vm, false, &self->script, WINDOW));
	*(uint64_t *)vm_data_page(&self->vm, 8) = 0x5ca1ab1e;
	ASSERT_EQ(0, script_probe(&self->vm, &v));
	EXPECT_EQ(0x5ca1ab1e, v);
	for (i = 0; i < DATA_PAGES; i++)
		EXPECT_EQ(i < 15, resident(&self->vm, i))
			TH_LOG("data page %u", i);
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
	EXPECT_EQ(0, script_end(&self->vm));
}

/*
 * Of the capability, a normal VM takes the window alone, with the same
 * rules: a power of two up to 64, or 0, and only before the first run.
 */
TEST_F(fa, normal_vm_takes_only_the_window)
{
	uint64_t v;

	ASSERT_EQ(0, prepare_vm(&self->vm, false, &self->script, 0));
	EXPECT_EQ(-1, vm_add_image(&self->vm, GUEST_BASE, getpagesize()));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, vm_set_fault_around(&self->vm, 12));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, vm_set_fault_around(&self->vm, 1));
	ASSERT_EQ(0, script_probe(&self->vm, &v));
	EXPECT_EQ(-1, vm_set_fault_around(&self->vm, WINDOW));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, script_end(&self->vm));
}

TEST_HARNESS_MAIN
