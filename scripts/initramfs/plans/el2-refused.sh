#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of make check's refusal boots (no pin, a wrong pin, KVM not in
# protected mode): pvm.ko must be refused as el2_module.sh expects from
# pvmkit.el2mod=, and KVM must still run guests afterwards. Two runs, since
# run_kselftest.sh orders collections by name, not as asked.
cd /kselftest || exit 1
./run_kselftest.sh -o 300 -t pvm:el2_module.sh
# Without pvm.ko, the protected VM type must be refused (the rest skips).
./run_kselftest.sh -o 300 -t pvm:pvm_memory_test
# Nor may a host that goes around KVM get a protected VM from EL2.
./run_kselftest.sh -o 300 -t pvm:pvm_hostile_test
./run_kselftest.sh -o 300 -t kvm:hypercalls -t kvm:psci_test \
	-t kvm:vcpu_width_config
