// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal arm64 VM for the pvm tests and benchmarks (see pvm_util.h).
 * The vCPU's registers are set before the first run, the only time a VMM
 * may set them for a protected VM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "pvm_util.h"
#include "pvm_writer_guest.h"

const char *vm_failed_step = "none";

int vm_create(struct vm *vm, bool protected, unsigned int data_pages)
{
	unsigned long type = KVM_VM_TYPE_ARM_IPA_SIZE(40);

	memset(vm, 0, sizeof(*vm));
	vm->kvm = -1;
	vm->fd = -1;
	vm->vcpu = -1;
	vm->data_pages = data_pages;
	vm->size = (size_t)(data_pages + 1) * getpagesize();
	vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm < 0)
		return -1;
	if (protected)
		type |= KVM_VM_TYPE_ARM_PROTECTED;
	vm->fd = ioctl(vm->kvm, KVM_CREATE_VM, type);
	return vm->fd < 0 ? -1 : 0;
}

int vm_map_memfd(struct vm *vm)
{
	vm->memfd = memfd_create("pvm-test", MFD_CLOEXEC);
	if (vm->memfd < 0 || ftruncate(vm->memfd, vm->size))
		return -1;
	vm->mem = mmap(NULL, vm->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->memfd, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		return -1;
	}
	return 0;
}

/* @mem as the VM's memory, from IPA @ipa on. */
int vm_add_memory_at(struct vm *vm, void *mem, uint64_t ipa, uint32_t flags)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0,
		.flags = flags,
		.guest_phys_addr = ipa,
		.memory_size = vm->size,
		.userspace_addr = (uintptr_t)mem,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);
}

int vm_add_memory(struct vm *vm, void *mem, uint32_t flags)
{
	return vm_add_memory_at(vm, mem, GUEST_BASE, flags);
}

static int vcpu_set(struct vm *vm, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(vm->vcpu, KVM_SET_ONE_REG, &reg);
}

/* Before the first run: where vCPU 0 starts, and its x0. */
int vcpu_set_entry(struct vm *vm, uint64_t pc, uint64_t x0)
{
	return vcpu_set(vm, ARM64_CORE_REG(regs.pc), pc) ||
	       vcpu_set(vm, ARM64_CORE_REG(regs.regs[0]), x0);
}

int vcpu_create(struct vm *vm)
{
	return vcpu_create_with(vm, 0);
}

/*
 * vCPU 0 of @vm with the KVM_ARM_VCPU_* @features on top of PSCI 0.2; SVE
 * among them is finalized with its default vector lengths.
 */
int vcpu_create_with(struct vm *vm, uint32_t features)
{
	int sve = KVM_ARM_VCPU_SVE;
	struct kvm_vcpu_init init;

	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0 || ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init))
		return -1;
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2 | features;
	if (ioctl(vm->vcpu, KVM_ARM_VCPU_INIT, &init))
		return -1;
	if ((features & 1U << KVM_ARM_VCPU_SVE) &&
	    ioctl(vm->vcpu, KVM_ARM_VCPU_FINALIZE, &sve))
		return -1;
	vm->run_size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return -1;
	}
	return vcpu_set_entry(vm, GUEST_BASE, GUEST_BASE + GUEST_PARAMS);
}

/*
 * vCPU @id of @vm, off until the guest turns it on with PSCI CPU_ON; its
 * kvm_run mapped at *@run (vm->run_size bytes). Returns its fd, or -1.
 */
int vcpu_create_off(struct vm *vm, unsigned int id, struct kvm_run **run)
{
	struct kvm_vcpu_init init;
	int fd;

	fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (fd < 0)
		return -1;
	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init))
		goto fail;
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2 |
			    1U << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(fd, KVM_ARM_VCPU_INIT, &init))
		goto fail;
	*run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (*run != MAP_FAILED)
		return fd;
fail:
	close(fd);
	return -1;
}

static int step(const char *what, int ret)
{
	if (ret)
		vm_failed_step = what;
	return ret;
}

/*
 * A VM whose guest @code, up to @code_end, runs with x0 = its parameters
 * @params, @len bytes at GUEST_PARAMS in the code page, below the stacks.
 */
int vm_prepare_guest(struct vm *vm, bool protected, unsigned int data_pages,
		     const uint32_t *code, const uint32_t *code_end,
		     const void *params, size_t len)
{
	return vm_load_guest(vm, protected, data_pages, code, code_end, params,
			     len) ||
	       step("vCPU setup", vcpu_create(vm));
}

/* vm_prepare_guest() without its vCPU, for the caller to make. */
int vm_load_guest(struct vm *vm, bool protected, unsigned int data_pages,
		  const uint32_t *code, const uint32_t *code_end,
		  const void *params, size_t len)
{
	size_t code_len = (code_end - code) * sizeof(*code);

	if (step("KVM_CREATE_VM", vm_create(vm, protected, data_pages)) ||
	    step("memfd", vm_map_memfd(vm)))
		return -1;
	if (code_len > GUEST_PARAMS || GUEST_PARAMS + len > GUEST_STACKS) {
		vm_failed_step = "guest size";
		return -1;
	}
	memcpy(vm->mem, code, code_len);
	memcpy(vm->mem + GUEST_PARAMS, params, len);
	if (step("KVM_SET_USER_MEMORY_REGION", vm_add_memory(vm, vm->mem, 0)))
		return -1;
	/* A protected guest gets its code page measured, the rest zeroed. */
	return protected ? step("image region",
				vm_add_image(vm, GUEST_BASE, getpagesize())) :
			   0;
}

