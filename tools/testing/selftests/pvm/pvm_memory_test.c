// SPDX-License-Identifier: GPL-2.0
/*
 * Protected VM memory: a pVM's pages are donated to it, and the host cannot
 * read them back, by any path we try, until EL2 has zeroed them.
 *
 * The guest is the writer guest (pvm_writer_guest.h): it stores a secret
 * pattern over N pages and exits with an MMIO write, the pattern in x2.
 * Only its PC and x0 are set, before the first run, which is all a VMM may
 * do.
 *
 * Each host access path has one documented outcome (memory.rst): SIGSEGV
 * for the VMM's own loads and stores, EFAULT for syscalls and GUP users,
 * EIO for /proc/pid/mem, EPERM for file I/O on the memfd and for vCPU
 * registers, no copy on fork() and nothing in a core dump.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/kvm.h>
#include <linux/loop.h>

#include "../kselftest_harness.h"
#include "pvm_relinquish_guest.h"
#include "pvm_util.h"

#define DATA_PAGES	8
#define SECRET		0x5ec7e75ec7e75ec7ULL

static bool page_holds_secret(const uint8_t *page)
{
	const uint64_t *w = (const uint64_t *)page;

	return w[0] == SECRET && w[getpagesize() / 8 - 1] == SECRET;
}

FIXTURE(pvm) {
	struct vm vm;
};

FIXTURE_SETUP(pvm)
{
	self->vm.kvm = -1;
	self->vm.fd = -1;
	self->vm.vcpu = -1;
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, vm_run_writer(&self->vm, true, DATA_PAGES, SECRET))
		TH_LOG("protected VM: %s: %s", vm_failed_step, strerror(errno));
}

FIXTURE_TEARDOWN(pvm)
{
	vm_destroy(&self->vm);
}

/* The VMM's own loads and stores to donated pages fault (SIGSEGV). */
TEST_F(pvm, host_load_faults)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < DATA_PAGES; i++)
		EXPECT_EQ(0, try_load((uint64_t *)vm_data_page(&self->vm, i), &v))
			TH_LOG("page %d read 0x%llx", i, (unsigned long long)v);
}

/* Syscalls handed a donated buffer fail with EFAULT; nothing leaks out. */
TEST_F(pvm, syscalls_get_efault)
{
	uint8_t *buf = vm_data_page(&self->vm, 0);
	char tmp[] = "/tmp/pvm-test.XXXXXX";
	int p[2], fd;

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, write(p[1], buf, 64));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(8, write(p[1], "12345678", 8));
	EXPECT_EQ(-1, read(p[0], buf, 8));
	EXPECT_EQ(EFAULT, errno);
	close(p[0]);
	close(p[1]);

	fd = mkstemp(tmp);
	ASSERT_LE(0, fd);
	unlink(tmp);
	EXPECT_EQ(-1, pwrite(fd, buf, 64, 0));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(8, pwrite(fd, "12345678", 8, 0));
	EXPECT_EQ(-1, pread(fd, buf, 16, 0));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

/* The same loads through a second mapping of the memfd fault too. */
TEST_F(pvm, second_mapping_faults)
{
	uint8_t *alias;
	uint64_t v = 0;

	alias = mmap(NULL, self->vm.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		     self->vm.memfd, 0);
	ASSERT_NE(MAP_FAILED, alias);
	EXPECT_EQ(0, try_load((uint64_t *)(alias + getpagesize()), &v))
		TH_LOG("read 0x%llx", (unsigned long long)v);
	munmap(alias, self->vm.size);
}

/* /proc/pid/mem reads and writes of donated pages fail with EIO. */
TEST_F(pvm, proc_pid_mem_eio)
{
	off_t at = (off_t)(uintptr_t)vm_data_page(&self->vm, 0);
	uint8_t buf[64];
	int fd;

	fd = open("/proc/self/mem", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), at));
	EXPECT_EQ(EIO, errno);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(-1, pwrite(fd, buf, sizeof(buf), at));
	EXPECT_EQ(EIO, errno);
	close(fd);
}

/* process_vm_readv() and process_vm_writev() fail with EFAULT. */
TEST_F(pvm, process_vm_rw_efault)
{
	uint8_t buf[64] = { 0 };
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { vm_data_page(&self->vm, 0), sizeof(buf) };

	EXPECT_EQ(-1, process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, process_vm_writev(getpid(), &local, 1, &remote, 1, 0));
	EXPECT_EQ(EFAULT, errno);
}

