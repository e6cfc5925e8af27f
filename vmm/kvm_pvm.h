/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protected VM ABI numbers that the upstream uapi headers do not have.
 *
 * Both are Android's out-of-tree values (the Android common kernel's
 * arch/arm64/include/uapi/asm/kvm.h and include/uapi/linux/kvm.h). They are
 * defined here and only here, and go away once the kernel tree used to
 * build pvmm provides them.
 */
#ifndef PVMM_KVM_PVM_H
#define PVMM_KVM_PVM_H

#include <linux/kvm.h>

#include "base.h"

#ifndef KVM_VM_TYPE_ARM_PROTECTED
#define KVM_VM_TYPE_ARM_PROTECTED	BIT(31)
#endif

#ifndef KVM_CAP_ARM_PROTECTED_VM
#define KVM_CAP_ARM_PROTECTED_VM	0xffbadab1
#endif

#endif /* PVMM_KVM_PVM_H */
