/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A KVM/arm64 virtual machine: the VM fd, its RAM and its GICv3.
 */
#ifndef PVMM_VM_H
#define PVMM_VM_H

#include "gmem.h"
#include "base.h"

/* A protected VM's DICE region: one page holds EL2's handover. */
#define VM_DICE_SIZE		SZ_4K

/* A protected VM's launch measurement: SHA-256, computed by EL2. */
#define VM_MEASUREMENT_SIZE	32

struct vm {
	int kvm_fd;
	int vm_fd;
	int gic_fd;
	int ram_fd;
	unsigned int ipa_bits;
	bool protected;
	struct gmem ram;
};

int kvm_open(int *fd);
unsigned int vm_ipa_bits_for(u64 ram_end);
int vm_create(struct vm *vm, u64 ram_size, bool protected);
int vm_create_gic(struct vm *vm, unsigned int nr_vcpus);
int vm_add_image_region(struct vm *vm, u64 gpa, u64 size);
int vm_measurement(struct vm *vm, u8 out[VM_MEASUREMENT_SIZE]);
int vm_set_dice_region(struct vm *vm, u64 gpa, u64 size);
void vm_set_fault_around(struct vm *vm, u64 nr_pages);
int vm_init_gic(struct vm *vm);
bool vm_has_cap(struct vm *vm, long cap);
int vm_set_irq(struct vm *vm, u32 intid, bool level);
void vm_destroy(struct vm *vm);

#endif /* PVMM_VM_H */
