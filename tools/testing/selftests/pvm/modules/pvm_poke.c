// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvm_poke: TEST ONLY. Writes one byte at a physical address through the
 * kernel's linear map, to show that a host write to memory the hypervisor
 * owns is stopped by pKVM (as a host stage-2 fault injected back into the
 * kernel, hence an oops in insmod) instead of landing.
 *
 *   insmod pvm_poke.ko phys=0x...
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>

static unsigned long phys;
module_param(phys, ulong, 0);
MODULE_PARM_DESC(phys, "physical address to write one byte to");

static int __init pvm_poke_init(void)
{
	u8 *p;

	if (!phys || !pfn_valid(PHYS_PFN(phys))) {
		pr_err("pvm_poke: phys=0x%lx is not RAM\n", phys);
		return -EINVAL;
	}
	p = phys_to_virt(phys);
	pr_info("pvm_poke: writing to 0x%lx\n", phys);
	WRITE_ONCE(*p, 0xa5);
	pr_info("pvm_poke: the write landed\n");
	/* Never stay loaded: this module has nothing else to do. */
	return -EIO;
}
module_init(pvm_poke_init);

MODULE_DESCRIPTION("pvmkit test only: write to a physical address");
MODULE_LICENSE("GPL");
