// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protected VM policy: which VMs and memslots pvm.ko accepts, and how the
 * pages donated to a protected VM are pinned and accounted.
 *
 * KVM asks through the struct pkvm_vm_ops that pkvm_register_vm_ops() in
 * arch/arm64/kvm/pkvm.c takes; the hypervisor does the donation and the
 * scrubbing. Here:
 *  - KVM_VM_TYPE_ARM_PROTECTED and KVM_CAP_ARM_PROTECTED_VM are accepted;
 *  - memslots must be anonymous, shmem or memfd memory, writable, without
 *    dirty logging, and cannot change once the VM has run;
 *  - a memslot's memory is fenced off from the rest of the kernel before
 *    any of it is donated (mm_fence_pkvm_guest()): no GUP but ours, no
 *    fork copy, no core dump, no file I/O on a memfd;
 *  - a donated page is pinned long-term and charged to RLIMIT_MEMLOCK of
 *    the VM's mm until the hypervisor hands it back, zeroed;
 *  - before the first run the VMM names the image regions, which the
 *    hypervisor measures (pkvm_measure_page() at EL2); after it, the VMM
 *    can read the measurement;
 *  - a vCPU's registers: before its first run, only PC and x0 may be set
 *    (the entry point and its argument) and any may be read; after it,
 *    none may be read or written. That is hygiene, not the protection: from
 *    the first run the registers are at EL2, and the host's copy holds
 *    only what each exit shows (pkvm_pvm_sync() in nvhe/pvm-exit.c).
 *    host_view_regs lets tests read that copy, as a compromised host
 *    kernel could.
 */
#define pr_fmt(fmt) "pvm: " fmt

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>

#include <asm/kvm_pkvm.h>

#include "pvm.h"

atomic64_t pvm_pages_donated;
atomic64_t pvm_pages_scrubbed;
atomic_t pvm_vms_alive;

static bool host_view_regs;
module_param(host_view_regs, bool, 0644);
MODULE_PARM_DESC(host_view_regs,
		 "Let KVM_GET_ONE_REG read the host's copy of a protected vCPU's registers after its first run, for tests of what EL2 keeps from the host");

/* Android's layout for KVM_CAP_ARM_PROTECTED_VM_FLAGS_INFO. */
struct pvm_protected_vm_info {
	__u64 firmware_size;
	__u64 reserved[7];
};

static int pvm_init_vm(struct kvm *kvm, unsigned long type)
{
	atomic_inc(&pvm_vms_alive);
	return 0;
}

static void pvm_destroy_vm(struct kvm *kvm)
{
	atomic_dec(&pvm_vms_alive);
}

static int pvm_check_extension(struct kvm *kvm)
{
	return 1;
}

/* The VM's launch measurement, from EL2: -EBUSY until its first run. */
static int pvm_copy_measurement(struct kvm *kvm, void __user *to)
{
	u64 words[PKVM_EL2_MEASUREMENT_SIZE / sizeof(u64)];
	pkvm_handle_t handle = READ_ONCE(kvm->arch.pkvm.handle);
	int ret;

	if (!handle)
		return -EBUSY;
	ret = pvm_hyp_measurement(handle, words);
	if (ret)
		return ret;
	if (copy_to_user(to, words, sizeof(words)))
		return -EFAULT;
	return 0;
}

static int pvm_enable_cap(struct kvm *kvm, struct kvm_enable_cap *cap)
{
	struct pvm_protected_vm_info info = { };

	switch (cap->flags) {
	case KVM_CAP_ARM_PROTECTED_VM_FLAGS_INFO:
		/* No protected VM firmware (pvmfw) is loaded by pvmkit. */
		if (copy_to_user(u64_to_user_ptr(cap->args[0]), &info,
				 sizeof(info)))
			return -EFAULT;
		return 0;
	case KVM_CAP_ARM_PROTECTED_VM_FLAGS_IMAGE_REGION:
		return pkvm_add_image_region(kvm, cap->args[0], cap->args[1]);
	case KVM_CAP_ARM_PROTECTED_VM_FLAGS_DICE_REGION:
		return pkvm_set_dice_region(kvm, cap->args[0], cap->args[1]);
	case KVM_CAP_ARM_PROTECTED_VM_FLAGS_MEASUREMENT:
		return pvm_copy_measurement(kvm, u64_to_user_ptr(cap->args[0]));
	case KVM_CAP_ARM_PROTECTED_VM_FLAGS_FAULT_AROUND:
		return pkvm_set_fault_around(kvm, cap->args[0]);
	case KVM_CAP_ARM_PROTECTED_VM_FLAGS_SET_FW_IPA:
		/* Without firmware there is nothing to place. */
	default:
		return -EINVAL;
	}
}

