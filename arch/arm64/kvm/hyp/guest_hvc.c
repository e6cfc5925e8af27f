// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pKVM guest ABI, answered at EL2 for protected guests: the vendor
 * hypervisor services that 6.12's pkvm-guest driver uses. The host never
 * sees these calls.
 *
 * Each call is decoded and its arguments checked first, and only then
 * carried out: a guest's bad arguments get INVALID_PARAMETER, and change
 * nothing. Calls not listed here are not taken, and exit to the host.
 * MEM_RELINQUISH, once carried out, exits to the host too, for it to unpin
 * the page; the guest gets EL2's answer.
 */
#include <linux/arm-smccc.h>
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/errno.h>

#include <asm/page-def.h>

#include <pvm/hyp.h>

/* The services this hypervisor offers, for the FEATURES bitmap. */
#define PVM_GUEST_FEATURES	(BIT(ARM_SMCCC_KVM_FUNC_FEATURES) |	\
				 BIT(ARM_SMCCC_KVM_FUNC_HYP_MEMINFO) |	\
				 BIT(ARM_SMCCC_KVM_FUNC_MEM_SHARE) |	\
				 BIT(ARM_SMCCC_KVM_FUNC_MEM_UNSHARE) |	\
				 BIT(ARM_SMCCC_KVM_FUNC_MMIO_GUARD) |	\
				 BIT(ARM_SMCCC_KVM_FUNC_MEM_RELINQUISH))

static void hvc_return(struct pkvm_el2_guest_hvc *hvc, u64 a0, u64 a1,
		       u64 a2, u64 a3)
{
	hvc->regs[0] = a0;
	hvc->regs[1] = a1;
	hvc->regs[2] = a2;
	hvc->regs[3] = a3;
}

static void hvc_return_one(struct pkvm_el2_guest_hvc *hvc, u64 a0)
{
	hvc_return(hvc, a0, 0, 0, 0);
}

/* Arguments @first..x3 must be zero (reserved, "must be zero"). */
static bool hvc_args_zero_from(struct pkvm_el2_guest_hvc *hvc, int first)
{
	int i;

	for (i = first; i < ARRAY_SIZE(hvc->regs); i++) {
		if (hvc->regs[i])
			return false;
	}
	return true;
}

/* Functions 96-127 of the FEATURES bitmap, which x3 holds. */
#define PVM_GUEST_FEATURES_3	BIT(ARM_SMCCC_KVM_FUNC_PVMKIT_MEASUREMENT - 96)

static void hvc_features(struct pkvm_el2_guest_hvc *hvc)
{
	hvc_return(hvc, PVM_GUEST_FEATURES, 0, 0, PVM_GUEST_FEATURES_3);
}

static void hvc_uid(struct pkvm_el2_guest_hvc *hvc)
{
	hvc_return(hvc, ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0,
		   ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1,
		   ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2,
		   ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3);
}

static void hvc_meminfo(struct pkvm_el2_guest_hvc *hvc)
{
	if (!hvc_args_zero_from(hvc, 1)) {
		hvc_return_one(hvc, SMCCC_RET_INVALID_PARAMETER);
		return;
	}
	hvc_return_one(hvc, PAGE_SIZE);
}

/*
 * MEM_SHARE, MEM_UNSHARE and MMIO_GUARD: x1 = the IPA of one page,
 * x2 = x3 = 0. Returns false if the call needs a page the guest has not
 * touched yet (-EAGAIN): the host is to map it, then the guest calls again.
 */
static bool hvc_page_call(struct pkvm_el2_guest_hvc *hvc,
			  int (*call)(void *vcpu, u64 ipa))
{
	u64 ipa = hvc->regs[1];
	int ret;

	if (!hvc_args_zero_from(hvc, 2)) {
		hvc_return_one(hvc, SMCCC_RET_INVALID_PARAMETER);
		return true;
	}

	ret = call(hvc->vcpu, ipa);
	if (ret == -EAGAIN)
		return false;

	hvc_return_one(hvc, ret ? SMCCC_RET_INVALID_PARAMETER :
			      SMCCC_RET_SUCCESS);
	return true;
}

/*
 * MEM_RELINQUISH: x1 = the IPA of a page the guest owns, x2 = x3 = 0.
 * Returns false once the page is given back: the host is to see the call.
 */
static bool hvc_relinquish(struct pkvm_el2_guest_hvc *hvc)
{
	u64 ipa = hvc->regs[1];

	if (!hvc_args_zero_from(hvc, 2) ||
	    pvm_hyp_ops->guest_relinquish(hvc->vcpu, ipa)) {
		hvc_return_one(hvc, SMCCC_RET_INVALID_PARAMETER);
		return true;
	}
	return false;
}

/*
 * PVMKIT_MEASUREMENT: x1 = 0 or 1, x2 = x3 = 0. Returns in x1 and x2 bytes
 * 16 * x1 .. 16 * x1 + 15 of the VM's launch measurement, 8 a register,
 * the first byte lowest.
 */
static void hvc_measurement(struct pkvm_el2_guest_hvc *hvc)
{
	u8 digest[PKVM_EL2_MEASUREMENT_SIZE];
	u64 half = hvc->regs[1];
	u64 words[2];

	if (half > 1 || !hvc_args_zero_from(hvc, 2) ||
	    pvm_hyp_ops->guest_measurement(hvc->vcpu, digest)) {
		hvc_return_one(hvc, SMCCC_RET_INVALID_PARAMETER);
		return;
	}
	pvm_hyp_ops->memcpy(words, &digest[16 * half], sizeof(words));
	hvc_return(hvc, SMCCC_RET_SUCCESS, words[0], words[1], 0);
}

bool pvm_guest_hvc(struct pkvm_el2_guest_hvc *hvc)
{
	switch (hvc->regs[0]) {
	case ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID:
		hvc_features(hvc);
		return true;
	case ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID:
		hvc_uid(hvc);
		return true;
	case ARM_SMCCC_VENDOR_HYP_KVM_HYP_MEMINFO_FUNC_ID:
		hvc_meminfo(hvc);
		return true;
	case ARM_SMCCC_VENDOR_HYP_KVM_MEM_SHARE_FUNC_ID:
		return hvc_page_call(hvc, pvm_hyp_ops->guest_share_host);
	case ARM_SMCCC_VENDOR_HYP_KVM_MEM_UNSHARE_FUNC_ID:
		return hvc_page_call(hvc, pvm_hyp_ops->guest_unshare_host);
	case ARM_SMCCC_VENDOR_HYP_KVM_MMIO_GUARD_FUNC_ID:
		return hvc_page_call(hvc, pvm_hyp_ops->guest_mmio_guard);
	case ARM_SMCCC_VENDOR_HYP_KVM_MEM_RELINQUISH_FUNC_ID:
		return hvc_relinquish(hvc);
	case ARM_SMCCC_VENDOR_HYP_KVM_PVMKIT_MEASUREMENT_FUNC_ID:
		hvc_measurement(hvc);
		return true;
	default:
		return false;
	}
}
