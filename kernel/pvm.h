/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __PVM_H__
#define __PVM_H__

#include <asm/kvm_pkvm_module.h>

/* The loaded EL2 part: set once by pvm_hyp_load(), never cleared. */
extern struct pkvm_el2_module_info pvm_hyp;

int pvm_hyp_load(void);
long pvm_hyp_info(u64 *abi, u64 *current_el, u64 *calls);

int pvm_sysfs_init(void);

#endif /* __PVM_H__ */
