// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvm.ko: protected VMs for KVM/arm64 (pvmkit).
 *
 * At load, the EL1 part hands the EL2 part to the hypervisor. Hypervisor
 * code cannot be taken back out, so the module has no exit function and
 * the module loader refuses rmmod with -EBUSY.
 */
#define pr_fmt(fmt) "pvm: " fmt

#include <linux/module.h>

#include "pvm.h"

static int __init pvm_init(void)
{
	int ret;

	ret = pvm_hyp_load();
	if (ret)
		return ret;
	/*
	 * From here on the EL2 part stays loaded whatever happens, so a
	 * failure below must not fail the load: it would leave EL2 code
	 * behind with no module to own it.
	 */
	ret = pvm_vm_register();
	if (ret)
		pr_warn("protected VMs unavailable: cannot register with KVM: %d\n",
			ret);
	ret = pvm_sysfs_init();
	if (ret)
		pr_warn("no /sys/kernel/pvm: %d\n", ret);
	pvm_debugfs_init();
	return 0;
}
module_init(pvm_init);

MODULE_DESCRIPTION("pvmkit: protected VMs for KVM/arm64");
MODULE_LICENSE("GPL");