/* vmsplice() cannot take donated pages into a pipe, by either mapping. */
TEST_F(pvm, vmsplice_efault)
{
	struct iovec iov = { vm_data_page(&self->vm, 0), getpagesize() };
	uint8_t *alias;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, vmsplice(p[1], &iov, 1, 0));
	EXPECT_EQ(EFAULT, errno);
	alias = mmap(NULL, self->vm.size, PROT_READ, MAP_SHARED,
		     self->vm.memfd, 0);
	ASSERT_NE(MAP_FAILED, alias);
	iov.iov_base = alias + getpagesize();
	EXPECT_EQ(-1, vmsplice(p[1], &iov, 1, 0));
	EXPECT_EQ(EFAULT, errno);
	munmap(alias, self->vm.size);
	close(p[0]);
	close(p[1]);
}

/* The memfd behind a protected VM refuses read, write and splice: EPERM. */
TEST_F(pvm, memfd_io_eperm)
{
	off_t at = getpagesize();
	loff_t off = at;
	uint8_t buf[64] = { 0 };
	int p[2];

	EXPECT_EQ(-1, pread(self->vm.memfd, buf, sizeof(buf), at));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, pwrite(self->vm.memfd, buf, sizeof(buf), at));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, splice(self->vm.memfd, &off, p[1], NULL, sizeof(buf), 0));
	EXPECT_EQ(EPERM, errno);
	close(p[0]);
	close(p[1]);
}

/* A loop device for O_DIRECT: its index, or -1. */
static int loop_attach(int backing)
{
	char path[32];
	int ctl, nr, fd;

	ctl = open("/dev/loop-control", O_RDWR);
	if (ctl < 0)
		return -1;
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (nr < 0)
		return -1;
	snprintf(path, sizeof(path), "/dev/loop%d", nr);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -1;
	if (ioctl(fd, LOOP_SET_FD, backing)) {
		close(fd);
		return -1;
	}
	close(fd);
	return nr;
}

static void loop_detach(int nr)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/dev/loop%d", nr);
	fd = open(path, O_RDWR);
	if (fd >= 0) {
		ioctl(fd, LOOP_CLR_FD);
		close(fd);
	}
}

/* O_DIRECT to and from a block device with a donated buffer: EFAULT. */
TEST_F(pvm, o_direct_efault)
{
	char tmp[] = "/tmp/pvm-loop.XXXXXX", path[32];
	uint8_t *buf = vm_data_page(&self->vm, 0);
	int backing, nr, fd;

	backing = mkstemp(tmp);
	ASSERT_LE(0, backing);
	unlink(tmp);
	ASSERT_EQ(0, ftruncate(backing, 1 << 20));
	nr = loop_attach(backing);
	close(backing);
	if (nr < 0)
		SKIP(return, "no loop device: %s", strerror(errno));
	snprintf(path, sizeof(path), "/dev/loop%d", nr);
	fd = open(path, O_RDWR | O_DIRECT);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, pwrite(fd, buf, getpagesize(), 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, pread(fd, buf, getpagesize(), 0));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
	loop_detach(nr);
}

/* A child gets no copy of the donated pages; the parent cannot undo it. */
TEST_F(pvm, fork_does_not_copy)
{
	uint64_t *p = (uint64_t *)vm_data_page(&self->vm, 0);
	int status;
	pid_t pid;

	EXPECT_EQ(-1, madvise(self->vm.mem, self->vm.size, MADV_DOFORK));
	EXPECT_EQ(EINVAL, errno);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Not mapped in the child: SIGSEGV, whatever is there. */
		_exit(__atomic_load_n(p, __ATOMIC_RELAXED) == SECRET ? 3 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		TH_LOG("child status 0x%x", status);
}

/* The vCPU's registers, which hold the secret, cannot be read or set. */
TEST_F(pvm, one_reg_eperm)
{
	uint64_t ids[] = {
		ARM64_CORE_REG(regs.regs[2]), ARM64_CORE_REG(regs.pc),
		ARM64_CORE_REG(regs.regs[0]),
	};
	uint64_t val = 0;
	struct kvm_one_reg reg = { .addr = (uintptr_t)&val };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		reg.id = ids[i];
		EXPECT_EQ(-1, ioctl(self->vm.vcpu, KVM_GET_ONE_REG, &reg));
		EXPECT_EQ(EPERM, errno);
		EXPECT_NE(SECRET, val);
		EXPECT_EQ(-1, ioctl(self->vm.vcpu, KVM_SET_ONE_REG, &reg));
		EXPECT_EQ(EPERM, errno);
	}
}

