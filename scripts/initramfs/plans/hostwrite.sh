#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of make check's host-write boot (pvmkit.destructive=hostwrite):
# a host write to pvm.ko's loaded EL2 image, or to the SMMU's registers,
# must be stopped; KVM must still run guests, and the SMMU still confine
# DMA, afterwards.
cd /kselftest || exit 1
./run_kselftest.sh -o 300 -t pvm:el2_image_write.sh -t pvm:smmu_mmio.sh
./run_kselftest.sh -o 300 -t pvm:pvm_dma_test -t kvm:hypercalls -t kvm:psci_test \
	-t kvm:vcpu_width_config
