// SPDX-License-Identifier: GPL-2.0
/*
 * A compromised host kernel against EL2. The test-only module
 * pvm_hostile.ko makes the host->EL2 calls a hostile kernel would, with
 * the arguments it would choose, on the CPU it would choose; EL2 must
 * refuse each one with an error, and the machine must live on.
 *
 * Before EL2 stopped following host pointers, the first call here (a
 * pointer to a host page never shared with EL2) ended in a hyp panic.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "pvm_util.h"
#include "pvm_small_guests.h"

#define HOSTILE_KO	"/pvmkit/pvm_hostile.ko"
#define HOSTILE_DIR	"/sys/kernel/debug/pvm_hostile/"
/* pKVM's first VM handle (HANDLE_OFFSET) and how many to look through. */
#define FIRST_HANDLE	0x1000
#define NR_HANDLES	256

#define DATA_PAGES	2
#define SECRET		0x5ec7e75ec7e75ec7ULL

/* x0-x3 of one host->EL2 call. */
struct hret {
	long x[4];
};

static bool hostile_load(void)
{
	return test_module_load(HOSTILE_KO, HOSTILE_DIR "call");
}

/* Make the call described by @line; 0 and its x0-x3 in @r, or -errno. */
static int hcall(const char *line, struct hret *r)
{
	char buf[128] = "";
	int fd, n;

	fd = open(HOSTILE_DIR "call", O_RDWR);
	if (fd < 0)
		return -errno;
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line)) {
		n = -errno;
		close(fd);
		return n;
	}
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	if (n <= 0)
		return -EIO;
	return sscanf(buf, "%ld %ld %ld %ld", &r->x[0], &r->x[1], &r->x[2],
		      &r->x[3]) == 4 ? 0 : -EIO;
}

/* x1 of a call that EL2 took (x0 is SMCCC success), or LONG_MIN. */
static long hcall_x1(const char *fmt, ...)
{
	struct hret r;
	char line[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (hcall(line, &r) || r.x[0] != 0)
		return LONG_MIN;
	return r.x[1];
}

/* Every byte of the module's unshared host page still holds its fill. */
static bool module_page_intact(const char *name)
{
	char path[128], c = 0;
	int fd;

	snprintf(path, sizeof(path), HOSTILE_DIR "%s", name);
	fd = open(path, O_RDONLY);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == '1';
}

static bool page_intact(void)
{
	return module_page_intact("page");
}

/* The hexadecimal number file @path holds; 0 if none. */
static unsigned long read_hex(const char *path)
{
	unsigned long val = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lx", &val) != 1)
		val = 0;
	fclose(f);
	return val;
}

/* Where pvm.ko's EL2 image is, in memory EL2 owns; 0 if unknown. */
static unsigned long el2_phys(void)
{
	return read_hex(PVM_DEBUGFS "el2_phys");
}

/* pvm.ko's EL2 part answers a host call: reading el2_call makes one. */
static bool el2_part_answers(void)
{
	char buf[64] = "";
	int fd = open(PVM_DEBUGFS "el2_call", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && !strncmp(buf, "abi ", 4);
}

FIXTURE(hostile) {
};

FIXTURE_SETUP(hostile)
{
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	if (!hostile_load())
		SKIP(return, "cannot load " HOSTILE_KO);
}

FIXTURE_TEARDOWN(hostile)
{
}

/*
 * Calls that took a pointer to a host structure: refused in protected
 * mode, whatever they point at, and nothing is read or written.
 */
TEST_F(hostile, host_pointer_calls_refused)
{
	static const char *const refused[] = {
		"kvm_adjust_pc", "kvm_tlb_flush_vmid", "kvm_tlb_flush_vmid_ipa",
		"kvm_tlb_flush_vmid_ipa_nsh", "kvm_tlb_flush_vmid_range",
		"kvm_flush_cpu_context", "pkvm_vcpu_init_traps",
	};
	char phys[32];
	unsigned int i;

	ASSERT_NE(0, el2_phys());
	snprintf(phys, sizeof(phys), "phys:0x%lx", el2_phys());

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		EXPECT_EQ(-EPERM, hcall_x1("%s page 0 0", refused[i]))
			TH_LOG("%s on an unshared host page", refused[i]);
		EXPECT_EQ(-EPERM, hcall_x1("%s %s 0 0", refused[i], phys))
			TH_LOG("%s on pvm.ko's EL2 image", refused[i]);
	}
	/* No vCPU loaded on this CPU: nothing to save, restore or run. */
	EXPECT_EQ(-EINVAL, hcall_x1("vgic_v3_save_vmcr_aprs page"));
	EXPECT_EQ(-EINVAL, hcall_x1("vgic_v3_restore_vmcr_aprs %s", phys));
	EXPECT_EQ(-EINVAL, hcall_x1("vgic_v3_save_vmcr_aprs %s", phys));
	EXPECT_EQ(-EINVAL, hcall_x1("kvm_vcpu_run page"));
	EXPECT_TRUE(page_intact());
	/* EL2 and pvm.ko's EL2 part still answer. */
	EXPECT_LE(0, pvm_sysfs_long("el2_vms"));
}

/* Write @line to the module's file @name; 0 or -errno. */
static int hostile_write(const char *name, const char *line)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), HOSTILE_DIR "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, line, strlen(line));
	close(fd);
	return n == (ssize_t)strlen(line) ? 0 : -errno;
}

