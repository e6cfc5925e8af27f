/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __PVM_H__
#define __PVM_H__

#include <linux/atomic.h>

#include <asm/kvm_pkvm_module.h>

/* The loaded EL2 part: set once by pvm_hyp_load(), never cleared. */
extern struct pkvm_el2_module_info pvm_hyp;

int pvm_hyp_load(void);
long pvm_hyp_info(u64 *abi, u64 *current_el, u64 *calls);
int pvm_hyp_measurement(u64 handle, u64 *words);

int pvm_sysfs_init(void);
void pvm_debugfs_init(void);

/* Protected VM policy (pvm_vm.c) and its counters, shown in sysfs. */
int pvm_vm_register(void);
extern atomic64_t pvm_pages_donated;
extern atomic64_t pvm_pages_scrubbed;
extern atomic_t pvm_vms_alive;

#endif /* __PVM_H__ */