/* Before the first run, only PC and x0 may be set; reads are allowed. */
TEST(one_reg_before_first_run)
{
	struct vm vm;
	uint64_t val = 0;
	struct kvm_one_reg reg = { .addr = (uintptr_t)&val };

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, vm_prepare_writer(&vm, true, DATA_PAGES, SECRET));
	reg.id = ARM64_CORE_REG(regs.regs[0]);
	EXPECT_EQ(0, ioctl(vm.vcpu, KVM_GET_ONE_REG, &reg));
	EXPECT_EQ(GUEST_BASE + GUEST_PARAMS, val);
	EXPECT_EQ(0, ioctl(vm.vcpu, KVM_SET_ONE_REG, &reg));
	reg.id = ARM64_CORE_REG(regs.regs[1]);
	EXPECT_EQ(-1, ioctl(vm.vcpu, KVM_SET_ONE_REG, &reg));
	EXPECT_EQ(EPERM, errno);
	reg.id = ARM64_CORE_REG(sp_el1);
	EXPECT_EQ(-1, ioctl(vm.vcpu, KVM_SET_ONE_REG, &reg));
	EXPECT_EQ(EPERM, errno);
	/* The VM still runs as set up. */
	EXPECT_EQ(0, vm_run_to_exit(&vm));
	vm_destroy(&vm);
}

/* Does @len bytes at @buf hold 64 bytes of @pattern in a row? */
static bool holds_pattern_run(const uint8_t *buf, size_t len, uint64_t pattern)
{
	uint64_t run[8];
	size_t i;

	for (i = 0; i < 8; i++)
		run[i] = pattern;
	return memmem(buf, len, run, sizeof(run));
}

static void dump_core_with_pvm(void)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	struct vm vm;

	if (setrlimit(RLIMIT_CORE, &unlimited) ||
	    vm_run_writer(&vm, true, DATA_PAGES, SECRET))
		_exit(2);
	abort();
}

/* A VMM's core dump leaves out the donated pages, and the host lives. */
TEST(core_dump_leaves_out_pvm)
{
	const char *pattern_file = "/proc/sys/kernel/core_pattern";
	char old[256] = "", core[64];
	struct stat st;
	uint8_t *buf;
	int fd, status;
	ssize_t n;
	pid_t pid;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	fd = open(pattern_file, O_RDWR);
	ASSERT_LE(0, fd);
	n = read(fd, old, sizeof(old) - 1);
	ASSERT_LT(0, n);
	ASSERT_LT(0, pwrite(fd, "/tmp/pvm-core.%p", 16, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		dump_core_with_pvm();
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_LT(0, pwrite(fd, old, n, 0));
	close(fd);
	ASSERT_TRUE(WIFSIGNALED(status) && WCOREDUMP(status))
		TH_LOG("VMM status 0x%x", status);

	snprintf(core, sizeof(core), "/tmp/pvm-core.%d", pid);
	fd = open(core, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &st));
	buf = malloc(st.st_size);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(st.st_size, read(fd, buf, st.st_size));
	close(fd);
	unlink(core);
	EXPECT_FALSE(holds_pattern_run(buf, st.st_size, SECRET))
		TH_LOG("the %ld-byte core holds the guest's pattern",
		       (long)st.st_size);
	free(buf);
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/* A second VM cannot map the donated pages. */
TEST_F(pvm, second_vm_cannot_map)
{
	struct vm other;

	ASSERT_EQ(0, vm_create(&other, false, DATA_PAGES));
	ASSERT_EQ(0, vm_add_memory(&other, self->vm.mem, 0));
	ASSERT_EQ(0, vcpu_create(&other));
	/* Its guest would store to the same pages: the run must fail. */
	EXPECT_NE(0, ioctl(other.vcpu, KVM_RUN, 0));
	vm_destroy(&other);
}

/* Memslots of a protected VM are frozen once it has run. */
TEST_F(pvm, memslot_frozen_after_run)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0, .guest_phys_addr = GUEST_BASE, .memory_size = 0,
	};

	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_SET_USER_MEMORY_REGION, &r));
	EXPECT_EQ(EPERM, errno);
}