/*
 * Change @field of @vm's vCPU, as the host kernel keeps it, to the
 * argument @fmt makes (a number, "page"...): the module's "vcpu" file.
 */
static int __printf(3, 4)
poke_vcpu(const struct vm *vm, const char *field, const char *fmt, ...)
{
	char line[96];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "%d %s ", vm->vcpu, field);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	return hostile_write("vcpu", line);
}

static void wake_up(int sig)
{
}

/*
 * After a stall: KVM's exit counters (summed over the VMs alive), twice a
 * second apart. Exits that keep counting mean the vCPU loops through the
 * host; counters that stand still, that it is stuck in the guest or EL2.
 */
static void show_kvm_exits(void)
{
	static const char * const stats[] = {
		"exits", "mmio_exit_user", "mmio_exit_kernel", "hvc_exit_stat",
		"wfi_exit_stat", "signal_exits",
	};
	char path[96], val[32];
	unsigned int pass, i;
	FILE *f;

	for (pass = 0; pass < 2; pass++) {
		if (pass)
			sleep(1);
		for (i = 0; i < ARRAY_SIZE(stats); i++) {
			snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%s",
				 stats[i]);
			f = fopen(path, "r");
			if (f && fgets(val, sizeof(val), f))
				printf("# kvm %s %s", stats[i], val);
			if (f)
				fclose(f);
		}
	}
}

/* vm_run_to_exit(), ended by a 10 s alarm if the guest stalls instead. */
static int run_to_exit_or_stall(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = wake_up };
	int ret;

	if (sigaction(SIGALRM, &sa, NULL))
		return -1;
	alarm(10);
	ret = vm_run_to_exit(vm);
	alarm(0);
	if (ret && errno == EINTR) {
		show_kvm_exits();
		errno = EINTR;
	}
	return ret;
}

/* The handle of the only VM EL2 knows, or 0. Leaves nothing loaded. */
static unsigned long only_vm_handle(void)
{
	unsigned long h;

	if (pvm_sysfs_long("el2_vms") != 1)
		return 0;
	for (h = FIRST_HANDLE; h < FIRST_HANDLE + NR_HANDLES; h++) {
		if (hcall_x1("pkvm_vcpu_load %lu 0 @0", h) == 0) {
			hcall_x1("pkvm_vcpu_put @0");
			return h;
		}
	}
	return 0;
}

/* A protected VM that has run, the only one EL2 knows, and its handle. */
static void run_only_pvm(struct __test_metadata *_metadata, struct vm *vm,
			 unsigned long *h)
{
	ASSERT_EQ(0, vm_run_writer(vm, true, DATA_PAGES, SECRET))
		TH_LOG("vm_run_writer failed at %s", vm_failed_step);
	*h = only_vm_handle();
	ASSERT_NE(0, *h);
}

/*
 * A vCPU is loaded on one CPU at a time, and its VM cannot be torn down
 * while it is: a hostile host can neither run one vCPU on two CPUs nor
 * pull a VM from under a running vCPU, and EL2 does not panic on either.
 */
