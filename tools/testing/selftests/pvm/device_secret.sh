#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The device secret that protected VMs' DICE CDIs derive from reached EL2
# as the boot asked: with kvm-arm.device_secret=ADDR (the boot chain left
# it there), taken from ADDR and wiped there; without, a random one, which
# the kernel says it uses. Whether any copy is left in host memory is
# pvm_dice_test's host_memory_holds_no_cdi.

DIR=$(dirname "$0")
. "$DIR/../kselftest/ktap_helpers.sh"
. "$DIR/pvm_lib.sh"

ktap_print_header
ktap_set_plan 1

addr=$(cmdline_value kvm-arm.device_secret)
if [ -n "$addr" ]; then
	want="device secret taken from the boot chain at $(printf '0x%016x' "$addr"), and wiped there"
else
	want="no device secret from the boot chain"
fi
if dmesg | grep -q "$want"; then
	ktap_test_pass "dmesg: $want"
else
	ktap_test_fail "dmesg: '$want' not found"
fi
ktap_finished
