// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading pvm.ko's EL2 part, and calling it.
 *
 * The image is embedded in the module's .hyp.image section at build time.
 * The kernel's EL2 module loader donates a copy to the hypervisor, which
 * accepts it only if its SHA-256 digest was pinned on the command line with
 * kvm-arm.hyp_modules=; otherwise it says -EPERM and maps nothing.
 */
#define pr_fmt(fmt) "pvm: " fmt

#include <linux/kvm_host.h>
#include <linux/module.h>

#include <pvm/hcall.h>

#include "pvm.h"

extern const u8 PKVM_EL2_MODULE_IMAGE_START(pvm_hyp)[];
extern const u8 PKVM_EL2_MODULE_IMAGE_END(pvm_hyp)[];

struct pkvm_el2_module_info pvm_hyp;

int pvm_hyp_load(void)
{
	const u8 *start = PKVM_EL2_MODULE_IMAGE_START(pvm_hyp);
	const u8 *end = PKVM_EL2_MODULE_IMAGE_END(pvm_hyp);

	if (!is_protected_kvm_enabled()) {
		pr_err("KVM is not in protected mode (boot with kvm-arm.mode=protected)\n");
		return -EOPNOTSUPP;
	}
	/* The loader logs the outcome, with the image's digest, in one line. */
	return pkvm_load_el2_module(THIS_MODULE, start, end - start, &pvm_hyp);
}

long pvm_hyp_info(u64 *abi, u64 *current_el, u64 *calls)
{
	struct pkvm_el2_module_hcall_args args = { };
	long ret;

	ret = pkvm_el2_module_hcall(pvm_hyp.handle, PVM_HCALL_INFO, &args);
	if (ret)
		return ret;
	*abi = args.out[0];
	*current_el = args.out[1];
	*calls = args.out[2];
	return 0;
}

/* @words: the measurement of the VM with EL2 handle @handle, 32 bytes. */
int pvm_hyp_measurement(u64 handle, u64 *words)
{
	struct pkvm_el2_module_hcall_args args = { .in = { handle } };
	long ret;
	int half;

	for (half = 0; half < 2; half++) {
		args.in[1] = half;
		ret = pkvm_el2_module_hcall(pvm_hyp.handle,
					    PVM_HCALL_MEASUREMENT, &args);
		if (ret)
			return ret;
		words[2 * half] = args.out[0];
		words[2 * half + 1] = args.out[1];
	}
	return 0;
}
