#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make check": our selftests, then the upstream KVM selftests
# listed in kvm-upstream.list, all through kselftest's run_kselftest.sh.
# Output is one TAP stream; the host counts it.

PLANS=$(dirname "$0")
# Every test as -t, so that run_kselftest.sh prints one TAP stream.
args=""
for t in $(grep '^pvm:' /kselftest/kselftest-list.txt) \
	 $(grep -v '^#' "$PLANS/kvm-upstream.list"); do
	args="$args -t $t"
done
# Under emulation the timer's default 10 us error margin is unreachable,
# and migration between physical CPUs only adds noise: measured on QEMU 7.2.
export KSELFTEST_ARCH_TIMER_ARGS="-e 20000 -m 0"
cd /kselftest || exit 1
# Emulated EL2 is slow: allow each test up to 300 s (its settings say 120).
exec ./run_kselftest.sh -o 300 $args
