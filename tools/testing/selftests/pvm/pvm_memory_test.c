// SPDX-License-Identifier: GPL-2.0
/*
 * Protected VM memory: a pVM's pages are donated to it, and the host cannot
 * read them back, by any path we try, until EL2 has zeroed them.
 *
 * The guest is five instructions: it stores a secret pattern over N pages
 * and exits with an MMIO write. Its registers are set before the first run,
 * which is the only time a VMM may set them.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
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

#include "../kselftest_harness.h"
#include "pvm_util.h"

#define DATA_PAGES	8
#define SECRET		0x5ec7e75ec7e75ec7ULL

static sigjmp_buf fault_jmp;

static void on_sigsegv(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

/* Load one word at @p: 0 if it faulted with SIGSEGV, 1 if it read @out. */
static int try_load(const uint64_t *p, uint64_t *out)
{
	struct sigaction sa = { .sa_handler = on_sigsegv }, old;
	int loaded = 0;

	sigaction(SIGSEGV, &sa, &old);
	if (!sigsetjmp(fault_jmp, 1)) {
		*out = __atomic_load_n(p, __ATOMIC_RELAXED);
		loaded = 1;
	}
	sigaction(SIGSEGV, &old, NULL);
	return loaded;
}

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

/* A second VM cannot map the donated pages. */
TEST_F(pvm, second_vm_cannot_map)
{
	struct vm other;

	ASSERT_EQ(0, vm_create(&other, false, DATA_PAGES));
	ASSERT_EQ(0, vm_add_memory(&other, self->vm.mem, 0));
	ASSERT_EQ(0, vcpu_create(&other, SECRET));
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
 * its VMM mid-run: nothing stays donated, no VM stays alive.
 */
TEST_F_TIMEOUT(cycles, create_destroy, 900)
{
	int cycles = getenv("PVM_CYCLES") ? atoi(getenv("PVM_CYCLES")) : 1000;
	long before = mem_available_kib(), after;
	int i, failures = 0;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	for (i = 0; i < cycles; i++) {
		int status;
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct vm vm;

			if (vm_run_writer(&vm, true, DATA_PAGES, SECRET))
				_exit(1);
			if (i % 25 == 0)
				raise(SIGKILL);
			vm_destroy(&vm);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		if (i % 25 == 0)
			failures += !(WIFSIGNALED(status) &&
				      WTERMSIG(status) == SIGKILL);
		else
			failures += !(WIFEXITED(status) &&
				      WEXITSTATUS(status) == 0);
	}
	EXPECT_EQ(0, failures);
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
	EXPECT_EQ(0, pvm_sysfs_long("pvms_alive"));
	/* Each cycle donates 9 pages: a leak of them all would be 36 MiB. */
	after = mem_available_kib();
	EXPECT_GT(16 * 1024, before - after)
		TH_LOG("MemAvailable %ld KiB before, %ld KiB after %d cycles",
		       before, after, cycles);
}

TEST_HARNESS_MAIN
