#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make check": our selftests, then the upstream KVM selftests
# listed in kvm-upstream.list, through kselftest's run_kselftest.sh.
# Output is three TAP streams; the host counts them all.

PLANS=$(dirname "$0")
# First the boot and pvm.ko's load (el2_module.sh loads it), then the rest of
# ours, which need pvm.ko, then upstream's. run_kselftest.sh runs a
# collection in its list order, whatever the order of -t, hence three runs.
first="pvm:boot_mode.sh pvm:el2_module.sh"
ours=""
for t in $(grep '^pvm:' /kselftest/kselftest-list.txt); do
	case " $first " in *" $t "*) continue ;; esac
	ours="$ours -t $t"
done
upstream=""
for t in $(grep -v '^#' "$PLANS/kvm-upstream.list"); do
	upstream="$upstream -t $t"
done
# Under emulation the timer's default 10 us error margin is unreachable,
# and migration between physical CPUs only adds noise: measured on QEMU 7.2.
# A 20 ms margin still failed once in ten full runs (session 3); 100 ms
# costs 1.5 s more.
export KSELFTEST_ARCH_TIMER_ARGS="-e 100000 -m 0"
cd /kselftest || exit 1
# Emulated EL2 is slow: allow each test up to 300 s (kvm's settings say 120).
./run_kselftest.sh -o 300 -t pvm:boot_mode.sh -t pvm:el2_module.sh
./run_kselftest.sh -o 300 $ours
./run_kselftest.sh -o 300 $upstream
