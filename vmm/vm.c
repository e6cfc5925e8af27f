// SPDX-License-Identifier: GPL-2.0
/*
 * KVM/arm64 VM setup: /dev/kvm, the VM with its IPA size, memfd-backed RAM
 * and the in-kernel GICv3.
 */
#ifndef __aarch64__
#error "pvmm drives KVM/arm64: build it with an aarch64 compiler"
#endif

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>

#include "kvm_pvm.h"
#include "layout.h"
#include "log.h"
#include "vm.h"

#define KVM_MIN_IPA_BITS	32

/* Opens /dev/kvm and checks the API version. Logs one line on failure. */
int kvm_open(int *fd)
{
	int ver;

	*fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		pr_err("cannot open /dev/kvm: %s", strerror(errno));
		return -1;
	}
	ver = ioctl(*fd, KVM_GET_API_VERSION, 0);
	if (ver != KVM_API_VERSION) {
		pr_err("/dev/kvm has API version %d, need %d", ver,
		       KVM_API_VERSION);
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

/* Smallest IPA size (in bits) that reaches @ram_end. */
unsigned int vm_ipa_bits_for(u64 ram_end)
{
	unsigned int bits = 64 - __builtin_clzll(ram_end - 1);

	return bits < KVM_MIN_IPA_BITS ? KVM_MIN_IPA_BITS : bits;
}

static int create_vm_fd(struct vm *vm, u64 ram_end)
{
	int max = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION,
			KVM_CAP_ARM_VM_IPA_SIZE);
	unsigned long type = 0;

	vm->ipa_bits = vm_ipa_bits_for(ram_end);
	if (max > 0) {
		if (vm->ipa_bits > (unsigned int)max) {
			pr_err("guest RAM needs a %u-bit IPA space, KVM allows %d",
			       vm->ipa_bits, max);
			return -1;
		}
		type = KVM_VM_TYPE_ARM_IPA_SIZE(vm->ipa_bits);
	} else if (vm->ipa_bits > 40) {
		pr_err("guest RAM needs a %u-bit IPA space, KVM allows 40",
		       vm->ipa_bits);
		return -1;
	}
	if (vm->protected) {
		type |= KVM_VM_TYPE_ARM_PROTECTED;
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
	if (vm->vm_fd < 0 && vm->protected) {
		pr_err("protected VMs are not supported by this kernel (KVM_CREATE_VM: %s)",
		       strerror(errno));
		return -1;
	}
	if (vm->vm_fd < 0) {
		pr_err("KVM_CREATE_VM: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int create_ram(struct vm *vm, u64 size)
{
	struct kvm_userspace_memory_region r = { 0 };
	void *p;

	vm->ram_fd = memfd_create("pvmm-ram", MFD_CLOEXEC);
	if (vm->ram_fd < 0 || ftruncate(vm->ram_fd, size)) {
		pr_err("cannot allocate %llu MiB of guest RAM: %s",
		       size / SZ_1M, strerror(errno));
		return -1;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_NORESERVE, vm->ram_fd, 0);
	if (p == MAP_FAILED) {
		pr_err("cannot map guest RAM: %s", strerror(errno));
		return -1;
	}
	vm->ram.gpa = GUEST_RAM_BASE;
	vm->ram.size = size;
	vm->ram.hva = p;
	r.slot = 0;
	r.guest_phys_addr = GUEST_RAM_BASE;
	r.memory_size = size;
	r.userspace_addr = (unsigned long)p;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r)) {
		pr_err("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int vm_create(struct vm *vm, u64 ram_size, bool protected)
{
	memset(vm, 0, sizeof(*vm));
	vm->vm_fd = -1;
	vm->gic_fd = -1;
	vm->ram_fd = -1;
	vm->protected = protected;
	if (kvm_open(&vm->kvm_fd)) {
		return -1;
	}
	if (create_vm_fd(vm, GUEST_RAM_BASE + ram_size)) {
		return -1;
	}
	return create_ram(vm, ram_size);
}

static int gic_attr(struct vm *vm, u32 group, u64 attr, void *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (unsigned long)val,
	};

	return ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a);
}

/* KVM_CAP_ARM_PROTECTED_VM with @flags and two arguments. */
static int vm_pvm_cap(struct vm *vm, u64 flags, u64 arg0, u64 arg1)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_ARM_PROTECTED_VM,
		.flags = flags,
		.args = { arg0, arg1 },
	};

	return ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap);
}

