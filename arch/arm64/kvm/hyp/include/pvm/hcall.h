/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host hypercalls that pvm.ko's EL2 part registers, shared by its EL1 and
 * EL2 parts. Numbers are per-module (pkvm_el2_module_hcall() takes the
 * module's handle), so they start at 0.
 */
#ifndef __PVM_HCALL_H__
#define __PVM_HCALL_H__

/* Version of the interface between pvm.ko's EL1 and EL2 parts. */
#define PVM_HYP_ABI_VERSION	1

/*
 * PVM_HCALL_INFO: no arguments.
 *   out[0] = PVM_HYP_ABI_VERSION
 *   out[1] = CurrentEL.EL as read at EL2 (2 when running in the hypervisor)
 *   out[2] = number of PVM_HCALL_INFO calls so far, this one included,
 *            counted in the EL2 part's own data
 */
#define PVM_HCALL_INFO		0

/*
 * PVM_HCALL_MEASUREMENT: in[0] = the VM's handle, in[1] = 0 or 1.
 *   out[0], out[1] = bytes 16 * in[1] .. 16 * in[1] + 15 of the VM's
 *   launch measurement, 8 a word, the first byte lowest
 *   returns -ENOENT for no such VM, -EBUSY before its first run
 */
#define PVM_HCALL_MEASUREMENT	1

#define PVM_HCALL_NR		2

#endif /* __PVM_HCALL_H__ */
