// SPDX-License-Identifier: GPL-2.0
/*
 * The pKVM guest ABI at EL2: a protected guest's vendor-hypervisor calls
 * are answered by pvm.ko's EL2 part, never by the host.
 *
 * The script guest fills its data page with a pattern, then makes the HVCs
 * listed in its parameter block one by one, and reports x0-x3 after each
 * through four MMIO writes: the host can check the answers, and look at
 * guest memory, between two calls. The fuzz guest makes random vendor-hyp
 * calls with random arguments, and reports only how many it made.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "../kselftest_harness.h"
#include "pvm_hvc_guest.h"
#include "pvm_script.h"
#include "pvm_util.h"

#define SECRET		0x5ec7e75ec7e75ec7ULL
#define DATA_PAGES	2
#define INVALID		((uint64_t)-3)	/* SMCCC_RET_INVALID_PARAMETER */
#define NOT_SUPPORTED	((uint64_t)-1)	/* SMCCC_RET_NOT_SUPPORTED */

#define FN_FEATURES	0x86000000ULL
#define FN_UID		0x8600ff01ULL
#define FN_MEMINFO	0xc6000002ULL
#define FN_MEM_SHARE	0xc6000003ULL
#define FN_MEM_UNSHARE	0xc6000004ULL
#define FN_MMIO_GUARD	0xc6000007ULL
#define FN_RELINQUISH	0xc6000009ULL
#define FN_MEASUREMENT	0xc6000070ULL

/*
 * Past any stage-2 at EL2. (A protected VM's stage-2 at EL2 spans the
 * host's IPA range, as in 6.12, not the VM type's IPA size.)
 */
#define BEYOND_IPA	0x0100000000000000ULL
/* Not memory, not guarded: 64 KiB above the MMIO exit page. */
#define UNGUARDED	(MMIO_EXIT + 0x10000)
/* ESR_EL1 of a synchronous external abort on a data access at EL1. */
#define ESR_EC(esr)	((esr) >> 26)
#define EC_DABT_CUR	0x25
#define FSC_EXTABT	0x10

/* KVM's vendor-hyp UID (include/linux/arm-smccc.h, not a uapi header). */
#define KVM_UID_0	0xb66fb428U
#define KVM_UID_1	0xe911c52eU
#define KVM_UID_2	0x564bcaa9U
#define KVM_UID_3	0x743a004dU

/*
 * x0 of FEATURES: FEATURES itself, HYP_MEMINFO, MEM_SHARE, MEM_UNSHARE,
 * MMIO_GUARD, MEM_RELINQUISH.
 */
#define EL2_FEATURES	((1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | \
			 (1 << 7) | (1 << 9))
/* x3 of FEATURES, functions 96-127: pvmkit's MEASUREMENT (112). */
#define EL2_FEATURES_3	(1 << (112 - 96))

static uint64_t data_ipa(unsigned int i)
{
	return GUEST_BASE + (uint64_t)(i + 1) * getpagesize();
}

static int vm_prepare(struct vm *vm, bool protected, const uint32_t *code,
		      const uint32_t *code_end, const void *params, size_t len)
{
	return vm_prepare_guest(vm, protected, DATA_PAGES, code, code_end,
				params, len);
}

/* The script guest fills its data pages with SECRET. */
static void hvc_script_init(struct script *s)
{
	script_init(s, data_ipa(0), DATA_PAGES * getpagesize() / 8, SECRET);
}

/* A protected VM whose script guest runs @s. */
static int script_prepare(struct vm *vm, const struct script *s)
{
	return vm_prepare(vm, true, script_guest, script_guest_end, s,
			  sizeof(*s));
}

FIXTURE(hvc) {
	struct vm vm;
	struct script script;
};

FIXTURE_SETUP(hvc)
{
	self->vm.kvm = -1;
	self->vm.fd = -1;
	self->vm.vcpu = -1;
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	hvc_script_init(&self->script);
}

FIXTURE_TEARDOWN(hvc)
{
	vm_destroy(&self->vm);
}

/* Run @calls, each checked against its expected x0-x3. */
static void run_calls(struct __test_metadata *_metadata, struct vm *vm,
		      bool protected, struct script *s,
		      const uint64_t expect[][4])
{
	uint64_t res[4];
	unsigned int i, j;

	ASSERT_EQ(0, vm_prepare(vm, protected, script_guest, script_guest_end,
				s, sizeof(*s)));
	for (i = 0; i < s->ncalls; i++) {
		ASSERT_EQ(0, next_result(vm, res))
			TH_LOG("call %u", i);
		for (j = 0; j < 4; j++)
			EXPECT_EQ(expect[i][j], res[j])
				TH_LOG("call %u (0x%llx), x%u", i,
				       (unsigned long long)s->calls[i][0], j);
	}
	EXPECT_EQ(0, script_end(vm));
}

