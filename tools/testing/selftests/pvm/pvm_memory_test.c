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

#define GUEST_BASE	0x80000000UL
#define MMIO_EXIT	0x10000000UL
#define DATA_PAGES	8
#define SLOT_PAGES	(DATA_PAGES + 1)
#define SECRET		0x5ec7e75ec7e75ec7ULL
#define PVM_SYSFS	"/sys/kernel/pvm/"

#define ARM64_CORE_REG(x) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
			   KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))

/* x0 = data, x1 = words, x2 = secret, x3 = MMIO exit address */
static const uint32_t guest_code[] = {
	0xf8008402,	/* 1: str  x2, [x0], #8 */
	0xf1000421,	/*    subs x1, x1, #1 */
	0x54ffffc1,	/*    b.ne 1b */
	0xf9000061,	/*    str  x1, [x3] */
	0x14000000,	/*    b    . */
};

struct vm {
	int kvm, fd, vcpu, memfd;
	uint8_t *mem;		/* the VMM's mapping of the memslot */
	size_t size;
	struct kvm_run *run;
	int run_size;
};

static long sysfs_long(const char *name)
{
	char path[128], buf[32] = "";
	int fd, n;

	snprintf(path, sizeof(path), PVM_SYSFS "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/* MemAvailable from /proc/meminfo, in KiB. */
static long mem_available_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1)
			break;
	}
	fclose(f);
	return kib;
}

static bool pvm_loaded(void)
{
	return access(PVM_SYSFS "pvms_alive", R_OK) == 0;
}

static int vm_create(struct vm *vm, bool protected)
{
	unsigned long type = KVM_VM_TYPE_ARM_IPA_SIZE(40);

	memset(vm, 0, sizeof(*vm));
	vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm < 0)
		return -1;
	if (protected)
		type |= KVM_VM_TYPE_ARM_PROTECTED;
	vm->fd = ioctl(vm->kvm, KVM_CREATE_VM, type);
	return vm->fd < 0 ? -1 : 0;
}

static int vm_add_memory(struct vm *vm, void *mem, uint32_t flags)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0,
		.flags = flags,
		.guest_phys_addr = GUEST_BASE,
		.memory_size = SLOT_PAGES * getpagesize(),
		.userspace_addr = (uintptr_t)mem,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);
}

static int memfd_mapping(struct vm *vm)
{
	vm->size = SLOT_PAGES * getpagesize();
	vm->memfd = memfd_create("pvm-test", MFD_CLOEXEC);
	if (vm->memfd < 0 || ftruncate(vm->memfd, vm->size))
		return -1;
	vm->mem = mmap(NULL, vm->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->memfd, 0);
	return vm->mem == MAP_FAILED ? -1 : 0;
}

static int vcpu_set(struct vm *vm, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(vm->vcpu, KVM_SET_ONE_REG, &reg);
}

static int vcpu_create(struct vm *vm)
{
	struct kvm_vcpu_init init;

	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0 || ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init) ||
	    ioctl(vm->vcpu, KVM_ARM_VCPU_INIT, &init))
		return -1;
	vm->run_size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu, 0);
	if (vm->run == MAP_FAILED)
		return -1;
	return vcpu_set(vm, ARM64_CORE_REG(regs.pc), GUEST_BASE) ||
	       vcpu_set(vm, ARM64_CORE_REG(regs.regs[0]),
			GUEST_BASE + getpagesize()) ||
	       vcpu_set(vm, ARM64_CORE_REG(regs.regs[1]),
			DATA_PAGES * getpagesize() / 8) ||
	       vcpu_set(vm, ARM64_CORE_REG(regs.regs[2]), SECRET) ||
	       vcpu_set(vm, ARM64_CORE_REG(regs.regs[3]), MMIO_EXIT);
}

/* The step vm_run_secret_writer() failed at, for the test's log. */
static const char *failed_step = "none";

#define STEP(what, expr) ({ int __r = (expr); if (__r) failed_step = (what); __r; })

/* A VM whose guest has written the secret over its data pages. */
static int vm_run_secret_writer(struct vm *vm, bool protected)
{
	if (STEP("KVM_CREATE_VM", vm_create(vm, protected)) ||
	    STEP("memfd", memfd_mapping(vm)))
		return -1;
	memcpy(vm->mem, guest_code, sizeof(guest_code));
	if (STEP("KVM_SET_USER_MEMORY_REGION", vm_add_memory(vm, vm->mem, 0)) ||
	    STEP("vCPU setup", vcpu_create(vm)) ||
	    STEP("KVM_RUN", ioctl(vm->vcpu, KVM_RUN, 0)))
		return -1;
	if (vm->run->exit_reason != KVM_EXIT_MMIO ||
	    vm->run->mmio.phys_addr != MMIO_EXIT || !vm->run->mmio.is_write) {
		failed_step = "exit reason";
		return -1;
	}
	return 0;
}