TEST_F(hostile, vcpu_loaded_once)
{
	unsigned long h;
	struct vm vm;

	run_only_pvm(_metadata, &vm, &h);

	EXPECT_EQ(0, hcall_x1("pkvm_vcpu_load %lu 0 @0", h));
	EXPECT_EQ(0, hcall_x1("pkvm_vcpu_load %lu 0 @0", h));
	EXPECT_EQ(-EBUSY, hcall_x1("pkvm_vcpu_load %lu 0 @1", h));
	EXPECT_EQ(-EINVAL, hcall_x1("pkvm_vcpu_load %lu 1 @1", h));
	EXPECT_EQ(-ENOENT, hcall_x1("pkvm_vcpu_load %lu 0 @1",
				    h + NR_HANDLES));
	EXPECT_EQ(-EINVAL, hcall_x1("kvm_vcpu_run 0 @1"));
	EXPECT_EQ(-EBUSY, hcall_x1("pkvm_start_teardown_vm %lu", h));
	EXPECT_EQ(-EBUSY, hcall_x1("pkvm_teardown_vm %lu", h));
	EXPECT_EQ(0, hcall_x1("pkvm_vcpu_put @0"));
	EXPECT_EQ(-ENOENT, hcall_x1("pkvm_vcpu_put @0"));

	/* The VM is whole: it dies as usual, and gives everything back. */
	vm_destroy(&vm);
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
	EXPECT_EQ(0, pvm_sysfs_long("el2_vm_pages"));
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/*
 * Once a protected VM has run, its measurement is sealed: a hostile host
 * cannot add a page of its choosing to the guest as part of the measured
 * image, unmapped gfn or mapped, and the page stays the host's. (Such a
 * page would reach the guest with the host's content, where every other
 * page EL2 gives it is zeroed.)
 */
TEST_F(hostile, measured_donation_after_launch_refused)
{
	const unsigned long gfn = GUEST_BASE / getpagesize();
	unsigned long h;
	struct vm vm;

	run_only_pvm(_metadata, &vm, &h);

	EXPECT_EQ(-EPERM, hcall_x1("pkvm_host_donate_guest_measured pfn %lu %lu 0",
				   gfn + DATA_PAGES + 8, h));
	EXPECT_EQ(-EPERM, hcall_x1("pkvm_host_donate_guest_measured pfn %lu %lu 0",
				   gfn + 1, h));
	EXPECT_TRUE(page_intact());

	vm_destroy(&vm);
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/*
 * A run of pages donated in one call is checked whole before any page
 * changes hands. The module's pair: its second page goes to the guest on
 * its own first, so a run of both is refused and the first page stays the
 * host's, with its content. So are runs the host may not name at all:
 * none, more than 64 pages, pfns or gfns that wrap or end past what each
 * side has, a run onto a gfn the guest has already, and a measured run
 * once the VM has run.
 */
TEST_F(hostile, donate_range_checked_whole)
{
	const unsigned long gfn = GUEST_BASE / getpagesize() + DATA_PAGES + 8;
	unsigned long h;
	struct vm vm;

	run_only_pvm(_metadata, &vm, &h);

	EXPECT_EQ(-EINVAL, hcall_x1("pkvm_host_donate_guest_range pair %lu 0 %lu 0",
				    gfn, h));
	EXPECT_EQ(-EINVAL, hcall_x1("pkvm_host_donate_guest_range pair %lu 65 %lu 0",
				    gfn, h));
	EXPECT_EQ(-EINVAL, hcall_x1("pkvm_host_donate_guest_range %lu %lu 2 %lu 0",
				    ~0UL, gfn, h));
	EXPECT_EQ(-EINVAL, hcall_x1("pkvm_host_donate_guest_range pair %lu 2 %lu 0",
				    ~0UL, h));
	EXPECT_EQ(-EINVAL, hcall_x1("pkvm_host_donate_guest_range pair %lu 2 %lu 0",
				    1UL << 52, h));
	EXPECT_EQ(-EAGAIN, hcall_x1("pkvm_host_donate_guest_range pair %lu 2 %lu 0",
				    gfn - DATA_PAGES - 8, h));
	/* The measurement is sealed: no run joins the image now. */
	EXPECT_EQ(-EPERM, hcall_x1("pkvm_host_donate_guest_measured_range pair %lu 1 %lu 0",
				   gfn, h));
	EXPECT_EQ(0, hcall_x1("pkvm_host_owns_page pair"));

	EXPECT_EQ(0, hcall_x1("pkvm_host_donate_guest pair2 %lu %lu 0",
			      gfn + 4, h));
	EXPECT_EQ(-EPERM, hcall_x1("pkvm_host_donate_guest_range pair %lu 2 %lu 0",
				   gfn, h));
	EXPECT_TRUE(module_page_intact("pair"));
	EXPECT_EQ(0, hcall_x1("pkvm_host_owns_page pair"));
	/* The first page alone is the host's to give. */
	EXPECT_EQ(1, hcall_x1("pkvm_host_donate_guest_range pair %lu 1 %lu 0",
			      gfn, h));
	EXPECT_EQ(-EPERM, hcall_x1("pkvm_host_owns_page pair"));

	/* The guest's death gives both back, zeroed. */
	vm_destroy(&vm);
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
	ASSERT_EQ(0, hcall_x1("pkvm_host_owns_page pair"));
	ASSERT_EQ(0, hcall_x1("pkvm_host_owns_page pair2"));
	EXPECT_FALSE(module_page_intact("pair"));
}

/*
 * A run leaves the host's stage-2 with one TLB invalidation, after the
 * walk: no translation the host used before is left to use after. The
 * pair's second page goes first, alone, so that the host's stage-2 maps
 * the first with a page of its own, which is what the run's walk leaves
 * to that last invalidation; the host then loads from it, on the CPU that
 * makes the call, so that a translation is cached there. (With the
 * invalidation left out, the load after the call still worked.)
 */
TEST_F(hostile, donate_range_leaves_no_stale_mapping)
{
	const unsigned long gfn = GUEST_BASE / getpagesize() + DATA_PAGES + 8;
	cpu_set_t one;
	unsigned long h;
	struct vm vm;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	run_only_pvm(_metadata, &vm, &h);

	EXPECT_EQ(0, hcall_x1("pkvm_host_donate_guest pair2 %lu %lu 0",
			      gfn + 4, h));
	EXPECT_TRUE(module_page_intact("pair_probe"));
	EXPECT_EQ(1, hcall_x1("pkvm_host_donate_guest_range pair %lu 1 %lu 0",
			      gfn, h));
	EXPECT_FALSE(module_page_intact("pair_probe"));

	vm_destroy(&vm);
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
	ASSERT_EQ(0, hcall_x1("pkvm_host_owns_page pair"));
	ASSERT_EQ(0, hcall_x1("pkvm_host_owns_page pair2"));
	EXPECT_TRUE(module_page_intact("pair_probe"));
}

/* What a refused __kvm_vcpu_run gives the host in x1: ARM_EXCEPTION_IL. */
#define RUN_REFUSED	3

/*
 * The host skips the donation of a pVM's DICE region and runs its vCPU at
 * EL2 itself: EL2 finds no page of the guest's own there, refuses to seal
 * the VM, and runs nothing. (Built without that check, EL2 sealed the VM,
 * ran it, and wrote its CDIs to physical address 0, outside the guest.)
 */
TEST_F(hostile, dice_region_not_donated_refused)
{
	const unsigned long page = getpagesize();
	uint8_t m[PVM_MEASUREMENT_SIZE];
	unsigned long h;
	struct vm vm;

	ASSERT_EQ(0, vm_prepare_writer(&vm, true, DATA_PAGES, SECRET))
		TH_LOG("vm_prepare_writer failed at %s", vm_failed_step);
	ASSERT_EQ(0, vm_set_dice(&vm, GUEST_BASE + page, page));
	/* An image region without memory: KVM stops before the DICE region. */
	ASSERT_EQ(0, vm_add_image(&vm, GUEST_BASE + (1 << 20), page));
	EXPECT_EQ(-1, ioctl(vm.vcpu, KVM_RUN, 0));
	EXPECT_EQ(EFAULT, errno);
	h = only_vm_handle();
	ASSERT_NE(0, h);

	EXPECT_EQ(0, hcall_x1("pkvm_vcpu_load %lu 0 @0", h));
	EXPECT_EQ(RUN_REFUSED, hcall_x1("kvm_vcpu_run 0 @0"));
	EXPECT_EQ(0, hcall_x1("pkvm_vcpu_put @0"));
	EXPECT_EQ(-1, vm_measurement(&vm, m));
	EXPECT_EQ(EBUSY, errno);

	vm_destroy(&vm);
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/*
 * The host sets the flags that tell EL2 to save its SPE and trace buffer
 * state around a run, on a CPU that has neither (QEMU has none): EL2 takes
 * them from the CPU, so the normal and the protected VM both still run.
 * Before, EL2 read SPE registers that do not exist and panicked.
 */
TEST_F(hostile, debug_save_flags_from_cpu)
{
	bool protected;
	struct vm vm;

	for (protected = false; ; protected = true) {
		ASSERT_EQ(0, vm_prepare_writer(&vm, protected, DATA_PAGES,
					       SECRET))
			TH_LOG("vm_prepare_writer failed at %s",
			       vm_failed_step);
		ASSERT_EQ(0, poke_vcpu(&vm, "debug_save", "1"));
		EXPECT_EQ(0, vm_run_to_exit(&vm))
			TH_LOG("%s VM: %s", protected ? "protected" : "normal",
			       vm_failed_step);
		vm_destroy(&vm);
		if (protected)
			break;
	}
}

/* HCR_EL2.TTLB: trap the guest's TLB maintenance to EL2. */
#define HCR_TTLB	0x2000000UL	/* bit 25 */

/*
 * The host sets HCR_EL2.TTLB in a protected vCPU's copy before its first
 * run, which would send the guest's TLB maintenance to the host: the host
 * would not emulate it, and the guest would stall on its first TLBI. EL2
 * keeps only the HCR_EL2 bits the host may set, so the guest runs on to
 * its exit. (A 10 s alarm ends a stalled KVM_RUN, for the test to fail.)
 */
TEST_F(hostile, hcr_from_allow_list)
{
	const struct writer_params params = { .mmio = MMIO_EXIT };
	struct vm vm;

	ASSERT_EQ(0, vm_prepare_guest(&vm, true, 0, tlbi_guest,
				      tlbi_guest_end, &params, sizeof(params)))
		TH_LOG("vm_prepare_guest failed at %s", vm_failed_step);
	ASSERT_EQ(0, poke_vcpu(&vm, "hcr", "%#lx", HCR_TTLB));
	EXPECT_EQ(0, run_to_exit_or_stall(&vm))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	vm_destroy(&vm);
}

/* KVM's iflags: PENDING_EXCEPTION, with EXCEPT_AA64_EL1_SYNC (0). */
#define IFLAG_PENDING_SYNC	0x1UL

/*
 * The host marks a synchronous exception pending in a protected vCPU's
 * flags before its first run: the guest would take it before its first
 * instruction, at a vector with no memory behind it, and never reach its
 * exit. EL2 starts a protected vCPU's flags from zero, so it runs on.
 */
TEST_F(hostile, iflags_not_taken)
{
	struct vm vm;

	ASSERT_EQ(0, vm_prepare_writer(&vm, true, DATA_PAGES, SECRET))
		TH_LOG("vm_prepare_writer failed at %s", vm_failed_step);
	ASSERT_EQ(0, poke_vcpu(&vm, "iflags", "%#lx", IFLAG_PENDING_SYNC));
	EXPECT_EQ(0, run_to_exit_or_stall(&vm))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	vm_destroy(&vm);
}

/* HCR_EL2.VSE: a virtual SError pending, with VSESR_EL2's syndrome. */
#define HCR_VSE		0x100UL	/* bit 8 */

/*
 * Between two exits of a protected guest that takes SErrors, the host
 * sets HCR_EL2.VSE and a syndrome: the guest would take an SError the
 * host made up, at a vector with no memory behind it, and never reach its
 * second exit. EL2 lets the host inject nothing into a protected vCPU.
 */
TEST_F(hostile, serror_not_injected)
{
	const struct writer_params params = { .mmio = MMIO_EXIT };
	struct vm vm;

	ASSERT_EQ(0, vm_prepare_guest(&vm, true, 0, serror_guest,
				      serror_guest_end, &params, sizeof(params)))
		TH_LOG("vm_prepare_guest failed at %s", vm_failed_step);
	ASSERT_EQ(0, vm_run_to_exit(&vm))
		TH_LOG("first exit: %s", vm_failed_step);
	ASSERT_EQ(0, poke_vcpu(&vm, "vsesr", "%#x", 0xbad));
	ASSERT_EQ(0, poke_vcpu(&vm, "hcr", "%#lx", HCR_VSE));
	EXPECT_EQ(0, run_to_exit_or_stall(&vm))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	vm_destroy(&vm);
}

/*
 * A normal VM of sve_guest whose vCPU has SVE; false, with the VM gone,
 * if KVM gives guests no SVE here.
 */
static bool sve_vm_create(struct __test_metadata *_metadata, struct vm *vm)
{
	const struct writer_params params = { .mmio = MMIO_EXIT };

	ASSERT_EQ(0, vm_load_guest(vm, false, 0, sve_guest, sve_guest_end,
				   &params, sizeof(params)))
		TH_LOG("vm_load_guest failed at %s", vm_failed_step);
	if (!vcpu_create_with(vm, 1U << KVM_ARM_VCPU_SVE))
		return true;
	vm_destroy(vm);
	return false;
}

/*
 * The host points a normal vCPU's debug state at a page it never shared
 * with EL2, and marks it dirty: EL2 would load the debug registers from
 * there and save the guest's back, and a page EL2 does not map panics it
 * (pvm.ko's EL2 image would be overwritten silently). EL2 takes them only
 * from the host vCPU's own two debug states: the VM runs to its exit, the
 * page is untouched, and pvm.ko's EL2 part still answers.
 */
TEST_F(hostile, debug_ptr_not_followed)
{
	struct vm vm;

	ASSERT_EQ(0, vm_prepare_writer(&vm, false, DATA_PAGES, SECRET))
		TH_LOG("vm_prepare_writer failed at %s", vm_failed_step);
	ASSERT_EQ(0, poke_vcpu(&vm, "debug_ptr", "page"));
	EXPECT_EQ(0, vm_run_to_exit(&vm))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	vm_destroy(&vm);
	EXPECT_TRUE(page_intact());
	EXPECT_TRUE(el2_part_answers());
}

/*
 * Once a normal vCPU with SVE has run, the host points its SVE buffer at
 * a page it never shared with EL2: the guest then takes SVE, and at the
 * exit EL2 saves the guest's Z registers, to the buffer it pinned when
 * the vCPU was made (pin_host_sve_state()). Were it to follow the host's
 * pointer, it would write into a page it does not map, and panic. The VM
 * runs to its exit, the page is untouched, and pvm.ko's EL2 part still
 * answers.
 */
TEST_F(hostile, sve_state_not_followed)
{
	struct vm vm;

	if (!sve_vm_create(_metadata, &vm))
		SKIP(return, "no SVE for guests");
	ASSERT_EQ(0, vm_run_to_exit(&vm))
		TH_LOG("first exit: %s", vm_failed_step);
	ASSERT_EQ(0, poke_vcpu(&vm, "sve_state", "1"));
	EXPECT_EQ(0, vm_run_to_exit(&vm))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	ASSERT_EQ(0, poke_vcpu(&vm, "sve_state", "0"));
	vm_destroy(&vm);
	EXPECT_TRUE(page_intact());
	EXPECT_TRUE(el2_part_answers());
}

/* HCR_EL2.RW: EL1 is AArch64. */
#define HCR_RW		0x80000000UL	/* bit 31 */

/*
 * On a CPU without AArch32 at EL1, the host clears HCR_EL2.RW in a normal
 * vCPU's copy. The CPU runs the guest as AArch64 all the same (RW is RES1
 * there), but EL2, taking the guest for a 32-bit one, would save and
 * restore DACR32_EL2 and the other AArch32 registers, which do not exist:
 * an UNDEF at EL2, a hyp panic. EL2 keeps RW set on such a CPU, and the VM
 * runs to its exit. make check runs it in a boot on QEMU's neoverse-n1;
 * where EL1 has AArch32, a 32-bit guest is the host's to run, and it
 * skips.
 */
TEST_F(hostile, hcr_rw_kept_without_aarch32)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), aa32;
	struct vm vm;

	ASSERT_LE(0, kvm);
	aa32 = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL1_32BIT);
	close(kvm);
	if (aa32 > 0)
		SKIP(return, "this CPU has AArch32 at EL1");
	ASSERT_EQ(0, vm_prepare_writer(&vm, false, DATA_PAGES, SECRET))
		TH_LOG("vm_prepare_writer failed at %s", vm_failed_step);
	ASSERT_EQ(0, poke_vcpu(&vm, "hcr_clear", "%#lx", HCR_RW));
	EXPECT_EQ(0, vm_run_to_exit(&vm))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	vm_destroy(&vm);
	EXPECT_TRUE(el2_part_answers());
}