/* FEATURES, UID and HYP_MEMINFO, good and bad, answered at EL2. */
TEST_F(hvc, discovery)
{
	const uint64_t expect[][4] = {
		{ EL2_FEATURES, 0, 0, EL2_FEATURES_3 },
		{ KVM_UID_0, KVM_UID_1, KVM_UID_2, KVM_UID_3 },
		{ getpagesize(), 0, 0, 0 },
		{ INVALID, 0, 0, 0 },
		{ INVALID, 0, 0, 0 },
		{ INVALID, 0, 0, 0 },
	};

	script_add(&self->script, FN_FEATURES, 0, 0, 0);
	script_add(&self->script, FN_UID, 0, 0, 0);
	script_add(&self->script, FN_MEMINFO, 0, 0, 0);
	script_add(&self->script, FN_MEMINFO, 1, 0, 0);
	script_add(&self->script, FN_MEMINFO, 0, 1, 0);
	script_add(&self->script, FN_MEMINFO, 0, 0, ~0ULL);
	run_calls(_metadata, &self->vm, true, &self->script, expect);
}

/*
 * MEASUREMENT: the guest reads, in two halves, the launch measurement the
 * VMM reads; bad arguments get INVALID_PARAMETER.
 */
TEST_F(hvc, measurement)
{
	uint64_t m[PVM_MEASUREMENT_SIZE / 8], res[4];
	int half;

	script_add(&self->script, FN_MEASUREMENT, 0, 0, 0);
	script_add(&self->script, FN_MEASUREMENT, 1, 0, 0);
	script_add(&self->script, FN_MEASUREMENT, 2, 0, 0);
	script_add(&self->script, FN_MEASUREMENT, 0, 1, 0);
	script_add(&self->script, FN_MEASUREMENT, 0, 0, 1);
	ASSERT_EQ(0, script_prepare(&self->vm, &self->script));
	for (half = 0; half < 2; half++) {
		ASSERT_EQ(0, next_result(&self->vm, res));
		ASSERT_EQ(0, vm_measurement(&self->vm, (uint8_t *)m));
		EXPECT_EQ(0, res[0]);
		EXPECT_EQ(m[2 * half], res[1]) TH_LOG("half %d", half);
		EXPECT_EQ(m[2 * half + 1], res[2]) TH_LOG("half %d", half);
		EXPECT_EQ(0, res[3]);
	}
	while (self->script.ncalls-- > 2) {
		ASSERT_EQ(0, next_result(&self->vm, res));
		EXPECT_EQ(INVALID, res[0]);
		EXPECT_EQ(0, res[1]);
	}
	EXPECT_EQ(0, script_end(&self->vm));
}

/* Bad MEM_SHARE and MEM_UNSHARE arguments: INVALID_PARAMETER, no change. */
TEST_F(hvc, share_bad_arguments)
{
	const uint64_t expect[][4] = {
		{ INVALID }, { INVALID }, { INVALID }, { INVALID },
		{ INVALID }, { INVALID }, { INVALID }, { INVALID },
	};
	uint64_t v;

	script_add(&self->script, FN_MEM_SHARE, data_ipa(0) + 8, 0, 0);
	script_add(&self->script, FN_MEM_SHARE, BEYOND_IPA, 0, 0);
	script_add(&self->script, FN_MEM_SHARE, ~0ULL & ~0xfffULL, 0, 0);
	/* Inside the IPA space, but never faulted in: not the guest's. */
	script_add(&self->script, FN_MEM_SHARE, GUEST_BASE + (1 << 20), 0, 0);
	script_add(&self->script, FN_MEM_SHARE, data_ipa(0), 1, 0);
	script_add(&self->script, FN_MEM_SHARE, data_ipa(0), 0, 1);
	/* Not shared: nothing to take back. */
	script_add(&self->script, FN_MEM_UNSHARE, data_ipa(0), 0, 0);
	script_add(&self->script, FN_MEM_UNSHARE, BEYOND_IPA, 0, 0);
	run_calls(_metadata, &self->vm, true, &self->script, expect);
	/* None of it shared the page. */
	EXPECT_EQ(0, try_load((uint64_t *)vm_data_page(&self->vm, 0), &v));
}