static void vm_destroy(struct vm *vm)
{
	if (vm->run && vm->run != MAP_FAILED)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu > 0)
		close(vm->vcpu);
	if (vm->fd > 0)
		close(vm->fd);
	if (vm->kvm > 0)
		close(vm->kvm);
	vm->run = NULL;
	vm->vcpu = -1;
	vm->fd = -1;
	vm->kvm = -1;
}

static uint8_t *data_page(struct vm *vm, int i)
{
	return vm->mem + (size_t)(i + 1) * getpagesize();
}

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
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, vm_run_secret_writer(&self->vm, true))
		TH_LOG("protected VM: %s: %s", failed_step, strerror(errno));
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
		EXPECT_EQ(0, try_load((uint64_t *)data_page(&self->vm, i), &v))
			TH_LOG("page %d read 0x%llx", i, (unsigned long long)v);
}

/* Syscalls handed a donated buffer fail with EFAULT; nothing leaks out. */
TEST_F(pvm, syscalls_get_efault)
{
	uint8_t *buf = data_page(&self->vm, 0);
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

	ASSERT_EQ(0, vm_create(&other, false));
	other.memfd = -1;
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
	long scrubbed = sysfs_long("pages_scrubbed");
	size_t i, dirty = 0, first = 0;

	EXPECT_LE(DATA_PAGES + 1, sysfs_long("pages_donated"));
	vm_destroy(&self->vm);
	EXPECT_EQ(0, sysfs_long("pages_donated"));
	EXPECT_EQ(0, sysfs_long("pvms_alive"));
	EXPECT_LE(scrubbed + DATA_PAGES + 1, sysfs_long("pages_scrubbed"));
	for (i = 0; i < self->vm.size; i++) {
		if (self->vm.mem[i] && !dirty++)
			first = i;
	}
	EXPECT_EQ(0, dirty) TH_LOG("%zu non-zero bytes, first at offset 0x%zx",
				   dirty, first);
	EXPECT_FALSE(page_holds_secret(data_page(&self->vm, 0)));
}

/* A non-protected VM's memory stays the host's: the secret is readable. */
TEST(nvm_memory_stays_readable)
{
	struct vm vm;

	ASSERT_EQ(0, vm_run_secret_writer(&vm, false));
	EXPECT_TRUE(page_holds_secret(data_page(&vm, 0)));
	EXPECT_TRUE(page_holds_secret(data_page(&vm, DATA_PAGES - 1)));
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
	ASSERT_EQ(0, vm_create(&vm, true));
	anon = mmap(NULL, SLOT_PAGES * getpagesize(), PROT_READ | PROT_WRITE,
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
	ASSERT_EQ(0, ftruncate(fd, SLOT_PAGES * getpagesize()));
	file = mmap(NULL, SLOT_PAGES * getpagesize(), PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, file);
	EXPECT_EQ(-1, vm_add_memory(&vm, file, 0));
	EXPECT_EQ(EINVAL, errno);
	munmap(file, SLOT_PAGES * getpagesize());
	close(fd);
	umount(dir);

	/* The good one still works after all that. */
	EXPECT_EQ(0, vm_add_memory(&vm, anon, 0));
	vm_destroy(&vm);
	munmap(anon, SLOT_PAGES * getpagesize());
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
		if (!vm_run_secret_writer(&vm, true))
			_exit(3);
		_exit(errno == ENOMEM ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, sysfs_long("pages_donated"));
}

/*
 * Many protected VMs created, run and destroyed, every 25th by SIGKILL of
 * its VMM mid-run: nothing stays donated, no VM stays alive.
 */
TEST(create_destroy_cycles)
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

			if (vm_run_secret_writer(&vm, true))
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
	EXPECT_EQ(0, sysfs_long("pages_donated"));
	EXPECT_EQ(0, sysfs_long("pvms_alive"));
	/* Each cycle donates 9 pages: a leak of them all would be 36 MiB. */
	after = mem_available_kib();
	EXPECT_GT(16 * 1024, before - after)
		TH_LOG("MemAvailable %ld KiB before, %ld KiB after %d cycles",
		       before, after, cycles);
}

TEST_HARNESS_MAIN
