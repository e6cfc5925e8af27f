#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The SMMU's registers belong to the hypervisor: a host write to them (here,
# 0 to CR0, which would turn DMA translation off) must be stopped, as a
# stage-2 fault that pKVM injects back into the host kernel, and the SMMU
# must go on confining DMA.
#
# The write is made by the test-only module pvm_regpoke.ko and oopses the
# process that makes it, so this runs only in a boot of its own, with
# pvmkit.destructive=hostwrite on the command line; otherwise it skips.

DIR=$(dirname "$0")
. "$DIR/../kselftest/ktap_helpers.sh"
. "$DIR/pvm_lib.sh"

POKE=${PVM_REGPOKE_KO:-/pvmkit/pvm_regpoke.ko}
EVENTS=/sys/kernel/debug/pkvm_smmu/events
SMMU_CR0=0x20

ktap_print_header
if ! grep -q "pvmkit.destructive=hostwrite" /proc/cmdline; then
	ktap_skip_all "needs a boot of its own with pvmkit.destructive=hostwrite"
	exit "$KSFT_SKIP"
fi
if [ ! -r "$EVENTS" ]; then
	ktap_skip_all "the hypervisor owns no SMMU"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 4

smmu=$(ls -d /sys/bus/platform/devices/*.smmuv3 2>/dev/null | head -n1)
base=0x${smmu##*/}
base=${base%%.*}
cr0=$(printf '0x%x' $((base + SMMU_CR0)))

write_refused "$POKE" "phys=$cr0" "pvm_regpoke: writing to register $cr0" \
	"pvm_regpoke: the write landed"
if grep -q '^records [0-9]' "$EVENTS"; then
	ktap_test_pass "the hypervisor still answers for the SMMU"
else
	ktap_test_fail "no SMMU events from the hypervisor after the write"
fi
ktap_finished
