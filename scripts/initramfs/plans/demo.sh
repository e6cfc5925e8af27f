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
echo "kvm-arm.mode = $(cat /sys/module/kvm/parameters/mode)"
dmesg | grep -E "kvm \[[0-9]+\]: (Protected|Hyp|GICv3|vgic)" | sed 's/^\[[ 0-9.]*\] //'

step "Nested KVM works under pKVM: upstream selftests create and run guests"
cd /kselftest/kvm || exit 1
for t in hypercalls psci_test; do
	if ./$t > /tmp/out 2>&1; then
		echo "PASS  $t ($(grep -c '^ok' /tmp/out) subtests ok)"
	else
		echo "FAIL  $t"
		tail -5 /tmp/out
		exit 1
	fi
done

if [ -x /usr/bin/pvmm ]; then
	step "pvmm reports what this host supports"
	pvmm info
fi