/* After teardown the host gets the pages back zeroed, and counters drop. */
TEST_F(pvm, teardown_scrubs)
{
	long scrubbed = pvm_sysfs_long("pages_scrubbed");
	size_t i, dirty = 0, first = 0;

	EXPECT_LE(DATA_PAGES + 1, pvm_sysfs_long("pages_donated"));
	vm_destroy(&self->vm);
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
	EXPECT_EQ(0, pvm_sysfs_long("pvms_alive"));
	EXPECT_LE(scrubbed + DATA_PAGES + 1, pvm_sysfs_long("pages_scrubbed"));
	for (i = 0; i < self->vm.size; i++) {
		if (self->vm.mem[i] && !dirty++)
			first = i;
	}
	EXPECT_EQ((size_t)0, dirty)
		TH_LOG("%zu non-zero bytes, first at offset 0x%zx", dirty,
		       first);
	EXPECT_FALSE(page_holds_secret(vm_data_page(&self->vm, 0)));
}

/* A non-protected VM's memory stays the host's: the secret is readable. */
TEST(nvm_memory_stays_readable)
{
	struct vm vm;

	ASSERT_EQ(0, vm_run_writer(&vm, false, DATA_PAGES, SECRET));
	EXPECT_TRUE(page_holds_secret(vm_data_page(&vm, 0)));
	EXPECT_TRUE(page_holds_secret(vm_data_page(&vm, DATA_PAGES - 1)));
	vm_destroy(&vm);
}

/* The protected type and capability exist exactly when pvm.ko is loaded. */
TEST(protected_type_needs_pvm)
{
	int kvm = open("/dev/kvm", O_RDWR);
	bool loaded = pvm_loaded();
	int fd, cap, err;

	ASSERT_LE(0, kvm);
	cap = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PROTECTED_VM);
	fd = ioctl(kvm, KVM_CREATE_VM,
		   KVM_VM_TYPE_ARM_PROTECTED | KVM_VM_TYPE_ARM_IPA_SIZE(40));
	err = errno;
	if (loaded) {
		EXPECT_LT(0, cap);
		EXPECT_LE(0, fd);
	} else {
		EXPECT_EQ(0, cap);
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EINVAL, err);
	}
	if (fd >= 0)
		close(fd);
	close(kvm);
}

/* Bad memslots for a protected VM: each refused with EINVAL. */
TEST(bad_memslots_refused)
{
	const char *dir = "/tmp/pvm-ramfs";
	struct vm vm;
	void *anon, *file;
	int fd;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, vm_create(&vm, true, DATA_PAGES));
	anon = mmap(NULL, vm.size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, anon);
	EXPECT_EQ(-1, vm_add_memory(&vm, anon, KVM_MEM_READONLY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, vm_add_memory(&vm, anon, KVM_MEM_LOG_DIRTY_PAGES));
	EXPECT_EQ(EINVAL, errno);

	/* A file that is neither shmem nor anonymous: one on ramfs. */
	mkdir(dir, 0700);
	ASSERT_EQ(0, mount("ramfs", dir, "ramfs", 0, NULL));
	fd = open("/tmp/pvm-ramfs/f", O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, vm.size));
	file = mmap(NULL, vm.size, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, file);
	EXPECT_EQ(-1, vm_add_memory(&vm, file, 0));
	EXPECT_EQ(EINVAL, errno);
	munmap(file, vm.size);
	close(fd);
	umount(dir);

	/* The good one still works after all that. */
	EXPECT_EQ(0, vm_add_memory(&vm, anon, 0));
	vm_destroy(&vm);
	munmap(anon, vm.size);
}

