/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the files of pvm.ko's EL2 part, and only by them.
 */
#ifndef __PVM_HYP_H__
#define __PVM_HYP_H__

#include <asm/kvm_pkvm_module.h>

/* The hypervisor's services, from pvm_hyp_init(). */
extern const struct pkvm_el2_module_ops *pvm_hyp_ops;

bool pvm_guest_hvc(struct pkvm_el2_guest_hvc *hvc);

#endif /* __PVM_HYP_H__ */