/* KVM_CAP_ARM_PROTECTED_VM with @flags and two arguments. */
static int pvm_cap(struct vm *vm, uint64_t flags, uint64_t arg0,
		   uint64_t arg1)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_ARM_PROTECTED_VM,
		.flags = flags,
		.args = { arg0, arg1 },
	};

	return ioctl(vm->fd, KVM_ENABLE_CAP, &cap);
}

/* Name [@ipa, @ipa + @size) part of a protected VM's measured image. */
int vm_add_image(struct vm *vm, uint64_t ipa, uint64_t size)
{
	return pvm_cap(vm, KVM_CAP_ARM_PROTECTED_VM_FLAGS_IMAGE_REGION, ipa,
		       size);
}

/* Where EL2 writes a protected VM's DICE handover at its first run. */
int vm_set_dice(struct vm *vm, uint64_t ipa, uint64_t size)
{
	return pvm_cap(vm, KVM_CAP_ARM_PROTECTED_VM_FLAGS_DICE_REGION, ipa,
		       size);
}

/* Pages a protected VM's stage-2 fault donates, from the aligned window. */
int vm_set_fault_around(struct vm *vm, uint64_t nr_pages)
{
	return pvm_cap(vm, KVM_CAP_ARM_PROTECTED_VM_FLAGS_FAULT_AROUND,
		       nr_pages, 0);
}

/* A protected VM's launch measurement, once it has run, into @out. */
int vm_measurement(struct vm *vm, uint8_t out[PVM_MEASUREMENT_SIZE])
{
	return pvm_cap(vm, KVM_CAP_ARM_PROTECTED_VM_FLAGS_MEASUREMENT,
		       (uintptr_t)out, 0);
}

/* A VM ready to run a guest that stores @pattern over @data_pages pages. */
int vm_prepare_writer(struct vm *vm, bool protected, unsigned int data_pages,
		      uint64_t pattern)
{
	const struct writer_params params = {
		.data = GUEST_BASE + getpagesize(),
		.words = (uint64_t)data_pages * getpagesize() / 8,
		.pattern = pattern,
		.mmio = MMIO_EXIT,
	};

	return vm_prepare_guest(vm, protected, data_pages, writer_guest,
				writer_guest_end, &params, sizeof(params));
}

/* Run the guest once: it must have stored the pattern and exited. */
int vm_run_to_exit(struct vm *vm)
{
	if (step("KVM_RUN", ioctl(vm->vcpu, KVM_RUN, 0)))
		return -1;
	if (vm->run->exit_reason != KVM_EXIT_MMIO ||
	    vm->run->mmio.phys_addr != MMIO_EXIT || !vm->run->mmio.is_write) {
		vm_failed_step = "exit reason";
		return -1;
	}
	return 0;
}

/* A VM whose guest has stored @pattern over its @data_pages pages. */
int vm_run_writer(struct vm *vm, bool protected, unsigned int data_pages,
		  uint64_t pattern)
{
	return vm_prepare_writer(vm, protected, data_pages, pattern) ||
	       vm_run_to_exit(vm) ? -1 : 0;
}

/* Drop every reference to the VM, so that KVM destroys it now. */
void vm_destroy(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu >= 0)
		close(vm->vcpu);
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->kvm >= 0)
		close(vm->kvm);
	vm->run = NULL;
	vm->vcpu = -1;
	vm->fd = -1;
	vm->kvm = -1;
}

uint8_t *vm_data_page(struct vm *vm, unsigned int i)
{
	return vm->mem + (size_t)(i + 1) * getpagesize();
}

/* The physical address of our resident page at @va; 0 if unknown. */
uint64_t phys_of(const void *va)
{
	const long page = getpagesize();
	uint64_t entry = 0;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return 0;
	if (pread(fd, &entry, sizeof(entry),
		  (uintptr_t)va / page * sizeof(entry)) != sizeof(entry))
		entry = 0;
	close(fd);
	/* Bit 63: present; bits 0-54: the page frame number. */
	if (!(entry >> 63))
		return 0;
	return (entry & ((1ULL << 55) - 1)) * page;
}

long pvm_sysfs_long(const char *name)
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

bool pvm_loaded(void)
{
	return access(PVM_SYSFS "pvms_alive", R_OK) == 0;
}

/* @key's value in a /proc file of "Key:   N kB" lines; -1 if absent. */
long proc_kib(const char *path, const char *key)
{
	size_t len = strlen(key);
	char line[128];
	long kib = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) && line[len] == ':') {
			kib = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kib;
}

/* MemAvailable from /proc/meminfo, in KiB. */
long mem_available_kib(void)
{
	return proc_kib("/proc/meminfo", "MemAvailable");
}

/* MemFree from /proc/meminfo, in KiB. */
long mem_free_kib(void)
{
	return proc_kib("/proc/meminfo", "MemFree");
}

double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of @n values, which it sorts. */
double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static sigjmp_buf fault_jmp;

static void on_sigsegv(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

/* Load one word at @p: 0 if it faulted with SIGSEGV, 1 if it read @out. */
int try_load(const uint64_t *p, uint64_t *out)
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

/*
 * Load the test-only module @ko, unless @ready, a file it creates, is
 * there already. True once @ready is writable.
 */
bool test_module_load(const char *ko, const char *ready)
{
	int fd;

	if (!access(ready, W_OK))
		return true;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST) {
		close(fd);
		return false;
	}
	close(fd);
	return !access(ready, W_OK);
}