/* What tpidr2_guest read, or ~0 if an access UNDEFed; -1 on failure. */
static int run_tpidr2_guest(struct vm *vm, bool protected, uint64_t data,
			    uint64_t *read)
{
	const struct writer_params p = { .data = data, .mmio = MMIO_EXIT };

	if (vm_prepare_guest(vm, protected, 0, tpidr2_guest, tpidr2_guest_end,
			     &p, sizeof(p)) ||
	    ioctl(vm->vcpu, KVM_RUN, 0) ||
	    vm->run->exit_reason != KVM_EXIT_MMIO)
		return -1;
	if (vm->run->mmio.phys_addr == MMIO_EXIT + 8)
		*read = ~0ULL;
	else if (vm->run->mmio.phys_addr == MMIO_EXIT)
		memcpy(read, vm->run->mmio.data, sizeof(*read));
	else
		return -1;
	return 0;
}

/*
 * TPIDR2_EL0 is SME's, which no guest is given, and neither EL2 nor KVM
 * switches it between VMs. On a CPU with SME the host's boot leaves it
 * untrapped; were it so for guests, a protected guest could leave a value
 * there for the next VM on that CPU, one the host runs, to read, or find
 * one the host left. EL2 traps it for every guest: the pVM's write
 * UNDEFs, and so does the normal VM's read after it, on the same CPU.
 * (Without the trap: the pVM wrote the secret and read it back, and the
 * normal VM read it.)
 */
