#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shell helpers shared by the pvm selftest scripts and the test guests' init
# (scripts/initramfs/guest-init), which source this file.

# The value of kernel parameter $1 on this boot's command line (the last,
# if it is given more than once), or nothing.
cmdline_value()
{
	tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1
}

# A host write that the hypervisor must stop: insmod module $1 with the
# arguments $2 (it oopses the process, so in a child shell), then three
# results: the insmod failed, dmesg has "$3" (the module's "writing to ..."
# line, so the write was tried), and not "$4" (its "the write landed").
write_refused()
{
	local rc

	sh -c "insmod $1 $2" > /dev/null 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		ktap_test_pass "insmod ${1##*/} $2 failed (status $rc)"
	else
		ktap_test_fail "insmod ${1##*/} $2 succeeded"
	fi
	if dmesg | grep -q "$3"; then
		ktap_test_pass "the write was attempted"
	else
		ktap_test_fail "${1##*/} never tried to write"
	fi
	if dmesg | grep -q "$4"; then
		ktap_test_fail "the write landed"
	else
		ktap_test_pass "the write did not land"
	fi
}