/* A share makes the page readable by the host; unsharing ends that. */
TEST_F(hvc, share_unshare_round_trip)
{
	uint64_t res[4], v = 0;
	uint64_t *page;

	script_add(&self->script, FN_MEM_SHARE, data_ipa(0), 0, 0);
	script_add(&self->script, FN_MEM_SHARE, data_ipa(0), 0, 0);
	script_add(&self->script, FN_MEM_UNSHARE, data_ipa(0), 0, 0);
	script_add(&self->script, FN_MEM_UNSHARE, data_ipa(0), 0, 0);
	ASSERT_EQ(0, script_prepare(&self->vm, &self->script));
	page = (uint64_t *)vm_data_page(&self->vm, 0);

	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(0, res[0]);
	ASSERT_EQ(1, try_load(page, &v));
	EXPECT_EQ(SECRET, v);
	EXPECT_EQ(SECRET, page[getpagesize() / 8 - 1]);
	/* The second data page stays the guest's. */
	EXPECT_EQ(0, try_load((uint64_t *)vm_data_page(&self->vm, 1), &v));

	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(INVALID, res[0]);

	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, try_load(page, &v))
		TH_LOG("read 0x%llx after unshare", (unsigned long long)v);

	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(INVALID, res[0]);
	EXPECT_EQ(0, script_end(&self->vm));
}

