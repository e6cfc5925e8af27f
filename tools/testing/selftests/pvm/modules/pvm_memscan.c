// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvm_memscan: TEST ONLY. Plays the compromised host kernel looking for a
 * secret: it reads every page of System RAM it can, as any host code can,
 * and counts the places a byte string appears. Pages the hypervisor took
 * from the host (its own, and protected guests') fault, and are counted as
 * unreadable.
 *
 * /sys/kernel/debug/pvm_memscan/scan
 *   write "MASK HEX": look for the bytes HEX (at most 64), each XORed
 *         with the byte MASK. The caller never holds the secret itself,
 *         only its masked form, so that its own copy cannot be found.
 *   read  "pages N unreadable N hits N first 0xPHYS" of the last scan.
 */
#include <linux/debugfs.h>
#include <linux/hex.h>
#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define SCAN_MAX_NEEDLE		64

struct scan {
	u8 masked[SCAN_MAX_NEEDLE];
	size_t len;
	u8 mask;
	u8 *copy;			/* one page */
	unsigned long pages;
	unsigned long unreadable;
	unsigned long hits;
	phys_addr_t first;
};

static struct dentry *scan_dir;
static DEFINE_MUTEX(scan_lock);
static struct scan scan_last;

/* Does @p hold the needle? Compared masked: the needle is never built. */
static bool scan_match(const struct scan *s, const u8 *p)
{
	size_t i;

	for (i = 0; i < s->len; i++) {
		if ((p[i] ^ s->mask) != s->masked[i])
			return false;
	}
	return true;
}

/* Count the needles that start in the page copy; a needle may run over. */
static void scan_page(struct scan *s, phys_addr_t phys)
{
	u8 first = s->masked[0] ^ s->mask;
	const u8 *end = s->copy + PAGE_SIZE - s->len + 1;
	const u8 *p = s->copy;

	while (p < end) {
		p = memchr(p, first, end - p);
		if (!p)
			return;
		if (scan_match(s, p)) {
			if (!s->hits)
				s->first = phys + (p - s->copy);
			s->hits++;
		}
		p++;
	}
}

/*
 * Every page of RAM in the linear map, as any host code can read it. A
 * kernel built for 52-bit VAs on a CPU without them biases PHYS_OFFSET
 * below zero: start at 0 then.
 */
static void scan_ram(struct scan *s)
{
	unsigned long pfn = PHYS_PFN(max_t(s64, PHYS_OFFSET, 0));
	unsigned long end = PHYS_PFN(__pa(high_memory - 1)) + 1;

	for (; pfn < end; pfn++) {
		if (!pfn_valid(pfn) || !page_is_ram(pfn))
			continue;
		s->pages++;
		if (copy_from_kernel_nofault(s->copy,
					     page_address(pfn_to_page(pfn)),
					     PAGE_SIZE)) {
			s->unreadable++;
			continue;
		}
		scan_page(s, PFN_PHYS(pfn));
		cond_resched();
	}
}

/* "MASK HEX" */
static int scan_parse(char *line, struct scan *s)
{
	char *mask = strsep(&line, " ");
	char *hex = strim(line ? line : "");
	unsigned int m;
	size_t len = strlen(hex);

	if (kstrtouint(mask, 0, &m) || m > 0xff || !len || len % 2 ||
	    len / 2 > SCAN_MAX_NEEDLE || hex2bin(s->masked, hex, len / 2))
		return -EINVAL;
	s->mask = m;
	s->len = len / 2;
	return 0;
}

static ssize_t scan_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	struct scan s = { };
	char buf[2 * SCAN_MAX_NEEDLE + 16];
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	ret = scan_parse(buf, &s);
	if (ret)
		return ret;

	s.copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!s.copy)
		return -ENOMEM;
	scan_ram(&s);
	memzero_explicit(s.copy, PAGE_SIZE);
	kfree(s.copy);
	s.copy = NULL;

	mutex_lock(&scan_lock);
	scan_last = s;
	mutex_unlock(&scan_lock);
	return len;
}

static ssize_t scan_read(struct file *file, char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	char buf[128];
	int n;

	mutex_lock(&scan_lock);
	n = scnprintf(buf, sizeof(buf),
		      "pages %lu unreadable %lu hits %lu first %pa\n",
		      scan_last.pages, scan_last.unreadable, scan_last.hits,
		      &scan_last.first);
	mutex_unlock(&scan_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations scan_fops = {
	.owner = THIS_MODULE,
	.write = scan_write,
	.read = scan_read,
};

static int __init pvm_memscan_init(void)
{
	scan_dir = debugfs_create_dir("pvm_memscan", NULL);
	debugfs_create_file("scan", 0600, scan_dir, NULL, &scan_fops);
	pr_warn("pvm_memscan: TEST ONLY, reads all host memory\n");
	return 0;
}

static void __exit pvm_memscan_exit(void)
{
	debugfs_remove_recursive(scan_dir);
}

module_init(pvm_memscan_init);
module_exit(pvm_memscan_exit);

MODULE_DESCRIPTION("pvmkit test only: search all host memory for a secret");
MODULE_LICENSE("GPL");
