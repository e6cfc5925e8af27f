#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make demo": show what pvmkit can do so far.

step()
{
	echo
	echo "### $*"
}

# Run a test program and show the lines of its output that match $1; a
# failure stops the demo, with the tail of the output.
shown()
{
	pattern=$1
	shift
	"$@" > /tmp/out 2>&1
	status=$?
	grep -E "$pattern" /tmp/out
	if [ "$status" -ne 0 ]; then
		echo "FAILED ($status): $*"
		tail -20 /tmp/out
		exit 1
	fi
}

RESULTS="^(ok|not ok)|Totals"

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
echo "EL2 call: $(cat /sys/kernel/debug/pvm/el2_call)"
echo "EL2 call: $(cat /sys/kernel/debug/pvm/el2_call)"
if rmmod pvm 2>/dev/null; then
	echo "rmmod pvm: unexpectedly allowed"
else
	echo "rmmod pvm: refused, hypervisor code stays"
fi

step "A protected VM: its memory is donated, the host cannot read it"
cd /kselftest/pvm || exit 1
shown "$RESULTS" ./pvm_memory_test -r pvm.host_load_faults \
	-r pvm.syscalls_get_efault -r pvm.teardown_scrubs \
	-r global.nvm_memory_stays_readable
echo "pages donated now: $(cat /sys/kernel/pvm/pages_donated)," \
	"scrubbed since boot: $(cat /sys/kernel/pvm/pages_scrubbed)"

step "pvmm reports what this host supports"
pvmm info || exit 1

step "pvmm boots the same kernel as a guest, and they talk over vsock"
cd /kselftest/pvm || exit 1
shown "$RESULTS" ./pvmm_test -r pvmm.boot_to_init -r pvmm.vsock_host_to_guest \
	-r pvmm.vsock_guest_to_host

step "A protected vCPU's registers stay at EL2: a secret in them never reaches the host"
cd /kselftest/pvm || exit 1
shown "$RESULTS|register reads" ./pvm_regs_test

step "A hostile host kernel (pvm_hostile.ko) against EL2: refused, EL2 lives on"
shown "$RESULTS|host calls" ./pvm_hostile_test

step "PSCI for a protected VM at EL2: vCPU 0 brings up three more"
shown "$RESULTS" ./pvm_psci_test -r psci.pvm.bring_up_and_off \
	-r global.vmm_cannot_start_an_off_vcpu

step "The same 6.12 kernel boots as a protected VM: pKVM services, restricted DMA"
pvmm run --protected --verbose --kernel /pvmkit/Image \
	--initrd /pvmkit/guest.cpio.gz --mem 256 \
	--cmdline "console=hvc0 panic=-1" > /tmp/pvm-guest.log 2>&1
status=$?
echo "pvmm exit status: $status"
grep -E "pvmkit-guest|launch measurement" /tmp/pvm-guest.log
[ "$status" -eq 0 ] || exit 1
echo "pages still donated after power-off: $(cat /sys/kernel/pvm/pages_donated)"

step "Measured launch: EL2 hashes a pVM's image and entry, and zeroes every other page"
shown "$RESULTS" ./pvm_measure_test -r measure.same_launch_same_measurement \
	-r measure.one_byte_of_image_changes_it -r measure.host_prefill_reads_zero

step "DICE: EL2 gives a pVM CDIs derived from its measurement and the device secret"
dmesg | grep "device secret" | sed 's/^\[[ 0-9.]*\] //'
shown "$RESULTS|dice:|scanned" ./pvm_dice_test -r dice.same_launch_same_cdis \
	-r dice.host_memory_holds_no_cdi

step "Sealing: the same guest unseals after a restart; a one-byte-different guest cannot"
shown "$RESULTS|guest: " ./pvm_dice_test -r dice.sealing_survives_restart

step "... and talks over vsock through the memory it shared"
shown "$RESULTS" ./pvmm_test -r pvmm.protected_vsock_host_to_guest \
	-r pvmm.protected_vsock_guest_to_host

step "A payload pVM: a dm-verity vendor partition, its digest in the measured device tree"
pvmm run --protected --verbose --kernel /pvmkit/Image \
	--initrd /pvmkit/guest.cpio.gz --mem 256 \
	--cmdline "console=hvc0 panic=-1" --vendor /pvmkit/vendor.img \
	> /tmp/pvm-vendor.log 2>&1
status=$?
echo "pvmm exit status: $status"
grep -E "pvmkit-vendor|launch measurement" /tmp/pvm-vendor.log
[ "$status" -eq 0 ] || exit 1
grep -q "module pvm_vendor_hello.ko loaded" /tmp/pvm-vendor.log || exit 1
shown "$RESULTS" ./pvmm_disk_test -r disk.protected.flipped_byte_not_loaded \
	-r measure.protected_vendor_digest
