// SPDX-License-Identifier: GPL-2.0
/*
 * "pvmm info": which kinds of VM this host can run, in the spirit of
 * AVF's capability query.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "exit_code.h"
#include "kvm_pvm.h"
#include "vmm.h"

static int check_ext(int fd, unsigned long cap)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

/* A throwaway VM that must accept a GICv3 and PSCI 0.2 vCPUs. */
static const char *check_plain(int kvm)
{
	struct kvm_create_device cd = {
		.type = KVM_DEV_TYPE_ARM_VGIC_V3,
		.flags = KVM_CREATE_DEVICE_TEST,
	};
	const char *why = NULL;
	int vm;

	if (!check_ext(kvm, KVM_CAP_ARM_PSCI_0_2)) {
		return "no KVM_CAP_ARM_PSCI_0_2";
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		return "KVM_CREATE_VM failed";
	}
	if (ioctl(vm, KVM_CREATE_DEVICE, &cd)) {
		why = "no in-kernel GICv3";
	}
	close(vm);
	return why;
}

/* Exit status 0 when KVM could be asked, PVMM_EXIT_ERROR when not. */
int vmm_info(void)
{
	const char *why;
	int kvm, ipa;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("kvm: unavailable (/dev/kvm: %s)\n", strerror(errno));
		printf("non-protected VMs: not supported\n");
		printf("protected VMs: not supported\n");
		return PVMM_EXIT_ERROR;
	}
	ipa = check_ext(kvm, KVM_CAP_ARM_VM_IPA_SIZE);
	printf("kvm: API %d, IPA up to %d bits\n",
	       ioctl(kvm, KVM_GET_API_VERSION, 0), ipa ? ipa : 40);
	why = check_plain(kvm);
	if (why) {
		printf("non-protected VMs: not supported (%s)\n", why);
	} else {
		printf("non-protected VMs: supported\n");
	}
	if (check_ext(kvm, KVM_CAP_ARM_PROTECTED_VM) > 0) {
		printf("protected VMs: supported\n");
	} else {
		printf("protected VMs: not supported (no KVM_CAP_ARM_PROTECTED_VM)\n");
	}
	close(kvm);
	return 0;
}
