// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvm_hostile: TEST ONLY. Plays the compromised host kernel of pvmkit's
 * threat model: it makes any host->EL2 call, with any arguments, on any
 * CPU, so that the selftests can check what EL2 refuses. Never load it
 * outside a test machine.
 *
 * /sys/kernel/debug/pvm_hostile/
 *   call  write "NAME|#NUM [ARG...] [@CPU]", read back "x0 x1 x2 x3" of
 *         the last call. An ARG "page" is the kernel VA of a host page
 *         never shared with EL2, "pfn" its pfn, "pair" and "pair2" the
 *         pfns of two contiguous pages of the module's own, "spare:N"
 *         the pfn of the Nth of four more (0-3), "phys:ADDR" the kernel
 *         VA of the linear map at ADDR; anything else is a number.
 *   page  "1" while every byte of that page still holds its fill pattern.
 *   page_phys  that page's physical address.
 *   pair  the same for the first page of the pair.
 *   pair_probe  "1" while the kernel can load from the pair's first page
 *         (copy_from_kernel_nofault()), "0" once that faults.
 *   fake_pvm  read: ask EL2 for a protected VM with a struct kvm of the
 *         module's own, bypassing KVM; prints __pkvm_init_vm's x1. If EL2
 *         made one, its pages are left to it.
 *   pin_flood  read: ask EL2, bypassing KVM, for a normal VM with 65536
 *         vCPUs that all share one struct kvm_vcpu, which EL2 pins for
 *         each; prints "vcpus N error E teardown T": how many EL2 made,
 *         the error of the first it refused, and __pkvm_teardown_vm's.
 *   vcpu  write "FD FIELD ARG", ARG as for call: change the host copy,
 *         as KVM keeps it, of the vCPU whose file descriptor in the writer
 *         is FD, for its next run. FIELD is "hcr" (OR ARG into HCR_EL2),
 *         "hcr_clear" (clear ARG's bits in HCR_EL2), "iflags" (OR ARG
 *         in), "vsesr" (set VSESR_EL2), "vgic_hcr" (OR ARG into the vGIC's
 *         ICH_HCR_EL2), "used_lrs" (set the list registers in use),
 *         "vgic_sre" (set the vGIC's ICC_SRE_EL1),
 *         "debug_save"
 *         (set the SPE and TRBE save flags), "debug_ptr" (point the debug
 *         state at ARG and mark it dirty, with guest debugging on), or
 *         "sve_state" (1: point the SVE buffer at the unshared page; 0:
 *         put KVM's buffer back, before the vCPU is freed), "sve_max_vl"
 *         (non-zero: set the SVE vector length to ARG bytes; 0: put KVM's
 *         back), or "memcache" (1: make the host memcache one page whose
 *         head is 8 bytes into the pair's first page; 0: put KVM's back).
 *   fuzz  write "CALLS SEED HANDLE": that many random host calls, spread
 *         over the online CPUs, with arguments mixing garbage, small
 *         numbers, HANDLE (a live VM's) and the pages of a pool the module
 *         never frees; read back "calls N accepted N".
 */
#include <linux/arm-smccc.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kvm_host.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <asm/kvm_asm.h>

/* PKVM_HYP_VM_SIZE and PKVM_HYP_VCPU_SIZE, of the tree built against. */
#include "hyp_constants.h"

#define HOSTILE_NR_ARGS		5
#define HOSTILE_FILL		0x5a
/* Enough for EL2's VM state with one vCPU, and for any stage-2 PGD. */
#define HOSTILE_VM_SIZE		(16 * PAGE_SIZE)

struct hostile_call {
	unsigned long id;
	unsigned long arg[HOSTILE_NR_ARGS];
	struct arm_smccc_res res;
};

#define HOSTILE_FN(name) { #name, __KVM_HOST_SMCCC_FUNC___##name }

static const struct {
	const char *name;
	unsigned long nr;
} hostile_fns[] = {
	HOSTILE_FN(kvm_adjust_pc),
	HOSTILE_FN(kvm_vcpu_run),
	HOSTILE_FN(kvm_tlb_flush_vmid_ipa),
	HOSTILE_FN(kvm_tlb_flush_vmid_ipa_nsh),
	HOSTILE_FN(kvm_tlb_flush_vmid),
	HOSTILE_FN(kvm_tlb_flush_vmid_range),
	HOSTILE_FN(kvm_flush_cpu_context),
	HOSTILE_FN(vgic_v3_save_vmcr_aprs),
	HOSTILE_FN(vgic_v3_restore_vmcr_aprs),
	HOSTILE_FN(pkvm_vcpu_init_traps),
	HOSTILE_FN(pkvm_vcpu_load),
	HOSTILE_FN(pkvm_vcpu_put),
	HOSTILE_FN(pkvm_start_teardown_vm),
	HOSTILE_FN(pkvm_teardown_vm),
	HOSTILE_FN(pkvm_host_donate_guest),
	HOSTILE_FN(pkvm_host_donate_guest_measured),
	HOSTILE_FN(pkvm_host_donate_guest_range),
	HOSTILE_FN(pkvm_host_donate_guest_measured_range),
	HOSTILE_FN(pkvm_host_owns_page),
	HOSTILE_FN(pkvm_smmu_events),
};

static DEFINE_MUTEX(hostile_lock);
static struct hostile_call hostile_last;
static u8 *hostile_page;
/* Two contiguous pages, for runs: the first filled as hostile_page is. */
static u8 *hostile_pair;
/* Four pages only hostile.memcache_head_page_aligned gives away. */
#define HOSTILE_NR_SPARE	4
static struct page *hostile_spare;
static struct dentry *hostile_dir;

static void hostile_hvc(void *data)
{
	struct hostile_call *c = data;

	arm_smccc_1_1_hvc(KVM_HOST_SMCCC_ID(c->id), c->arg[0], c->arg[1],
			  c->arg[2], c->arg[3], c->arg[4], &c->res);
}

static int hostile_parse_fn(const char *tok, unsigned long *id)
{
	int i;

	if (tok[0] == '#')
		return kstrtoul(tok + 1, 0, id);
	for (i = 0; i < ARRAY_SIZE(hostile_fns); i++) {
		if (!strcmp(tok, hostile_fns[i].name)) {
			*id = hostile_fns[i].nr;
			return 0;
		}
	}
	return -ENOENT;
}

static int hostile_parse_arg(const char *tok, unsigned long *val)
{
	phys_addr_t phys;
	int ret;

	if (!strcmp(tok, "page")) {
		*val = (unsigned long)hostile_page;
		return 0;
	}
	if (!strcmp(tok, "pfn")) {
		*val = virt_to_pfn(hostile_page);
		return 0;
	}
	if (!strcmp(tok, "pair") || !strcmp(tok, "pair2")) {
		*val = virt_to_pfn(hostile_pair) + (tok[4] == '2');
		return 0;
	}
	if (!strncmp(tok, "spare:", 6)) {
		ret = kstrtoul(tok + 6, 0, val);
		if (ret || *val >= HOSTILE_NR_SPARE)
			return -EINVAL;
		*val += page_to_pfn(hostile_spare);
		return 0;
	}
	if (strncmp(tok, "phys:", 5))
		return kstrtoul(tok, 0, val);
	ret = kstrtoull(tok + 5, 0, &phys);
	if (ret)
		return ret;
	if (!pfn_valid(PHYS_PFN(phys)))
		return -EINVAL;
	*val = (unsigned long)phys_to_virt(phys);
	return 0;
}

/* "NAME ARG... [@CPU]" into @c and the CPU to call on (-1: this one). */
static int hostile_parse(char *line, struct hostile_call *c, int *cpu)
{
	char *tok;
	int n = 0, ret;

	*cpu = -1;
	tok = strsep(&line, " \t\n");
	if (!tok || hostile_parse_fn(tok, &c->id))
		return -EINVAL;
	while ((tok = strsep(&line, " \t\n"))) {
		if (!*tok)
			continue;
		if (tok[0] == '@') {
			ret = kstrtoint(tok + 1, 0, cpu);
			if (ret || *cpu < 0 || !cpu_online(*cpu))
				return -EINVAL;
			continue;
		}
		if (n == HOSTILE_NR_ARGS)
			return -E2BIG;
		ret = hostile_parse_arg(tok, &c->arg[n++]);
		if (ret)
			return ret;
	}
	return 0;
}

/* A line the writer wrote, NUL-terminated in @buf; 0 or -errno. */
static int hostile_copy_line(char *buf, size_t size, const char __user *ubuf,
			     size_t len)
{
	if (len >= size)
		return -E2BIG;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	return 0;
}

static ssize_t hostile_call_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct hostile_call c = {};
	char buf[256];
	int cpu, ret;

	ret = hostile_copy_line(buf, sizeof(buf), ubuf, len);
	if (ret)
		return ret;
	ret = hostile_parse(buf, &c, &cpu);
	if (ret)
		return ret;

	mutex_lock(&hostile_lock);
	if (cpu < 0) {
		preempt_disable();
		hostile_hvc(&c);
		preempt_enable();
	} else {
		ret = smp_call_function_single(cpu, hostile_hvc, &c, true);
	}
	if (!ret)
		hostile_last = c;
	mutex_unlock(&hostile_lock);
	return ret ? ret : len;
}

static ssize_t hostile_call_read(struct file *file, char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char buf[96];
	int n;

	mutex_lock(&hostile_lock);
	n = scnprintf(buf, sizeof(buf), "%ld %ld %ld %ld\n",
		      (long)hostile_last.res.a0, (long)hostile_last.res.a1,
		      (long)hostile_last.res.a2, (long)hostile_last.res.a3);
	mutex_unlock(&hostile_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations hostile_call_fops = {
	.owner = THIS_MODULE,
	.write = hostile_call_write,
	.read = hostile_call_read,
};

static ssize_t hostile_page_read(struct file *file, char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	u8 *page = file->private_data;
	bool intact = !memchr_inv(page, HOSTILE_FILL, PAGE_SIZE);
	char buf[2] = { intact ? '1' : '0', '\n' };

	return simple_read_from_buffer(ubuf, len, ppos, buf, sizeof(buf));
}

static const struct file_operations hostile_page_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = hostile_page_read,
};

static ssize_t hostile_page_phys_read(struct file *file, char __user *ubuf,
				      size_t len, loff_t *ppos)
{
	char buf[24];
	int n;

	n = scnprintf(buf, sizeof(buf), "%#llx\n",
		      (unsigned long long)virt_to_phys(hostile_page));
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations hostile_page_phys_fops = {
	.owner = THIS_MODULE,
	.read = hostile_page_phys_read,
};

/* "1" if the kernel can still load from the pair's first page, "0" if not. */
static ssize_t hostile_pair_probe_read(struct file *file, char __user *ubuf,
				       size_t len, loff_t *ppos)
{
	u8 byte;
	bool readable = !copy_from_kernel_nofault(&byte, hostile_pair, 1);
	char buf[2] = { readable ? '1' : '0', '\n' };

	return simple_read_from_buffer(ubuf, len, ppos, buf, sizeof(buf));
}

static const struct file_operations hostile_pair_probe_fops = {
	.owner = THIS_MODULE,
	.read = hostile_pair_probe_read,
};

static long hostile_share_pages(void *va, size_t size, bool share)
{
	unsigned long id = share ? __KVM_HOST_SMCCC_FUNC___pkvm_host_share_hyp :
				   __KVM_HOST_SMCCC_FUNC___pkvm_host_unshare_hyp;
	struct arm_smccc_res res;
	size_t off;

	for (off = 0; off < size; off += PAGE_SIZE) {
		arm_smccc_1_1_hvc(KVM_HOST_SMCCC_ID(id), virt_to_pfn(va + off),
				  &res);
		if (res.a0 || res.a1)
			return res.a0 ? -EOPNOTSUPP : (long)res.a1;
	}
	return 0;
}

/* __pkvm_init_vm of a protected VM with one vCPU, KVM bypassed. */
static long hostile_fake_pvm(void)
{
	size_t kvm_size = PAGE_ALIGN(sizeof(struct kvm));
	struct arm_smccc_res res;
	void *vm, *pgd;
	struct kvm *kvm;
	long ret;

	kvm = alloc_pages_exact(kvm_size, GFP_KERNEL | __GFP_ZERO);
	vm = alloc_pages_exact(HOSTILE_VM_SIZE, GFP_KERNEL | __GFP_ZERO);
	pgd = alloc_pages_exact(HOSTILE_VM_SIZE, GFP_KERNEL | __GFP_ZERO);
	ret = -ENOMEM;
	if (!kvm || !vm || !pgd)
		goto out;

	kvm->created_vcpus = 1;
	kvm->arch.pkvm.enabled = true;
	ret = hostile_share_pages(kvm, kvm_size, true);
	if (ret)
		goto out;
	arm_smccc_1_1_hvc(KVM_HOST_SMCCC_FUNC(__pkvm_init_vm), kvm, vm, pgd,
			  &res);
	ret = res.a0 ? -EOPNOTSUPP : (long)res.a1;
	/* EL2 made a VM: its pages are EL2's now, never to be freed here. */
	if (ret >= 0)
		return ret;
	hostile_share_pages(kvm, kvm_size, false);
out:
	if (pgd)
		free_pages_exact(pgd, HOSTILE_VM_SIZE);
	if (vm)
		free_pages_exact(vm, HOSTILE_VM_SIZE);
	if (kvm)
		free_pages_exact(kvm, kvm_size);
	return ret;
}

#define FLOOD_VCPUS		(USHRT_MAX + 1)

/* A normal VM made at EL2 by the module, and what it gave EL2 for it. */
struct hostile_flood {
	struct kvm *kvm;
	struct kvm_vcpu *vcpu;
	void *vm, *pgd;
	void **hyp_vcpus;
	unsigned int nr_vcpus;
	unsigned long handle;
};

static const size_t flood_kvm_size = PAGE_ALIGN(sizeof(struct kvm));
static const size_t flood_vcpu_size = PAGE_ALIGN(sizeof(struct kvm_vcpu));
static const size_t flood_vm_size = PAGE_ALIGN(PKVM_HYP_VM_SIZE +
					       FLOOD_VCPUS * sizeof(void *));
static const size_t flood_hyp_vcpu_size = PAGE_ALIGN(PKVM_HYP_VCPU_SIZE);

/* x1 of a host call that EL2 took, or -EOPNOTSUPP if it did not. */
static long hostile_hvc_ret(const struct arm_smccc_res *res)
{
	return res->a0 ? -EOPNOTSUPP : (long)res->a1;
}

/* The VM, its one shared struct kvm_vcpu, and no vCPU yet; 0 or -errno. */
static long flood_init_vm(struct hostile_flood *f)
{
	struct arm_smccc_res res;
	long ret;

	f->kvm = alloc_pages_exact(flood_kvm_size, GFP_KERNEL | __GFP_ZERO);
	f->vcpu = alloc_pages_exact(flood_vcpu_size, GFP_KERNEL | __GFP_ZERO);
	f->vm = alloc_pages_exact(flood_vm_size, GFP_KERNEL | __GFP_ZERO);
	f->pgd = alloc_pages_exact(HOSTILE_VM_SIZE, GFP_KERNEL | __GFP_ZERO);
	f->hyp_vcpus = kvcalloc(FLOOD_VCPUS, sizeof(void *), GFP_KERNEL);
	if (!f->kvm || !f->vcpu || !f->vm || !f->pgd || !f->hyp_vcpus)
		return -ENOMEM;

	f->kvm->created_vcpus = FLOOD_VCPUS;
	ret = hostile_share_pages(f->kvm, flood_kvm_size, true);
	if (ret)
		return ret;
	ret = hostile_share_pages(f->vcpu, flood_vcpu_size, true);
	if (ret)
		return ret;
	arm_smccc_1_1_hvc(KVM_HOST_SMCCC_FUNC(__pkvm_init_vm), f->kvm, f->vm,
			  f->pgd, &res);
	ret = hostile_hvc_ret(&res);
	if (ret < 0)
		return ret;
	f->handle = ret;
	return 0;
}

/* vCPUs, all on f->vcpu, until EL2 refuses one: its error. */
static long flood_init_vcpus(struct hostile_flood *f)
{
	struct arm_smccc_res res;
	void *mem;
	long ret;

	while (f->nr_vcpus < FLOOD_VCPUS) {
		mem = alloc_pages_exact(flood_hyp_vcpu_size, GFP_KERNEL);
		if (!mem)
			return -ENOMEM;
		WRITE_ONCE(f->vcpu->vcpu_idx, f->nr_vcpus);
		arm_smccc_1_1_hvc(KVM_HOST_SMCCC_FUNC(__pkvm_init_vcpu),
				  f->handle, f->vcpu, mem, &res);
		ret = hostile_hvc_ret(&res);
		if (ret) {
			free_pages_exact(mem, flood_hyp_vcpu_size);
			return ret;
		}
		f->hyp_vcpus[f->nr_vcpus++] = mem;
		cond_resched();
	}
	return 0;
}

/*
 * Tear the VM down: EL2 gives every page back and drops its pins, and the
 * module frees them. If EL2 keeps the VM, its pages stay EL2's.
 */
static long flood_teardown(struct hostile_flood *f)
{
	struct arm_smccc_res res;
	unsigned int i;
	long ret = 0;

	if (f->handle) {
		arm_smccc_1_1_hvc(KVM_HOST_SMCCC_FUNC(__pkvm_teardown_vm),
				  f->handle, &res);
		ret = hostile_hvc_ret(&res);
		if (ret)
			return ret;
	}
	for (i = 0; i < f->nr_vcpus; i++)
		free_pages_exact(f->hyp_vcpus[i], flood_hyp_vcpu_size);
	kvfree(f->hyp_vcpus);
	if (f->kvm && !hostile_share_pages(f->kvm, flood_kvm_size, false))
		free_pages_exact(f->kvm, flood_kvm_size);
	if (f->vcpu && !hostile_share_pages(f->vcpu, flood_vcpu_size, false))
		free_pages_exact(f->vcpu, flood_vcpu_size);
	if (f->vm)
		free_pages_exact(f->vm, flood_vm_size);
	if (f->pgd)
		free_pages_exact(f->pgd, HOSTILE_VM_SIZE);
	return 0;
}

static ssize_t hostile_pin_flood_read(struct file *file, char __user *ubuf,
				      size_t len, loff_t *ppos)
{
	struct hostile_flood f = {};
	long err, teardown;
	char buf[64];
	int n;

	if (*ppos)
		return 0;
	mutex_lock(&hostile_lock);
	err = flood_init_vm(&f);
	if (!err)
		err = flood_init_vcpus(&f);
	teardown = flood_teardown(&f);
	mutex_unlock(&hostile_lock);
	n = scnprintf(buf, sizeof(buf), "vcpus %u error %ld teardown %ld\n",
		      f.nr_vcpus, err, teardown);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations hostile_pin_flood_fops = {
	.owner = THIS_MODULE,
	.read = hostile_pin_flood_read,
};

static ssize_t hostile_fake_pvm_read(struct file *file, char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	char buf[32];
	int n;

	if (*ppos)
		return 0;
	n = scnprintf(buf, sizeof(buf), "%ld\n", hostile_fake_pvm());
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations hostile_fake_pvm_fops = {
	.owner = THIS_MODULE,
	.read = hostile_fake_pvm_read,
};

/*
 * The fuzzer's pages: whatever a call does to them (share, donate, a
 * module load that scrubs them), the host only hurts pages it never uses
 * again. A multi-page donation from the first half stays in the pool.
 */
#define FUZZ_POOL_ORDER		6
#define FUZZ_POOL_PICK		((1 << FUZZ_POOL_ORDER) / 2)
#define FUZZ_MAX_CALLS		100000000UL

static unsigned long fuzz_pool_pfn;

struct hostile_fuzz {
	u64 state;
	unsigned long handle;
	unsigned long calls;
	unsigned long accepted;
};

/* xorshift64: a seed gives the same calls on every run. */
static u64 fuzz_next(struct hostile_fuzz *f)
{
	f->state ^= f->state << 13;
	f->state ^= f->state >> 7;
	f->state ^= f->state << 17;
	return f->state;
}

static unsigned long fuzz_arg(struct hostile_fuzz *f)
{
	u64 r = fuzz_next(f);
	unsigned long pfn = fuzz_pool_pfn + (r >> 8) % FUZZ_POOL_PICK;

	switch (r % 8) {
	case 0:
		return fuzz_next(f);
	case 1:
		return r >> 58;
	case 2:
		return f->handle;
	case 3:
		return f->handle + (r >> 62) - 2;
	case 4:
		return pfn;
	case 5:
		return (unsigned long)pfn_to_kaddr(pfn);
	case 6:
		return (unsigned long)hostile_page;
	default:
		return ~0UL;
	}
}

/*
 * Calls a host only makes to harm itself, never EL2 or a guest: its own
 * clock's offset, and tearing down the VM it is using (which leaves that
 * VM's pages pinned at EL1, by design). Those are left out.
 */
static bool fuzz_self_harm(const struct hostile_call *c, unsigned long handle)
{
	switch (c->id) {
	case __KVM_HOST_SMCCC_FUNC___kvm_timer_set_cntvoff:
		return true;
	case __KVM_HOST_SMCCC_FUNC___pkvm_start_teardown_vm:
	case __KVM_HOST_SMCCC_FUNC___pkvm_teardown_vm:
		return c->arg[0] == handle;
	default:
		return false;
	}
}

static unsigned long fuzz_pool_pick(u64 r)
{
	return fuzz_pool_pfn + (r >> 16) % FUZZ_POOL_PICK;
}

/*
 * Memory a call gives away, shares or scrubs (a donation, a share, a
 * module load) is named from the pool: EL2 would rightly take any page the
 * host owns, and a garbage address lands on some page of the host's own.
 */
static void fuzz_confine(struct hostile_call *c, u64 r)
{
	unsigned long pfn = fuzz_pool_pick(r);

	switch (c->id) {
	case __KVM_HOST_SMCCC_FUNC___pkvm_load_el2_module:
		c->arg[0] = pfn;
		c->arg[1] = 1;
		break;
	case __KVM_HOST_SMCCC_FUNC___pkvm_host_donate_guest:
	case __KVM_HOST_SMCCC_FUNC___pkvm_host_donate_guest_measured:
	case __KVM_HOST_SMCCC_FUNC___pkvm_host_share_guest:
	case __KVM_HOST_SMCCC_FUNC___pkvm_host_share_hyp:
	case __KVM_HOST_SMCCC_FUNC___pkvm_host_unshare_hyp:
		c->arg[0] = pfn;
		break;
	case __KVM_HOST_SMCCC_FUNC___pkvm_init_vm:
		c->arg[1] = (unsigned long)pfn_to_kaddr(pfn);
		c->arg[2] = (unsigned long)pfn_to_kaddr(fuzz_pool_pick(r >> 8));
		break;
	case __KVM_HOST_SMCCC_FUNC___pkvm_init_vcpu:
		c->arg[2] = (unsigned long)pfn_to_kaddr(pfn);
		break;
	case __KVM_HOST_SMCCC_FUNC___pkvm_host_donate_guest_range:
	case __KVM_HOST_SMCCC_FUNC___pkvm_host_donate_guest_measured_range:
		/* From the pool's first half, ending inside the pool. */
		c->arg[0] = pfn;
		c->arg[2] = 1 + (r >> 40) % FUZZ_POOL_PICK;
		break;
	}
}

static void fuzz_one(struct hostile_fuzz *f)
{
	const unsigned long first = __KVM_HOST_SMCCC_FUNC___pkvm_prot_finalize;
	const unsigned long last =
		__KVM_HOST_SMCCC_FUNC___pkvm_host_donate_guest_measured_range;
	struct hostile_call c = {};
	u64 r = fuzz_next(f);
	int i;

	/* Mostly calls open after finalisation; a few before, a few past. */
	if (r & 0xf)
		c.id = first + (r >> 8) % (last + 3 - first);
	else
		c.id = (r >> 8) % 64;
	for (i = 0; i < HOSTILE_NR_ARGS; i++)
		c.arg[i] = fuzz_arg(f);
	fuzz_confine(&c, r);
	if (fuzz_self_harm(&c, f->handle))
		return;
	hostile_hvc(&c);
	f->calls++;
	f->accepted += c.res.a0 == SMCCC_RET_SUCCESS;
}

static void fuzz_on_cpu(void *data)
{
	struct hostile_fuzz *f = data;
	int i;

	for (i = 0; i < 64; i++)
		fuzz_one(f);
}

/* Whatever the calls left loaded, put it back, on every CPU. */
static void fuzz_put(void *unused)
{
	struct hostile_call c = {
		.id = __KVM_HOST_SMCCC_FUNC___pkvm_vcpu_put,
	};

	hostile_hvc(&c);
}

/* The vCPU behind one of the writer's file descriptors, or NULL. */
static struct kvm_vcpu *hostile_vcpu_of_fd(struct file *file)
{
	if (!file || !strstr(file_dentry(file)->d_name.name, "kvm-vcpu"))
		return NULL;
	return file->private_data;
}

static void *hostile_saved_sve_state;

/* Point @vcpu's SVE buffer at the unshared page, or put it back. */
static int hostile_swap_sve_state(struct kvm_vcpu *vcpu, bool to_page)
{
	if (to_page == !!hostile_saved_sve_state)
		return -EBUSY;
	if (to_page) {
		hostile_saved_sve_state = vcpu->arch.sve_state;
		vcpu->arch.sve_state = hostile_page;
	} else {
		vcpu->arch.sve_state = hostile_saved_sve_state;
		hostile_saved_sve_state = NULL;
	}
	return 0;
}

static unsigned int hostile_saved_sve_max_vl;

/* Give @vcpu an SVE vector length of @vl bytes, or (0) put KVM's back. */
static int hostile_set_sve_max_vl(struct kvm_vcpu *vcpu, unsigned long vl)
{
	if (!vl == !hostile_saved_sve_max_vl)
		return -EBUSY;
	if (vl) {
		hostile_saved_sve_max_vl = vcpu->arch.sve_max_vl;
		vcpu->arch.sve_max_vl = vl;
	} else {
		vcpu->arch.sve_max_vl = hostile_saved_sve_max_vl;
		hostile_saved_sve_max_vl = 0;
	}
	return 0;
}

static struct kvm_hyp_memcache hostile_saved_memcache;
static bool hostile_memcache_swapped;

/*
 * Make @vcpu's host memcache one page whose head is 8 bytes into the
 * pair's first page, or put KVM's back: EL2 must take no page from it.
 */
static int hostile_swap_memcache(struct kvm_vcpu *vcpu, bool to_pair)
{
	struct kvm_hyp_memcache *mc = &vcpu->arch.pkvm_memcache;

	if (to_pair == hostile_memcache_swapped)
		return -EBUSY;
	if (to_pair) {
		hostile_saved_memcache = *mc;
		mc->head = virt_to_phys(hostile_pair) + 8;
		mc->nr_pages = 1;
	} else {
		*mc = hostile_saved_memcache;
	}
	hostile_memcache_swapped = to_pair;
	return 0;
}

/*
 * Point @vcpu's debug state at @va and mark it dirty. With guest debugging
 * enabled but no hardware breakpoints, KVM's own checks at EL1 let a
 * debug_ptr of any value through to EL2.
 */
static void hostile_set_debug_ptr(struct kvm_vcpu *vcpu, unsigned long va)
{
	vcpu->guest_debug = KVM_GUESTDBG_ENABLE;
	vcpu->arch.debug_ptr = (void *)va;
	vcpu_set_flag(vcpu, DEBUG_DIRTY);
}

/* Change @field of @vcpu's host copy as "vcpu" describes; 0 or -errno. */
static int hostile_vcpu_change(struct kvm_vcpu *vcpu, const char *field,
			       unsigned long val)
{
	if (!strcmp(field, "sve_state"))
		return hostile_swap_sve_state(vcpu, val);
	if (!strcmp(field, "sve_max_vl"))
		return hostile_set_sve_max_vl(vcpu, val);
	if (!strcmp(field, "memcache"))
		return hostile_swap_memcache(vcpu, val);
	if (!strcmp(field, "debug_ptr")) {
		hostile_set_debug_ptr(vcpu, val);
	} else if (!strcmp(field, "debug_save")) {
		vcpu_set_flag(vcpu, DEBUG_STATE_SAVE_SPE);
		vcpu_set_flag(vcpu, DEBUG_STATE_SAVE_TRBE);
	} else if (!strcmp(field, "hcr")) {
		vcpu->arch.hcr_el2 |= val;
	} else if (!strcmp(field, "hcr_clear")) {
		vcpu->arch.hcr_el2 &= ~val;
	} else if (!strcmp(field, "iflags")) {
		vcpu->arch.iflags |= val;
	} else if (!strcmp(field, "vsesr")) {
		vcpu->arch.vsesr_el2 = val;
	} else if (!strcmp(field, "vgic_hcr")) {
		vcpu->arch.vgic_cpu.vgic_v3.vgic_hcr |= val;
	} else if (!strcmp(field, "used_lrs")) {
		vcpu->arch.vgic_cpu.vgic_v3.used_lrs = val;
	} else if (!strcmp(field, "vgic_sre")) {
		vcpu->arch.vgic_cpu.vgic_v3.vgic_sre = val;
	} else {
		return -EINVAL;
	}
	return 0;
}

static ssize_t hostile_vcpu_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	char buf[64], field[16], arg[32];
	struct kvm_vcpu *vcpu;
	unsigned long val;
	struct fd f;
	int fd, ret;

	ret = hostile_copy_line(buf, sizeof(buf), ubuf, len);
	if (ret)
		return ret;
	if (sscanf(buf, "%d %15s %31s", &fd, field, arg) != 3 ||
	    hostile_parse_arg(arg, &val))
		return -EINVAL;
	f = fdget(fd);
	vcpu = hostile_vcpu_of_fd(fd_file(f));
	ret = vcpu ? hostile_vcpu_change(vcpu, field, val) : -EBADF;
	fdput(f);
	return ret ? ret : len;
}

static const struct file_operations hostile_vcpu_fops = {
	.owner = THIS_MODULE,
	.write = hostile_vcpu_write,
};

static struct hostile_fuzz hostile_fuzz_last;

static ssize_t hostile_fuzz_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct hostile_fuzz f = {};
	unsigned long calls;
	char buf[96];
	int cpu, ret;

	ret = hostile_copy_line(buf, sizeof(buf), ubuf, len);
	if (ret)
		return ret;
	if (sscanf(buf, "%lu %llu %lu", &calls, &f.state, &f.handle) != 3 ||
	    !f.state || calls > FUZZ_MAX_CALLS)
		return -EINVAL;

	mutex_lock(&hostile_lock);
	while (f.calls < calls) {
		for_each_online_cpu(cpu)
			smp_call_function_single(cpu, fuzz_on_cpu, &f, true);
		cond_resched();
	}
	on_each_cpu(fuzz_put, NULL, true);
	hostile_fuzz_last = f;
	mutex_unlock(&hostile_lock);
	return len;
}

static ssize_t hostile_fuzz_read(struct file *file, char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char buf[64];
	int n;

	mutex_lock(&hostile_lock);
	n = scnprintf(buf, sizeof(buf), "calls %lu accepted %lu\n",
		      hostile_fuzz_last.calls, hostile_fuzz_last.accepted);
	mutex_unlock(&hostile_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations hostile_fuzz_fops = {
	.owner = THIS_MODULE,
	.write = hostile_fuzz_write,
	.read = hostile_fuzz_read,
};

static int __init pvm_hostile_init(void)
{
	struct page *pool;

	hostile_page = (u8 *)get_zeroed_page(GFP_KERNEL);
	if (!hostile_page)
		return -ENOMEM;
	hostile_pair = (u8 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, 1);
	pool = alloc_pages(GFP_KERNEL | __GFP_ZERO, FUZZ_POOL_ORDER);
	hostile_spare = alloc_pages(GFP_KERNEL | __GFP_ZERO,
				    ilog2(HOSTILE_NR_SPARE));
	if (!pool || !hostile_pair || !hostile_spare) {
		if (pool)
			__free_pages(pool, FUZZ_POOL_ORDER);
		if (hostile_spare)
			__free_pages(hostile_spare, ilog2(HOSTILE_NR_SPARE));
		free_pages((unsigned long)hostile_pair, 1);
		free_page((unsigned long)hostile_page);
		return -ENOMEM;
	}
	fuzz_pool_pfn = page_to_pfn(pool);
	memset(hostile_page, HOSTILE_FILL, PAGE_SIZE);
	memset(hostile_pair, HOSTILE_FILL, PAGE_SIZE);
	hostile_dir = debugfs_create_dir("pvm_hostile", NULL);
	debugfs_create_file("call", 0600, hostile_dir, NULL,
			    &hostile_call_fops);
	debugfs_create_file("page", 0400, hostile_dir, hostile_page,
			    &hostile_page_fops);
	debugfs_create_file("page_phys", 0400, hostile_dir, NULL,
			    &hostile_page_phys_fops);
	debugfs_create_file("pair", 0400, hostile_dir, hostile_pair,
			    &hostile_page_fops);
	debugfs_create_file("pair_probe", 0400, hostile_dir, NULL,
			    &hostile_pair_probe_fops);
	debugfs_create_file("fake_pvm", 0400, hostile_dir, NULL,
			    &hostile_fake_pvm_fops);
	debugfs_create_file("fuzz", 0600, hostile_dir, NULL,
			    &hostile_fuzz_fops);
	debugfs_create_file("pin_flood", 0400, hostile_dir, NULL,
			    &hostile_pin_flood_fops);
	debugfs_create_file("vcpu", 0200, hostile_dir, NULL,
			    &hostile_vcpu_fops);
	pr_warn("pvm_hostile: TEST ONLY, makes arbitrary host->EL2 calls\n");
	return 0;
}

static void __exit pvm_hostile_exit(void)
{
	debugfs_remove_recursive(hostile_dir);
	__free_pages(hostile_spare, ilog2(HOSTILE_NR_SPARE));
	free_pages((unsigned long)hostile_pair, 1);
	free_page((unsigned long)hostile_page);
}

module_init(pvm_hostile_init);
module_exit(pvm_hostile_exit);

MODULE_DESCRIPTION("pvmkit test only: arbitrary host->EL2 calls");
MODULE_LICENSE("GPL");
