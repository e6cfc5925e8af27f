#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# pvm.ko's EL2 part is loaded only if its SHA-256 was pinned at boot.
#
# The boot says what to expect with pvmkit.el2mod=:
#   pinned       kvm-arm.hyp_modules= holds pvm.ko's pin (the default)
#   unpinned     no pin, or a wrong one: every load is refused with EPERM
#   unprotected  kvm-arm.mode is not protected: refused with EOPNOTSUPP
# In every case a copy of pvm.ko with one byte of EL2 text flipped
# (pvm-flipped.ko) must be refused with EPERM.

DIR=$(dirname "$0")
. "$DIR/../kselftest/ktap_helpers.sh"
. "$DIR/pvm_lib.sh"

KO=${PVM_KO:-/pvmkit/pvm.ko}
FLIPPED=${PVM_FLIPPED_KO:-/pvmkit/pvm-flipped.ko}
SYSFS=/sys/kernel/pvm
DEBUGFS=/sys/kernel/debug/pvm

# $1: test name, $2: expected error text ("" for success), $3...: command
expect()
{
	name=$1
	want=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ -z "$want" ] && [ $rc -eq 0 ]; then
		ktap_test_pass "$name"
	elif [ -n "$want" ] && [ $rc -ne 0 ] && echo "$out" | grep -q "$want"; then
		ktap_test_pass "$name"
	else
		ktap_print_msg "got rc $rc: $out"
		ktap_test_fail "$name"
	fi
}

# $1: test name, $2: pattern that must be in the kernel log
expect_log()
{
	if dmesg | grep -q "$2"; then
		ktap_test_pass "$1"
	else
		ktap_test_fail "$1: '$2' not in dmesg"
	fi
}

expect_nothing_loaded()
{
	if [ ! -e "$SYSFS" ] && ! grep -q '^pvm ' /proc/modules; then
		ktap_test_pass "$1"
	else
		ktap_test_fail "$1: pvm is loaded"
	fi
}

el2_field()
{
	sed -n "s/.*$1 \([0-9]*\).*/\1/p" "$DEBUGFS/el2_call"
}

test_pinned()
{
	ktap_set_plan 10
	expect "flipped EL2 byte: insmod fails with EPERM" \
		"Operation not permitted" insmod "$FLIPPED"
	expect_log "flipped EL2 byte: one dmesg line says why" \
		"is not pinned by kvm-arm.hyp_modules, refused"
	expect_nothing_loaded "flipped EL2 byte: nothing loaded"
	expect "pinned pvm.ko: insmod succeeds" "" insmod "$KO"
	pin=$(cmdline_value kvm-arm.hyp_modules)
	if [ "$(cat "$SYSFS/el2_digest")" = "$pin" ]; then
		ktap_test_pass "el2_digest is the pin the boot gave"
	else
		ktap_test_fail "el2_digest $(cat "$SYSFS/el2_digest") is not $pin"
	fi
	if [ "$(el2_field abi)" = 1 ] && [ "$(el2_field current_el)" = 2 ]; then
		ktap_test_pass "EL2 call runs at CurrentEL 2, ABI 1"
	else
		ktap_test_fail "EL2 call: $(cat "$DEBUGFS/el2_call")"
	fi
	first=$(el2_field calls)
	second=$(el2_field calls)
	if [ -n "$first" ] && [ "$second" -eq $((first + 1)) ]; then
		ktap_test_pass "EL2 call counter increases ($first, $second)"
	else
		ktap_test_fail "EL2 call counter: '$first' then '$second'"
	fi
	expect "rmmod is refused with EBUSY" "resource busy" rmmod pvm
	expect "a second insmod is refused" "File exists" insmod "$KO"
	if grep -q '^pvm ' /proc/modules && [ -r "$DEBUGFS/el2_call" ]; then
		ktap_test_pass "pvm stays loaded"
	else
		ktap_test_fail "pvm stays loaded"
	fi
}

test_unpinned()
{
	ktap_set_plan 5
	expect "flipped EL2 byte: insmod fails with EPERM" \
		"Operation not permitted" insmod "$FLIPPED"
	expect "unpinned pvm.ko: insmod fails with EPERM" \
		"Operation not permitted" insmod "$KO"
	expect_log "one dmesg line says why" \
		"is not pinned by kvm-arm.hyp_modules, refused"
	expect_nothing_loaded "nothing loaded"
	if [ ! -e "$SYSFS" ]; then
		ktap_test_pass "no /sys/kernel/pvm"
	else
		ktap_test_fail "no /sys/kernel/pvm"
	fi
}

test_unprotected()
{
	ktap_set_plan 3
	expect "non-protected KVM: insmod fails with EOPNOTSUPP" \
		"not supported" insmod "$KO"
	expect_log "one dmesg line says why" \
		"KVM is not in protected mode"
	expect_nothing_loaded "nothing loaded"
}

ktap_print_header
case "$(cmdline_value pvmkit.el2mod)" in
unpinned) test_unpinned ;;
unprotected) test_unprotected ;;
*) test_pinned ;;
esac
ktap_finished
