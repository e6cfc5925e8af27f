#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make demo": show what pvmkit can do so far.

step()
{
	echo
	echo "### $*"
}

step "The host kernel, booted by QEMU with EL2 available"
uname -a
cat /proc/cmdline

step "KVM runs in protected mode: the host is deprivileged under pKVM"
dmesg | grep -E "Protected KVM|Protected [hn]VHE mode" | sed 's/^\[[ 0-9.]*\] //'

step "Nested KVM works under pKVM: upstream selftests create and run guests"
cd /kselftest/kvm || exit 1
for t in hypercalls psci_test; do
	if ./$t > /tmp/out 2>&1; then
		echo "PASS  $t"
	else
		echo "FAIL  $t"
		tail -5 /tmp/out
		exit 1
	fi
done

step "pvmm reports what this host supports"
pvmm info

step "pvmm boots the same kernel as a guest, and they talk over vsock"
cd /kselftest/pvm || exit 1
./pvmm_test -r pvmm.boot_to_init -r pvmm.vsock_host_to_guest \
	-r pvmm.vsock_guest_to_host | grep -E "^(ok|not ok)|Totals"
