// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/pvm: what pvm.ko loaded at EL2, and what protected VMs hold.
 * Documentation/ABI/testing/sysfs-kernel-pvm describes each file; debug
 * addresses and the EL2 call test are in debugfs (debugfs.c).
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include <asm/kvm_pkvm.h>

#include "pvm.h"

static ssize_t el2_digest_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "sha256:%*phN\n", (int)sizeof(pvm_hyp.digest),
			  pvm_hyp.digest);
}

static ssize_t pages_donated_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&pvm_pages_donated));
}

static ssize_t pages_scrubbed_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&pvm_pages_scrubbed));
}

static ssize_t pvms_alive_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&pvm_vms_alive));
}

/* One call into EL2: "pages" or "vms" from __pkvm_hyp_vm_stats. */
static ssize_t el2_vm_stat_show(char *buf, bool pages)
{
	u64 nr_pages, nr_vms;
	int ret;

	ret = pkvm_el2_vm_stats(&nr_pages, &nr_vms);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%llu\n", pages ? nr_pages : nr_vms);
}

static ssize_t el2_vm_pages_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return el2_vm_stat_show(buf, true);
}

static ssize_t el2_vms_show(struct kobject *kobj,
			    struct kobj_attribute *attr, char *buf)
{
	return el2_vm_stat_show(buf, false);
}

static struct kobj_attribute el2_vm_pages_attr = __ATTR_RO(el2_vm_pages);
static struct kobj_attribute el2_vms_attr = __ATTR_RO(el2_vms);
static struct kobj_attribute pages_donated_attr = __ATTR_RO(pages_donated);
static struct kobj_attribute pages_scrubbed_attr = __ATTR_RO(pages_scrubbed);
static struct kobj_attribute pvms_alive_attr = __ATTR_RO(pvms_alive);
static struct kobj_attribute el2_digest_attr = __ATTR_RO(el2_digest);

static struct attribute *pvm_attrs[] = {
	&el2_digest_attr.attr,
	&pages_donated_attr.attr,
	&pages_scrubbed_attr.attr,
	&pvms_alive_attr.attr,
	&el2_vm_pages_attr.attr,
	&el2_vms_attr.attr,
	NULL,
};

static const struct attribute_group pvm_attr_group = {
	.attrs = pvm_attrs,
};

/* Never removed: the module cannot be unloaded once its EL2 part is in. */
int pvm_sysfs_init(void)
{
	struct kobject *kobj;
	int ret;

	kobj = kobject_create_and_add("pvm", kernel_kobj);
	if (!kobj)
		return -ENOMEM;
	ret = sysfs_create_group(kobj, &pvm_attr_group);
	if (ret)
		kobject_put(kobj);
	return ret;
}