TEST_F(hostile, tpidr2_not_shared)
{
	uint64_t read = 0;
	cpu_set_t one;
	struct vm vm;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_EQ(0, run_tpidr2_guest(&vm, true, SECRET, &read));
	vm_destroy(&vm);
	EXPECT_EQ(~0ULL, read)
		TH_LOG("the pVM read back %#llx", (unsigned long long)read);
	ASSERT_EQ(0, run_tpidr2_guest(&vm, false, 0, &read));
	vm_destroy(&vm);
	EXPECT_NE(SECRET, read);
	EXPECT_EQ(~0ULL, read)
		TH_LOG("the normal VM read %#llx", (unsigned long long)read);
}

/* ICH_HCR_EL2.TALL1: trap EL1's accesses to its Group 1 ICC registers. */
#define ICH_HCR_TALL1	0x1000UL	/* bit 12 */

/*
 * The host sets ICH_HCR_EL2.TALL1 in a normal vCPU's vGIC state, with a
 * list register in use and the system register interface, and runs it.
 * That trap would outlive the run, and the host's next interrupt on that
 * CPU, whose ICC_IAR1_EL1 read would trap to EL2, would panic EL2. EL2
 * takes only the enables and counts of the host's ICH_HCR_EL2: the VM
 * runs to its exit, the CPU takes its interrupts, and EL2 answers after.
 * (Without that: "nVHE hyp BUG at __kvm_nvhe_handle_trap".)
 */
