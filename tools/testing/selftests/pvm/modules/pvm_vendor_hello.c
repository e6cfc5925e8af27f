// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvm_vendor_hello: TEST ONLY. The vendor kernel module of the example
 * vendor image (scripts/build-initramfs puts it in /vendor/lib/modules).
 * The guest's first-stage init loads it from the dm-verity checked
 * /vendor; its only job is to say that it was loaded, so the tests can tell
 * a verified load from a refused one.
 */
#include <linux/module.h>

static int __init pvm_vendor_hello_init(void)
{
	pr_info("pvm_vendor_hello: loaded from the vendor partition\n");
	return 0;
}

static void __exit pvm_vendor_hello_exit(void)
{
}

module_init(pvm_vendor_hello_init);
module_exit(pvm_vendor_hello_exit);
MODULE_DESCRIPTION("pvmkit test: a vendor module loaded by a guest");
MODULE_LICENSE("GPL");
