#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host booted into protected KVM: kvm-arm.mode is "protected" and the
# kernel logged that pKVM initialised, in the EL2 flavour the boot asked for
# with pvmkit.el2=hvhe|nvhe (if it did).

DIR=$(dirname "$0")
. "$DIR/../kselftest/ktap_helpers.sh"

expected_flavour()
{
	tr ' ' '\n' < /proc/cmdline | sed -n 's/^pvmkit\.el2=//p'
}

ktap_print_header
ktap_set_plan 2

mode=$(cat /sys/module/kvm/parameters/mode 2>/dev/null)
if [ "$mode" = "protected" ]; then
	ktap_test_pass "kvm-arm.mode is protected"
else
	ktap_test_fail "kvm-arm.mode is protected (got '$mode')"
fi

case "$(expected_flavour)" in
hvhe) want="Protected hVHE mode initialized successfully" ;;
nvhe) want="Protected nVHE mode initialized successfully" ;;
*) want="Protected h\?n\?VHE mode initialized successfully" ;;
esac
if dmesg | grep -q "$want"; then
	ktap_test_pass "pKVM initialised: $want"
else
	ktap_test_fail "pKVM initialised: '$want' not in dmesg"
fi
ktap_finished