TEST_F(hostile, ich_hcr_traps_not_taken)
{
	cpu_set_t one;
	struct vm vm;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_EQ(0, vm_prepare_writer(&vm, false, DATA_PAGES, SECRET))
		TH_LOG("vm_prepare_writer failed at %s", vm_failed_step);
	ASSERT_EQ(0, poke_vcpu(&vm, "vgic_hcr", "%#lx", ICH_HCR_TALL1));
	ASSERT_EQ(0, poke_vcpu(&vm, "used_lrs", "1"));
	/* The system register interface: else EL2 clears ICH_HCR_EL2 itself. */
	ASSERT_EQ(0, poke_vcpu(&vm, "vgic_sre", "1"));
	EXPECT_EQ(0, vm_run_to_exit(&vm))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	vm_destroy(&vm);
	/* CPU 0's timer interrupts, at the least, come in the meantime. */
	usleep(200000);
	EXPECT_TRUE(el2_part_answers());
}

/* The physical address of the module's unshared page; 0 if unknown. */
static unsigned long module_page_phys(void)
{
	return read_hex(HOSTILE_DIR "page_phys");
}

static int vcpu_get(const struct vm *vm, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(vm->vcpu, KVM_GET_ONE_REG, &reg);
}

/* HCR_EL2.VM: stage 2 on, for the guest at EL1 and EL0. */
#define HCR_VM		0x1UL	/* bit 0 */
/* The module's fill (HOSTILE_FILL) in each byte of a word. */
#define HOSTILE_FILL64	0x5a5a5a5a5a5a5a5aULL

