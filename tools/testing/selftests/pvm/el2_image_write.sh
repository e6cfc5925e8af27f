#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Once pvm.ko's EL2 part is loaded, its pages belong to the hypervisor: a
# host write to them must be stopped, as a stage-2 fault that pKVM injects
# back into the host kernel, and not land. The EL2 part must keep working.
#
# The write is made by the test-only module pvm_poke.ko and oopses the
# kernel thread that makes it, so this runs only in a boot of its own, with
# pvmkit.destructive=hostwrite on the command line; otherwise it skips.

DIR=$(dirname "$0")
. "$DIR/../kselftest/ktap_helpers.sh"
. "$DIR/pvm_lib.sh"

KO=${PVM_KO:-/pvmkit/pvm.ko}
POKE=${PVM_POKE_KO:-/pvmkit/pvm_poke.ko}
DEBUGFS=/sys/kernel/debug/pvm

el2_calls()
{
	sed -n 's/.*calls \([0-9]*\).*/\1/p' "$DEBUGFS/el2_call"
}

ktap_print_header
if ! grep -q "pvmkit.destructive=hostwrite" /proc/cmdline; then
	ktap_skip_all "needs a boot of its own with pvmkit.destructive=hostwrite"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 5

grep -q '^pvm ' /proc/modules || insmod "$KO"
phys=$(cat "$DEBUGFS/el2_phys")
before=$(el2_calls)

write_refused "$POKE" "phys=$phys" "pvm_poke: writing to $phys" \
	"pvm_poke: the write landed"
if dmesg | grep -q "Unable to handle kernel access to hypervisor-protected memory"; then
	ktap_test_pass "the host kernel took the fault (oops, not a hyp panic)"
else
	ktap_test_fail "no kernel fault report in dmesg"
fi
after=$(el2_calls)
if [ -n "$before" ] && [ "$after" -eq $((before + 1)) ]; then
	ktap_test_pass "the EL2 part still works ($before, $after calls)"
else
	ktap_test_fail "EL2 part after the write: '$before' then '$after' calls"
fi
ktap_finished