/* Without CAP_IPC_LOCK, donations are bounded by RLIMIT_MEMLOCK. */
TEST(memlock_limit_enforced)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	struct rlimit rl = { 2 * 4096, 2 * 4096 };
	int status;
	pid_t pid;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vm vm;

		syscall(SYS_capget, &hdr, data);
		data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &=
			~CAP_TO_MASK(CAP_IPC_LOCK);
		if (syscall(SYS_capset, &hdr, data) ||
		    setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(2);
		/* The guest touches 9 pages; only 2 may be pinned. */
		if (!vm_run_writer(&vm, true, DATA_PAGES, SECRET))
			_exit(3);
		_exit(errno == ENOMEM ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/*
 * What a VM's life costs, counted exactly: pages donated to protected
 * guests (pinned by pvm.ko), pages EL2 holds for VMs (VM and vCPU state,
 * stage-2 tables and their memcache), and the VMs EL2 and pvm.ko know of.
 */
struct vm_costs {
	long donated, alive, el2_pages, el2_vms;
};

static void read_costs(struct vm_costs *c)
{
	c->donated = pvm_sysfs_long("pages_donated");
	c->alive = pvm_sysfs_long("pvms_alive");
	c->el2_pages = pvm_sysfs_long("el2_vm_pages");
	c->el2_vms = pvm_sysfs_long("el2_vms");
}

/* A value of this process's /proc/self/status, in kB; -1 if absent. */
static long status_kib(const char *key)
{
	return proc_kib("/proc/self/status", key);
}

/* Free pages sitting in the per-CPU lists (/proc/zoneinfo "count:"). */
static long pcp_pages(void)
{
	char line[128];
	long n, sum = 0;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " count: %ld", &n) == 1)
			sum += n;
	}
	fclose(f);
	return sum;
}

/*
 * Free pages once clean caches are dropped, counting those the per-CPU
 * lists hold, which MemFree leaves out: those lists alone move by
 * thousands of pages from one sample to the next.
 */
static double settled_pages(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			perror("drop_caches");
		close(fd);
	}
	return mem_free_kib() * 1024.0 / getpagesize() + pcp_pages();
}

/* Least-squares slope of y over x. */
static double slope(const double *x, const double *y, int n)
{
	double mx = 0, my = 0, sxy = 0, sxx = 0;
	int i;

	for (i = 0; i < n; i++) {
		mx += x[i] / n;
		my += y[i] / n;
	}
	for (i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) * (x[i] - mx);
	}
	return sxx ? sxy / sxx : 0;
}

/*
 * One cycle in a child: a protected VM created, run and destroyed, or on
 * @kill its VMM SIGKILLed mid-run. The child checks its own pinned_vm
 * charge (VmPin): held while the VM lives, back to 0 after vm_destroy().
 * Returns 0 if the cycle went as planned.
 */
static int one_cycle(bool kill)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct vm vm;

		if (vm_run_writer(&vm, true, DATA_PAGES, SECRET))
			_exit(1);
		if (status_kib("VmPin") < DATA_PAGES * getpagesize() / 1024)
			_exit(2);
		if (kill)
			raise(SIGKILL);
		vm_destroy(&vm);
		_exit(status_kib("VmPin") == 0 ? 0 : 3);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (kill)
		return !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The counters see a live VM, and see all of it go. */
TEST(costs_counted)
{
	struct vm_costs before, during, after;
	struct vm vm;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	read_costs(&before);
	ASSERT_EQ(0, vm_run_writer(&vm, true, DATA_PAGES, SECRET));
	read_costs(&during);
	EXPECT_LE(DATA_PAGES, status_kib("VmPin") * 1024 / getpagesize());
	vm_destroy(&vm);
	read_costs(&after);
	EXPECT_LE(before.donated + DATA_PAGES, during.donated);
	EXPECT_EQ(before.alive + 1, during.alive);
	EXPECT_EQ(before.el2_vms + 1, during.el2_vms);
	/* At least the VM, its vCPU and its stage-2 PGD. */
	EXPECT_LE(before.el2_pages + 3, during.el2_pages);
	EXPECT_EQ(0, status_kib("VmPin"));
	EXPECT_EQ(before.donated, after.donated);
	EXPECT_EQ(before.alive, after.alive);
	EXPECT_EQ(before.el2_vms, after.el2_vms);
	EXPECT_EQ(before.el2_pages, after.el2_pages);
}

/* Rounds of relinquish and touch: each a chance for the race. */
#define RACE_ROUNDS	2000

struct toucher {
	int fd;
	struct kvm_run *run;
	int ret;		/* 0 once it wrote MMIO + RELINQUISH_STOPPED */
};

static void *toucher_run(void *arg)
{
	struct toucher *t = arg;

	t->ret = ioctl(t->fd, KVM_RUN, 0);
	if (!t->ret && (t->run->exit_reason != KVM_EXIT_MMIO ||
			t->run->mmio.phys_addr !=
			MMIO_EXIT + RELINQUISH_STOPPED))
		t->ret = -1;
	return NULL;
}