/*
 * The host clears HCR_EL2.VM in a normal vCPU's copy. Were EL2 to take
 * it, the guest, whose code the host writes, would run without stage 2
 * and could load any physical address. The guest loads from the module's
 * page, which is not its memory. Its code page sits at the IPA that is
 * its physical address, so that it runs the same either way: with stage
 * 2 on, the load exits as MMIO at that address; without, the guest would
 * read the page's fill into x5 and power off. (With EL2 taking the host's
 * HCR_EL2 as it was, it did.)
 */
TEST_F(hostile, hcr_vm_kept)
{
	const size_t len = (physread_guest_end - physread_guest) *
			   sizeof(*physread_guest);
	unsigned long target = module_page_phys(), code;
	uint64_t x5 = 0;
	struct vm vm;

	ASSERT_NE(0, target);
	ASSERT_EQ(0, vm_create(&vm, false, 0));
	ASSERT_EQ(0, vm_map_memfd(&vm));
	memcpy(vm.mem, physread_guest, len);
	code = phys_of(vm.mem);
	ASSERT_NE(0, code);
	ASSERT_EQ(0, vm_add_memory_at(&vm, vm.mem, code, 0));
	ASSERT_EQ(0, vcpu_create(&vm));
	ASSERT_EQ(0, vcpu_set_entry(&vm, code, target));
	ASSERT_EQ(0, poke_vcpu(&vm, "hcr_clear", "%#lx", HCR_VM));

	ASSERT_EQ(0, ioctl(vm.vcpu, KVM_RUN, 0))
		TH_LOG("KVM_RUN: %s", strerror(errno));
	ASSERT_EQ(0, vcpu_get(&vm, ARM64_CORE_REG(regs.regs[5]), &x5));
	EXPECT_NE(HOSTILE_FILL64, x5)
		TH_LOG("the guest loaded the module's page without stage 2");
	EXPECT_EQ(KVM_EXIT_MMIO, vm.run->exit_reason);
	EXPECT_EQ(target, vm.run->mmio.phys_addr);
	vm_destroy(&vm);
	EXPECT_TRUE(page_intact());
	EXPECT_TRUE(el2_part_answers());
}

/*
 * The host makes its memcache one page whose head is 8 bytes into the
 * module pair's first page, then donates pages to a protected VM where
 * they need new page tables. EL2 takes no page from that memcache: the
 * donation that would fails with -ENOMEM, the pair's page stays the
 * host's and mapped in the host, and EL2 lives on. (Before, EL2 took the
 * page into the VM's memcache as the block from the head on, to be zeroed
 * and used as a page table 8 bytes into the next page.)
 */
