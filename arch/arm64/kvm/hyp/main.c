// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvm.ko's EL2 part: entry point and host hypercalls. The guest ABI is in
 * guest_hvc.c.
 *
 * This code runs in the hypervisor, loaded after pKVM's finalisation by the
 * EL2 module loader once its digest matched a boot-time pin. It imports no
 * symbols: everything it needs from the hypervisor comes through the ops
 * table handed to pvm_hyp_init().
 */
#include <linux/bitfield.h>
#include <linux/errno.h>

#include <asm/kvm_pkvm_module.h>
#include <asm/sysreg.h>

#include <pvm/hcall.h>
#include <pvm/hyp.h>

/* CurrentEL, by its encoding: the kernel's sysreg.h has no name for it. */
#define SYS_CURRENT_EL		sys_reg(3, 0, 4, 2, 2)
#define CURRENT_EL_EL		GENMASK(3, 2)

const struct pkvm_el2_module_ops *pvm_hyp_ops;
static struct pkvm_el2_spinlock info_lock;
static u64 info_calls;

static long pvm_hcall_info(struct pkvm_el2_module_hcall_args *args)
{
	u64 calls;

	pvm_hyp_ops->spin_lock(&info_lock);
	calls = ++info_calls;
	pvm_hyp_ops->spin_unlock(&info_lock);

	args->out[0] = PVM_HYP_ABI_VERSION;
	args->out[1] = FIELD_GET(CURRENT_EL_EL, read_sysreg_s(SYS_CURRENT_EL));
	args->out[2] = calls;
	return 0;
}

static long pvm_hcall_measurement(struct pkvm_el2_module_hcall_args *args)
{
	u8 digest[PKVM_EL2_MEASUREMENT_SIZE];
	u64 half = args->in[1];
	int ret;

	if (half > 1)
		return -EINVAL;
	ret = pvm_hyp_ops->vm_measurement(args->in[0], digest);
	if (ret)
		return ret;
	pvm_hyp_ops->memcpy(&args->out[0], &digest[16 * half], 16);
	return 0;
}

int pvm_hyp_init(const struct pkvm_el2_module_ops *ops);
int pvm_hyp_init(const struct pkvm_el2_module_ops *ops)
{
	int ret;

	if (ops->version != PKVM_EL2_MODULE_OPS_VERSION ||
	    ops->size < sizeof(*ops))
		return -EOPNOTSUPP;

	pvm_hyp_ops = ops;
	ret = ops->register_host_hcall(PVM_HCALL_INFO, pvm_hcall_info);
	if (ret)
		return ret;
	ret = ops->register_host_hcall(PVM_HCALL_MEASUREMENT,
				       pvm_hcall_measurement);
	if (ret)
		return ret;
	return ops->register_guest_hvc(pvm_guest_hvc);
}