/* Every VMA over [start, end) must be anonymous or shmem (memfd) memory. */
static int pvm_check_backing(unsigned long start, unsigned long end)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long addr = start;
	int ret = 0;

	mmap_read_lock(mm);
	while (addr < end) {
		vma = vma_lookup(mm, addr);
		/* hugetlbfs memfds are neither, and so are refused. */
		if (!vma || (vma->vm_flags & (VM_PFNMAP | VM_IO)) ||
		    !(vma_is_anonymous(vma) ||
		      (vma->vm_file && shmem_file(vma->vm_file)))) {
			ret = -EINVAL;
			break;
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

static bool pvm_vm_has_run(struct kvm *kvm)
{
	/* The hypervisor's VM is created on the first KVM_RUN. */
	return READ_ONCE(kvm->arch.pkvm.handle) != 0;
}

static int pvm_prepare_memslot(struct kvm *kvm,
			       const struct kvm_memory_slot *old,
			       struct kvm_memory_slot *new,
			       enum kvm_mr_change change)
{
	unsigned long start, end;
	int ret;

	if (pvm_vm_has_run(kvm))
		return -EPERM;
	if (change == KVM_MR_DELETE)
		return 0;
	if (new->flags & KVM_MEM_READONLY)
		return -EINVAL;
	if (new->flags & KVM_MEM_LOG_DIRTY_PAGES)
		return -EINVAL;
	if (change != KVM_MR_CREATE)
		return 0;
	start = new->userspace_addr;
	end = start + (new->npages << PAGE_SHIFT);
	ret = pvm_check_backing(start, end);
	if (ret)
		return ret;
	return mm_fence_pkvm_guest(current->mm, start, end);
}

/* Charge @nr pages to RLIMIT_MEMLOCK of @mm, as other long-term pinners do. */
static int pvm_charge_pages(struct mm_struct *mm, unsigned int nr)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if (atomic64_add_return(nr, &mm->pinned_vm) > limit &&
	    !capable(CAP_IPC_LOCK)) {
		atomic64_sub(nr, &mm->pinned_vm);
		return -ENOMEM;
	}
	return 0;
}

/* The most pages pkvm asks to pin at once (a fault-around window). */
#define PVM_PIN_MAX	KVM_PKVM_FAULT_AROUND_MAX

static long pvm_pin_pages(struct kvm *kvm, struct kvm_memory_slot *slot,
			  u64 gfn, unsigned long hva, unsigned int nr,
			  u64 *pfns)
{
	struct page *pages[PVM_PIN_MAX];
	long got, i;
	int ret;

	if (!nr || nr > PVM_PIN_MAX)
		return -EINVAL;
	ret = pvm_charge_pages(kvm->mm, nr);
	if (ret)
		return ret;
	got = pin_user_pages_unlocked(hva, nr, pages,
				      FOLL_WRITE | FOLL_LONGTERM |
				      FOLL_PKVM_GUEST);
	atomic64_sub(nr - max(got, 0L), &kvm->mm->pinned_vm);
	if (got <= 0)
		return got < 0 ? got : -EFAULT;
	for (i = 0; i < got; i++)
		pfns[i] = page_to_pfn(pages[i]);
	atomic64_add(got, &pvm_pages_donated);
	return got;
}

/* The hypervisor zeroed the page before handing it back. */
static void pvm_unpin_page(struct kvm *kvm, u64 gfn, u64 pfn)
{
	unpin_user_page_range_dirty_lock(pfn_to_page(pfn), 1, true);
	atomic64_dec(&kvm->mm->pinned_vm);
	atomic64_dec(&pvm_pages_donated);
	atomic64_inc(&pvm_pages_scrubbed);
}

/* Pinned for donation, but EL2 did not take it: still the host's, as was. */
static void pvm_release_page(struct kvm *kvm, u64 gfn, u64 pfn)
{
	unpin_user_page(pfn_to_page(pfn));
	atomic64_dec(&kvm->mm->pinned_vm);
	atomic64_dec(&pvm_pages_donated);
}

#define PVM_CORE_REG(r)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(r))

static int pvm_vcpu_reg_access(struct kvm_vcpu *vcpu, u64 id, bool write)
{
	if (vcpu_has_run_once(vcpu))
		return host_view_regs && !write ? 0 : -EPERM;
	if (!write)
		return 0;
	if (id == PVM_CORE_REG(regs.pc) || id == PVM_CORE_REG(regs.regs[0]))
		return 0;
	return -EPERM;
}

static const struct pkvm_vm_ops pvm_vm_ops = {
	.owner = THIS_MODULE,
	.init_vm = pvm_init_vm,
	.destroy_vm = pvm_destroy_vm,
	.check_extension = pvm_check_extension,
	.enable_cap = pvm_enable_cap,
	.prepare_memslot = pvm_prepare_memslot,
	.pin_pages = pvm_pin_pages,
	.unpin_page = pvm_unpin_page,
	.release_page = pvm_release_page,
	.vcpu_reg_access = pvm_vcpu_reg_access,
};

int pvm_vm_register(void)
{
	return pkvm_register_vm_ops(&pvm_vm_ops);
}