/* A page still shared when the VM dies is scrubbed like the others. */
TEST_F(hvc, shared_page_scrubbed_at_teardown)
{
	const uint64_t expect[][4] = { { 0 } };
	uint64_t *page;

	script_add(&self->script, FN_MEM_SHARE, data_ipa(0), 0, 0);
	run_calls(_metadata, &self->vm, true, &self->script, expect);
	page = (uint64_t *)vm_data_page(&self->vm, 0);
	EXPECT_EQ(SECRET, page[0]);
	vm_destroy(&self->vm);
	EXPECT_EQ(0, page[0]);
	EXPECT_EQ(0, page[getpagesize() / 8 - 1]);
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/*
 * Sharing a page the guest has not touched yet, as 6.12 does with its
 * restricted DMA pool: the host maps it first, then the share goes
 * through. Outside memory, the share fails after that round trip.
 */
TEST_F(hvc, share_untouched_page)
{
	const uint64_t expect[][4] = { { 0 }, { INVALID }, { 0 } };
	uint64_t v = 1;

	self->script.words = 1;
	script_add(&self->script, FN_MEM_SHARE, data_ipa(1), 0, 0);
	script_add(&self->script, FN_MEM_SHARE, UNGUARDED, 0, 0);
	script_add(&self->script, FN_MEM_UNSHARE, data_ipa(1), 0, 0);
	run_calls(_metadata, &self->vm, true, &self->script, expect);
	/* Code page and both data pages: the untouched one was donated. */
	EXPECT_EQ(3, pvm_sysfs_long("pages_donated"));
	EXPECT_EQ(0, try_load((uint64_t *)vm_data_page(&self->vm, 1), &v));
}

/* MMIO_GUARD, good and bad: only pages that are not guest memory. */
TEST_F(hvc, mmio_guard_arguments)
{
	const uint64_t expect[][4] = {
		{ 0 }, { INVALID }, { INVALID }, { INVALID }, { INVALID },
		{ INVALID }, { 0 }, { INVALID },
	};

	/* The page of the reports first: from here on, only it is MMIO. */
	script_add(&self->script, FN_MMIO_GUARD, MMIO_EXIT, 0, 0);
	script_add(&self->script, FN_MMIO_GUARD, UNGUARDED + 8, 0, 0);
	script_add(&self->script, FN_MMIO_GUARD, BEYOND_IPA, 0, 0);
	script_add(&self->script, FN_MMIO_GUARD, UNGUARDED, 1, 0);
	script_add(&self->script, FN_MMIO_GUARD, UNGUARDED, 0, 1);
	/* The guest's own memory. */
	script_add(&self->script, FN_MMIO_GUARD, data_ipa(0), 0, 0);
	/* Again: a no-op that succeeds. */
	script_add(&self->script, FN_MMIO_GUARD, MMIO_EXIT, 0, 0);
	/* A guarded page cannot be shared: it is not the guest's memory. */
	script_add(&self->script, FN_MEM_SHARE, MMIO_EXIT, 0, 0);
	run_calls(_metadata, &self->vm, true, &self->script, expect);
}

/* Run the script guest to its next MMIO exit. */
static int next_mmio(struct vm *vm)
{
	if (ioctl(vm->vcpu, KVM_RUN, 0))
		return -1;
	return vm->run->exit_reason == KVM_EXIT_MMIO ? 0 : -1;
}

/*
 * Before any guard, a load from a page that is not memory is MMIO for the
 * host; once the page is guarded, too.
 */
TEST_F(hvc, mmio_before_guard_and_on_guarded_pages)
{
	const uint64_t value = 0x1234;
	uint64_t res[4], got;
	int guarded;

	for (guarded = 0; guarded < 2; guarded++) {
		hvc_script_init(&self->script);
		if (guarded) {
			vm_destroy(&self->vm);
			script_add(&self->script, FN_MMIO_GUARD, MMIO_EXIT, 0, 0);
			script_add(&self->script, FN_MMIO_GUARD, UNGUARDED, 0,
				   0);
		}
		self->script.probe = UNGUARDED + 8;
		ASSERT_EQ(0, script_prepare(&self->vm, &self->script));
		while (self->script.ncalls-- > 0) {
			ASSERT_EQ(0, next_result(&self->vm, res));
			EXPECT_EQ(0, res[0]);
		}
		ASSERT_EQ(0, next_mmio(&self->vm));
		EXPECT_EQ(UNGUARDED + 8, self->vm.run->mmio.phys_addr);
		EXPECT_FALSE(self->vm.run->mmio.is_write);
		memcpy(self->vm.run->mmio.data, &value, sizeof(value));
		ASSERT_EQ(0, next_mmio(&self->vm));
		EXPECT_EQ(MMIO_EXIT + SCRIPT_PROBE,
			  self->vm.run->mmio.phys_addr);
		memcpy(&got, self->vm.run->mmio.data, sizeof(got));
		EXPECT_EQ(value, got);
		EXPECT_EQ(0, script_end(&self->vm));
	}
}

/*
 * Once the guest has guarded a page, an access elsewhere that is not
 * memory is never shown to the host: the guest gets an external abort.
 */
TEST_F(hvc, unguarded_access_aborts_after_guard)
{
	uint64_t res[4], esr;

	script_add(&self->script, FN_MMIO_GUARD, MMIO_EXIT, 0, 0);
	self->script.probe = UNGUARDED;
	ASSERT_EQ(0, script_prepare(&self->vm, &self->script));
	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(0, res[0]);
	/* The next exit is the guest's abort handler, not the probe. */
	ASSERT_EQ(0, next_mmio(&self->vm));
	ASSERT_EQ(MMIO_EXIT + SCRIPT_ESR, self->vm.run->mmio.phys_addr)
		TH_LOG("the host saw an access to 0x%llx",
		       (unsigned long long)self->vm.run->mmio.phys_addr);
	memcpy(&esr, self->vm.run->mmio.data, sizeof(esr));
	EXPECT_EQ(EC_DABT_CUR, ESR_EC(esr));
	EXPECT_EQ(FSC_EXTABT, esr & 0x3f);
}

/*
 * A page the guest guarded never becomes its memory, even inside a
 * memslot: the host's attempt to give it one fails, and KVM_RUN with it.
 */
TEST_F(hvc, guarded_page_never_donated)
{
	uint64_t res[4];
	int i;

	self->script.words = 1;
	script_add(&self->script, FN_MMIO_GUARD, MMIO_EXIT, 0, 0);
	script_add(&self->script, FN_MMIO_GUARD, data_ipa(1), 0, 0);
	self->script.probe = data_ipa(1);
	ASSERT_EQ(0, script_prepare(&self->vm, &self->script));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, next_result(&self->vm, res));
		EXPECT_EQ(0, res[0]);
	}
	EXPECT_EQ(-1, ioctl(self->vm.vcpu, KVM_RUN, 0));
	TH_LOG("KVM_RUN: %s", strerror(errno));
}

/*
 * MEM_RELINQUISH gives a page back: the host gets it zeroed and unpinned,
 * and a later touch by the guest gets it a new one. Only a page the guest
 * owns, and not shared, can be given back.
 */
