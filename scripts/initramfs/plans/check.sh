#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make check": our selftests, then the upstream KVM selftests
# listed in kvm-upstream.list, through kselftest's run_kselftest.sh.
# Output is two TAP streams; the host counts both.

PLANS=$(dirname "$0")
ours=""
for t in $(grep '^pvm:' /kselftest/kselftest-list.txt); do
	ours="$ours -t $t"
done
upstream=""
for t in $(grep -v '^#' "$PLANS/kvm-upstream.list"); do
	upstream="$upstream -t $t"
done
# Under emulation the timer's default 10 us error margin is unreachable,
# and migration between physical CPUs only adds noise: measured on QEMU 7.2.
export KSELFTEST_ARCH_TIMER_ARGS="-e 20000 -m 0"
cd /kselftest || exit 1
# Two runs, ours first: run_kselftest.sh orders collections by name, and the
# upstream KVM selftests must pass with pvm.ko loaded. Emulated EL2 is slow:
# allow each test up to 300 s (kvm's settings say 120).
./run_kselftest.sh -o 300 $ours
./run_kselftest.sh -o 300 $upstream