TEST_F(hostile, memcache_head_page_aligned)
{
	/* 512 GiB up, then 1 GiB apart: each needs page tables of its own. */
	const unsigned long far = 1UL << (39 - 12), apart = 1UL << (30 - 12);
	unsigned long h, i;
	long ret = 0;
	struct vm vm;

	run_only_pvm(_metadata, &vm, &h);
	ASSERT_EQ(0, poke_vcpu(&vm, "memcache", "1"));
	/* EL2's own memcache may be full for the first; not once it maps. */
	for (i = 0; i < 4 && !ret; i++)
		ret = hcall_x1("pkvm_host_donate_guest spare:%lu %lu %lu 0", i,
			       far + i * apart, h);
	EXPECT_EQ(-ENOMEM, ret)
		TH_LOG("donation %lu of 4", i);
	ASSERT_EQ(0, poke_vcpu(&vm, "memcache", "0"));
	EXPECT_EQ(0, hcall_x1("pkvm_host_owns_page pair"));
	EXPECT_TRUE(module_page_intact("pair_probe"));
	EXPECT_TRUE(el2_part_answers());

	vm_destroy(&vm);
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/*
 * Before a normal vCPU with SVE first runs, the host sets its vector
 * length to 17 bytes, not a whole number of quadwords. EL2 refuses to
 * make the vCPU, so KVM_RUN fails, and EL2 lives on. (Before, EL2 sized
 * the SVE buffer with a macro that WARNs on such a length, and a WARN at
 * EL2 is a hyp panic.)
 */
TEST_F(hostile, sve_max_vl_checked)
{
	struct vm vm;

	if (!sve_vm_create(_metadata, &vm))
		SKIP(return, "no SVE for guests");
	ASSERT_EQ(0, poke_vcpu(&vm, "sve_max_vl", "17"));
	EXPECT_EQ(-1, ioctl(vm.vcpu, KVM_RUN, 0));
	ASSERT_EQ(0, poke_vcpu(&vm, "sve_max_vl", "0"));
	vm_destroy(&vm);
	EXPECT_TRUE(el2_part_answers());
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
}

/*
 * A host that gives EL2 a normal VM with 65536 vCPUs, all on one struct
 * kvm_vcpu, has EL2 pin that structure's pages once for each. EL2 pins a
 * page at most USHRT_MAX times and refuses the next vCPU with -EBUSY;
 * the VM is then torn down and gives every page back. (Before, the
 * 65536th pin hit the BUG_ON() in hyp_page_ref_inc(): a hyp panic.)
 */
TEST_F_TIMEOUT(hostile, pin_count_bounded, 900)
{
	long vcpus = 0, err = 0, teardown = -1;
	FILE *f;

	f = fopen(HOSTILE_DIR "pin_flood", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(3, fscanf(f, "vcpus %ld error %ld teardown %ld", &vcpus,
			    &err, &teardown));
	fclose(f);
	EXPECT_EQ(USHRT_MAX, vcpus);
	EXPECT_EQ(-EBUSY, err);
	EXPECT_EQ(0, teardown);
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
	EXPECT_EQ(0, pvm_sysfs_long("el2_vm_pages"));
	EXPECT_TRUE(el2_part_answers());
}

/*
 * Random host calls on every CPU, PVM_HOST_FUZZ of them (100000 by
 * default): random function IDs, and arguments that mix garbage, small
 * numbers, a live protected VM's handle and the pages of the module's own
 * pool. EL2 must survive all of them, the VM must still die cleanly, and a
 * new protected VM must still run and give everything back.
 */
TEST_F_TIMEOUT(hostile, fuzz, 3600)
{
	const char *env = getenv("PVM_HOST_FUZZ");
	unsigned long calls = env ? strtoul(env, NULL, 0) : 100000;
	unsigned long h, done = 0, accepted = 0;
	char line[96] = "";
	struct vm vm;
	FILE *f;

	run_only_pvm(_metadata, &vm, &h);

	snprintf(line, sizeof(line), "%lu %u %lu", calls, 0x9e3779b9U, h);
	ASSERT_EQ(0, hostile_write("fuzz", line));
	f = fopen(HOSTILE_DIR "fuzz", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(2, fscanf(f, "calls %lu accepted %lu", &done, &accepted));
	fclose(f);
	EXPECT_LE(calls, done);
	TH_LOG("%lu host calls, %lu taken by EL2 (SMCCC success)", done,
	       accepted);
	vm_destroy(&vm);

	ASSERT_EQ(0, vm_run_writer(&vm, true, DATA_PAGES, SECRET))
		TH_LOG("after the fuzz: vm_run_writer failed at %s",
		       vm_failed_step);
	vm_destroy(&vm);
	EXPECT_EQ(0, pvm_sysfs_long("el2_vms"));
	EXPECT_EQ(0, pvm_sysfs_long("el2_vm_pages"));
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/*
 * In a boot where pvm.ko's EL2 part was refused (pvmkit.el2mod=unpinned),
 * no guest-ABI provider exists at EL2: a host that goes around KVM to ask
 * EL2 for a protected VM gets -EPERM, so no protected guest can run with
 * its pKVM calls answered by the host.
 */
TEST(no_guest_abi_provider)
{
	char cmdline[4096] = "", buf[32] = "";
	int fd, n;

	fd = open("/proc/cmdline", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, cmdline, sizeof(cmdline) - 1);
	close(fd);
	ASSERT_LT(0, n);
	if (!strstr(cmdline, "pvmkit.el2mod=unpinned"))
		SKIP(return, "needs a boot whose pvm.ko pin is missing or wrong");
	ASSERT_FALSE(pvm_loaded());
	ASSERT_TRUE(hostile_load());

	fd = open(HOSTILE_DIR "fake_pvm", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	EXPECT_EQ(-EPERM, strtol(buf, NULL, 10));
}

TEST_HARNESS_MAIN