TEST_F(hvc, relinquish)
{
	const uint64_t expect[] = {
		INVALID, INVALID, INVALID, 0, INVALID, 0, INVALID,
	};
	uint64_t res[4], v = 1;
	long donated;
	unsigned int i;

	script_add(&self->script, FN_RELINQUISH, data_ipa(1), 0, 0);
	script_add(&self->script, FN_RELINQUISH, data_ipa(1), 0, 0);
	script_add(&self->script, FN_RELINQUISH, data_ipa(0) + 8, 0, 0);
	script_add(&self->script, FN_RELINQUISH, data_ipa(0), 1, 0);
	script_add(&self->script, FN_MEM_SHARE, data_ipa(0), 0, 0);
	script_add(&self->script, FN_RELINQUISH, data_ipa(0), 0, 0);
	script_add(&self->script, FN_MEM_UNSHARE, data_ipa(0), 0, 0);
	script_add(&self->script, FN_RELINQUISH, MMIO_EXIT, 0, 0);
	/* Then touch the page given back. */
	self->script.probe = data_ipa(1);
	ASSERT_EQ(0, script_prepare(&self->vm, &self->script));

	ASSERT_EQ(0, next_result(&self->vm, res));
	EXPECT_EQ(0, res[0]);
	donated = pvm_sysfs_long("pages_donated");
	/* The code page and the first data page are still the guest's. */
	EXPECT_EQ(2, donated);
	ASSERT_EQ(1, try_load((uint64_t *)vm_data_page(&self->vm, 1), &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, try_load((uint64_t *)vm_data_page(&self->vm, 0), &v));

	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		ASSERT_EQ(0, next_result(&self->vm, res));
		EXPECT_EQ(expect[i], res[0]) TH_LOG("call %u", i + 1);
	}

	/* The guest's load from the page given back: a new, zeroed page. */
	ASSERT_EQ(0, next_mmio(&self->vm));
	ASSERT_EQ(MMIO_EXIT + SCRIPT_PROBE, self->vm.run->mmio.phys_addr);
	memcpy(&v, self->vm.run->mmio.data, sizeof(v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(donated + 1, pvm_sysfs_long("pages_donated"));
	EXPECT_EQ(0, script_end(&self->vm));
}

/* A non-protected guest's calls go to the host, which has no pKVM ABI. */
TEST(nvm_calls_reach_the_host)
{
	const uint64_t expect[][4] = {
		{ NOT_SUPPORTED, 0, 0, 0 },
		{ NOT_SUPPORTED, 0, 0, 0 },
	};
	struct script s;
	struct vm vm;

	hvc_script_init(&s);
	script_add(&s, FN_MEMINFO, 0, 0, 0);
	script_add(&s, FN_MEM_SHARE, data_ipa(0), 0, 0);
	run_calls(_metadata, &vm, false, &s, expect);
	vm_destroy(&vm);
}

/*
 * Random vendor-hyp calls from a protected guest, PVM_HVC_FUZZ of them
 * (100000 by default): EL2 survives them, the guest finishes, the host
 * gets every page back, and a new protected VM still runs.
 */
TEST_F_TIMEOUT(hvc, fuzz, 600)
{
	const char *env = getenv("PVM_HVC_FUZZ");
	struct fuzz f = {
		.iterations = env ? strtoull(env, NULL, 0) : 100000,
		.seed = getpid(),
		/* Past the code page, which relinquish would take away. */
		.ipa_base = GUEST_BASE + getpagesize(),
		.ipa_size = 2ULL << 20,
		.mmio = MMIO_EXIT,
	};
	struct vm *vm = &self->vm;
	uint64_t made = 0;

	ASSERT_EQ(0, vm_prepare(vm, true, fuzz_guest, fuzz_guest_end, &f,
				sizeof(f)));
	ASSERT_EQ(0, ioctl(vm->vcpu, KVM_RUN, 0))
		TH_LOG("KVM_RUN: %s", strerror(errno));
	ASSERT_EQ(KVM_EXIT_MMIO, vm->run->exit_reason);
	ASSERT_EQ(MMIO_EXIT, vm->run->mmio.phys_addr);
	memcpy(&made, vm->run->mmio.data, sizeof(made));
	EXPECT_EQ(f.iterations, made);
	TH_LOG("%llu random calls, seed %llu", (unsigned long long)made,
	       (unsigned long long)f.seed);
	vm_destroy(vm);
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
	EXPECT_EQ(0, vm_run_writer(vm, true, DATA_PAGES, SECRET));
}

TEST_HARNESS_MAIN
