// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvm_regpoke: TEST ONLY. Writes a 32-bit 0 to a device register through
 * ioremap(): the SMMU's CR0, say, which would turn DMA translation off. In
 * protected mode the hypervisor owns the SMMU's registers, so the write must
 * be stopped (a host stage-2 fault injected back into the kernel, hence an
 * oops in insmod) instead of landing. A module of its own, not pvm_poke
 * with a flag: a module whose init oopsed cannot be loaded again.
 *
 *   insmod pvm_regpoke.ko phys=0x...
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>

static unsigned long phys;
module_param(phys, ulong, 0);
MODULE_PARM_DESC(phys, "physical address of the register to write 0 to");

static int __init pvm_regpoke_init(void)
{
	void __iomem *reg;

	if (!phys || pfn_valid(PHYS_PFN(phys))) {
		pr_err("pvm_regpoke: phys=0x%lx is not a device register\n",
		       phys);
		return -EINVAL;
	}
	reg = ioremap(phys, sizeof(u32));
	if (!reg)
		return -ENOMEM;
	pr_info("pvm_regpoke: writing to register 0x%lx\n", phys);
	writel(0, reg);
	pr_info("pvm_regpoke: the write landed\n");
	iounmap(reg);
	/* Never stay loaded: this module has nothing else to do. */
	return -EIO;
}
module_init(pvm_regpoke_init);

MODULE_DESCRIPTION("pvmkit test only: write to a device register");
MODULE_LICENSE("GPL");