/*
 * A protected guest relinquishes a page while its other vCPU touches it
 * again, RACE_ROUNDS times: the host often donates the page anew before
 * it has seen the relinquish. Each donation is pinned and charged
 * (pinned_vm) once, so when the VM is gone every pin is dropped and no
 * charge is left. Before, each race left one pin and its charge behind
 * for good.
 */
TEST(relinquish_races_touch)
{
	const struct relinquish_params params = {
		.mmio = MMIO_EXIT,
		.page = GUEST_BASE + getpagesize(),
		.rounds = RACE_ROUNDS,
		.stop = GUEST_BASE + 2 * getpagesize(),
	};
	struct toucher t = { .ret = -1 };
	long donated;
	pthread_t thread;
	struct vm vm;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	donated = pvm_sysfs_long("pages_donated");
	ASSERT_EQ(0, vm_prepare_guest(&vm, true, 2, relinquish_guest,
				      relinquish_guest_end, &params,
				      sizeof(params)))
		TH_LOG("%s: %s", vm_failed_step, strerror(errno));
	t.fd = vcpu_create_off(&vm, 1, &t.run);
	ASSERT_LE(0, t.fd);
	ASSERT_EQ(0, pthread_create(&thread, NULL, toucher_run, &t));
	EXPECT_EQ(0, vm_run_to_exit(&vm))
		TH_LOG("vCPU 0: %s: %s", vm_failed_step, strerror(errno));
	pthread_join(thread, NULL);
	EXPECT_EQ(0, t.ret) TH_LOG("vCPU 1 did not stop as asked");
	EXPECT_LE(3, status_kib("VmPin") * 1024 / getpagesize());

	munmap(t.run, vm.run_size);
	close(t.fd);
	vm_destroy(&vm);
	EXPECT_EQ(0, status_kib("VmPin"));
	EXPECT_EQ(donated, pvm_sysfs_long("pages_donated"));
}

#define CYCLE_SAMPLES	20

/* Only for TEST_F_TIMEOUT: the cycles take minutes under emulation. */
FIXTURE(cycles) {
};

FIXTURE_SETUP(cycles)
{
}

FIXTURE_TEARDOWN(cycles)
{
}

/*
 * Many protected VMs created, run and destroyed, every 25th by SIGKILL of
 * its VMM mid-run. Every exact counter comes back to where it started,
 * and the free pages, sampled CYCLE_SAMPLES times with clean caches
 * dropped and the per-CPU lists counted, have a least-squares slope under 0.1 page per cycle.
 */
TEST_F_TIMEOUT(cycles, create_destroy, 900)
{
	int cycles = getenv("PVM_CYCLES") ? atoi(getenv("PVM_CYCLES")) : 1000;
	double x[CYCLE_SAMPLES + 1], y[CYCLE_SAMPLES + 1], per_cycle;
	struct vm_costs before, after;
	int i, n = 0, failures = 0;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_LE(CYCLE_SAMPLES, cycles);
	/* Warm up the allocators and caches a first VM fills. */
	ASSERT_EQ(0, one_cycle(false));
	read_costs(&before);
	for (i = 0; i < cycles; i++) {
		if (i % (cycles / CYCLE_SAMPLES) == 0 && n < CYCLE_SAMPLES) {
			x[n] = i;
			y[n++] = settled_pages();
		}
		failures += one_cycle(i % 25 == 0) != 0;
	}
	x[n] = cycles;
	y[n++] = settled_pages();
	read_costs(&after);
	EXPECT_EQ(0, failures);
	EXPECT_EQ(before.donated, after.donated);
	EXPECT_EQ(before.alive, after.alive);
	EXPECT_EQ(before.el2_pages, after.el2_pages);
	EXPECT_EQ(before.el2_vms, after.el2_vms);
	EXPECT_EQ(0, after.donated);
	EXPECT_EQ(0, after.el2_vms);
	EXPECT_EQ(0, after.el2_pages);
	per_cycle = -slope(x, y, n);
	TH_LOG("%d cycles: free %.0f -> %.0f pages, slope %.4f pages/cycle",
	       cycles, y[0], y[n - 1], per_cycle);
	TH_LOG("el2_vm_pages %ld -> %ld", before.el2_pages, after.el2_pages);
	EXPECT_GT(0.1, per_cycle);
}

TEST_HARNESS_MAIN
