// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/pvm: what pvm.ko's EL2 part is, for debugging and
 * tests, never an ABI.
 *
 *   el2_hyp_va  hyp VA of its text, for symbolising EL2 addresses
 *   el2_phys    physical address of the image, owned by EL2
 *   el2_call    each read makes one call into EL2 and shows its answer,
 *               "abi N current_el N calls N"; calls counts them
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/pfn.h>
#include <linux/seq_file.h>

#include "pvm.h"

static int el2_hyp_va_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "0x%lx\n", pvm_hyp.hyp_va);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(el2_hyp_va);

static int el2_phys_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "0x%llx\n", (u64)PFN_PHYS(pvm_hyp.pfn));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(el2_phys);

static int el2_call_show(struct seq_file *m, void *unused)
{
	u64 abi, current_el, calls;
	long ret;

	ret = pvm_hyp_info(&abi, &current_el, &calls);
	if (ret)
		return ret;
	seq_printf(m, "abi %llu current_el %llu calls %llu\n", abi,
		   current_el, calls);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(el2_call);

/* Never removed: the module cannot be unloaded once its EL2 part is in. */
void pvm_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("pvm", NULL);

	debugfs_create_file("el2_hyp_va", 0400, dir, NULL, &el2_hyp_va_fops);
	debugfs_create_file("el2_phys", 0400, dir, NULL, &el2_phys_fops);
	debugfs_create_file("el2_call", 0400, dir, NULL, &el2_call_fops);
}