/* A region of guest memory for EL2, named by @flags; @what for errors. */
static int vm_pvm_region(struct vm *vm, u64 flags, u64 gpa, u64 size,
			 const char *what)
{
	if (vm_pvm_cap(vm, flags, gpa, size)) {
		pr_err("cannot %s at 0x%llx (%llu bytes): %s", what, gpa, size,
		       strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Before the first run of a protected VM: [@gpa, @gpa + @size) holds part
 * of its initial image, which EL2 measures. Every other page the guest
 * gets, EL2 zeroes.
 */
int vm_add_image_region(struct vm *vm, u64 gpa, u64 size)
{
	return vm_pvm_region(vm, KVM_CAP_ARM_PROTECTED_VM_FLAGS_IMAGE_REGION,
			     gpa, size, "measure guest memory");
}

/*
 * Before the first run of a protected VM: EL2 writes its DICE handover, the
 * CDIs derived from its measurement, into [@gpa, @gpa + @size).
 */
int vm_set_dice_region(struct vm *vm, u64 gpa, u64 size)
{
	return vm_pvm_region(vm, KVM_CAP_ARM_PROTECTED_VM_FLAGS_DICE_REGION,
			     gpa, size, "place the DICE region");
}

/*
 * Before the first run: each stage-2 fault donates (protected VM) or shares
 * (normal VM) the aligned window of @nr_pages pages around the faulting
 * one. Without it the VM runs with one page a fault; a protected VM's
 * kernel should have it, so that is worth a warning, while a normal VM has
 * it only in protected mode.
 */
void vm_set_fault_around(struct vm *vm, u64 nr_pages)
{
	if (vm_pvm_cap(vm, KVM_CAP_ARM_PROTECTED_VM_FLAGS_FAULT_AROUND,
		       nr_pages, 0)) {
		log_msg(vm->protected ? LOG_WARN : LOG_INFO,
			"no fault-around (%s): one page a stage-2 fault",
			strerror(errno));
	}
}

/* After its first run: the protected VM's launch measurement. */
int vm_measurement(struct vm *vm, u8 out[VM_MEASUREMENT_SIZE])
{
	return vm_pvm_cap(vm, KVM_CAP_ARM_PROTECTED_VM_FLAGS_MEASUREMENT,
			  (unsigned long)out, 0);
}

/* Before the vCPUs: the device and where its frames are. */
int vm_create_gic(struct vm *vm, unsigned int nr_vcpus)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	u64 dist = GUEST_GICD_BASE, redist = GUEST_GICR_BASE;

	if (GUEST_GICR_BASE + (u64)nr_vcpus * KVM_VGIC_V3_REDIST_SIZE >
	    GUEST_GICR_LIMIT) {
		pr_err("too many vCPUs for the redistributor region");
		return -1;
	}
	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd)) {
		pr_err("cannot create a GICv3 (KVM_CREATE_DEVICE: %s)",
		       strerror(errno));
		return -1;
	}
	vm->gic_fd = cd.fd;
	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR,
		     KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) ||
	    gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR,
		     KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist)) {
		pr_err("cannot place the GICv3: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* After all vCPUs exist. */
int vm_init_gic(struct vm *vm)
{
	u32 nr_irqs = GUEST_NR_IRQS;

	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs) ||
	    gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT,
		     NULL)) {
		pr_err("cannot initialise the GICv3: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Whether KVM_CHECK_EXTENSION on the VM reports capability @cap. */
bool vm_has_cap(struct vm *vm, long cap)
{
	return ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap) > 0;
}

/* Drive the level of SPI @intid (32..1019). Thread-safe. */
int vm_set_irq(struct vm *vm, u32 intid, bool level)
{
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | intid,
		.level = level,
	};

	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq)) {
		pr_warn("KVM_IRQ_LINE %u: %s", intid, strerror(errno));
		return -1;
	}
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->ram.hva) {
		munmap(vm->ram.hva, vm->ram.size);
	}
	if (vm->ram_fd >= 0) {
		close(vm->ram_fd);
	}
	if (vm->gic_fd >= 0) {
		close(vm->gic_fd);
	}
	if (vm->vm_fd >= 0) {
		close(vm->vm_fd);
	}
	if (vm->kvm_fd >= 0) {
		close(vm->kvm_fd);
	}
}
