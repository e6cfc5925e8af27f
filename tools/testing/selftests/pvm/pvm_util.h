/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal arm64 VM for the pvm tests and benchmarks: a memfd memslot at
 * GUEST_BASE whose first page, the code page, holds a test guest (guest/;
 * by default the writer guest, which stores a pattern over the data pages
 * after it, then exits with an MMIO write). Its parameters are in the code
 * page too; x0 points at them. See pvm_layout.h.
 */
#ifndef PVM_UTIL_H
#define PVM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "pvm_layout.h"

#define PVM_SYSFS	"/sys/kernel/pvm/"
#define PVM_DEBUGFS	"/sys/kernel/debug/pvm/"
#define PVM_MEASUREMENT_SIZE	32

#define ARM64_CORE_REG(x) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
			   KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))

struct vm {
	int kvm, fd, vcpu, memfd;
	unsigned int data_pages;
	uint8_t *mem;		/* the VMM's mapping of the memslot */
	size_t size;		/* of the memslot: the code page and the data */
	struct kvm_run *run;
	int run_size;
};

/* The step vm_run_writer() failed at, for logs. */
extern const char *vm_failed_step;

int vm_create(struct vm *vm, bool protected, unsigned int data_pages);
int vm_map_memfd(struct vm *vm);
int vm_add_memory(struct vm *vm, void *mem, uint32_t flags);
int vm_add_memory_at(struct vm *vm, void *mem, uint64_t ipa, uint32_t flags);
int vcpu_create(struct vm *vm);
int vcpu_set_entry(struct vm *vm, uint64_t pc, uint64_t x0);
int vcpu_create_with(struct vm *vm, uint32_t features);
int vcpu_create_off(struct vm *vm, unsigned int id, struct kvm_run **run);
int vm_prepare_guest(struct vm *vm, bool protected, unsigned int data_pages,
		     const uint32_t *code, const uint32_t *code_end,
		     const void *params, size_t len);
int vm_load_guest(struct vm *vm, bool protected, unsigned int data_pages,
		  const uint32_t *code, const uint32_t *code_end,
		  const void *params, size_t len);
int vm_prepare_writer(struct vm *vm, bool protected, unsigned int data_pages,
		      uint64_t pattern);
int vm_add_image(struct vm *vm, uint64_t ipa, uint64_t size);
int vm_set_dice(struct vm *vm, uint64_t ipa, uint64_t size);
int vm_set_fault_around(struct vm *vm, uint64_t nr_pages);
int vm_measurement(struct vm *vm, uint8_t out[PVM_MEASUREMENT_SIZE]);
int vm_run_to_exit(struct vm *vm);
int vm_run_writer(struct vm *vm, bool protected, unsigned int data_pages,
		  uint64_t pattern);
void vm_destroy(struct vm *vm);
uint8_t *vm_data_page(struct vm *vm, unsigned int i);

uint64_t phys_of(const void *va);
long pvm_sysfs_long(const char *name);
bool pvm_loaded(void);
long proc_kib(const char *path, const char *key);
long mem_available_kib(void);
long mem_free_kib(void);
double now_ns(void);
double median(double *v, int n);
int try_load(const uint64_t *p, uint64_t *out);
bool test_module_load(const char *ko, const char *ready);

#endif /* PVM_UTIL_H */
