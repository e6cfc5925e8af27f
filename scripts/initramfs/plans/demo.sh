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

step "pvm.ko brings hypervisor code, accepted only with the pin given at boot"
tr ' ' '\n' < /proc/cmdline | grep '^kvm-arm.hyp_modules='
insmod /pvmkit/pvm.ko || exit 1
dmesg | grep "pvm: EL2 image" | sed 's/^\[[ 0-9.]*\] //'
echo "EL2 call: $(cat /sys/kernel/pvm/el2_info)"
echo "EL2 call: $(cat /sys/kernel/pvm/el2_info)"
if rmmod pvm 2>/dev/null; then
	echo "rmmod pvm: unexpectedly allowed"
else
	echo "rmmod pvm: refused, hypervisor code stays"
fi

step "A protected VM: its memory is donated, the host cannot read it"
cd /kselftest/pvm || exit 1
./pvm_memory_test -r pvm.host_load_faults -r pvm.syscalls_get_efault \
	-r pvm.teardown_scrubs -r global.nvm_memory_stays_readable |
	grep -E "^(ok|not ok)|Totals"
echo "pages donated now: $(cat /sys/kernel/pvm/pages_donated)," \
	"scrubbed since boot: $(cat /sys/kernel/pvm/pages_scrubbed)"

step "pvmm reports what this host supports"
pvmm info

step "pvmm boots the same kernel as a guest, and they talk over vsock"
cd /kselftest/pvm || exit 1
./pvmm_test -r pvmm.boot_to_init -r pvmm.vsock_host_to_guest \
	-r pvmm.vsock_guest_to_host | grep -E "^(ok|not ok)|Totals"
