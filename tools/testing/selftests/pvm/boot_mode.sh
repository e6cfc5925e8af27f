#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host booted into protected KVM: it asked for kvm-arm.mode=protected,
# the CPU feature was detected, and pKVM logged its initialisation in the
# EL2 flavour the boot asked for with pvmkit.el2=hvhe|nvhe (if it did).
# (KVM/arm64 is built in and kvm-arm.mode is an early parameter, so there is
# no /sys/module/kvm/parameters/mode to read.)

DIR=$(dirname "$0")
. "$DIR/../kselftest/ktap_helpers.sh"
. "$DIR/pvm_lib.sh"

check_log()
{
	if dmesg | grep -q "$1"; then
		ktap_test_pass "dmesg: $1"
	else
		ktap_test_fail "dmesg: '$1' not found"
	fi
}

ktap_print_header
ktap_set_plan 3

mode=$(cmdline_value kvm-arm.mode)
if [ "$mode" = "protected" ]; then
	ktap_test_pass "kvm-arm.mode=protected on the command line"
else
	ktap_test_fail "kvm-arm.mode=protected on the command line (got '$mode')"
fi

check_log "CPU features: detected: Protected KVM"

case "$(cmdline_value pvmkit.el2)" in
hvhe) check_log "Protected hVHE mode initialized successfully" ;;
nvhe) check_log "Protected nVHE mode initialized successfully" ;;
*) check_log "Protected [hn]*VHE mode initialized successfully" ;;
esac
ktap_finished
