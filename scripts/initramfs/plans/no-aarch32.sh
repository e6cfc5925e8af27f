#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of make check's boot on a CPU without AArch32 at EL1 (QEMU's
# neoverse-n1): what a hostile host can do there that it cannot elsewhere.
insmod /pvmkit/pvm.ko || exit 1
cd /kselftest/pvm || exit 1
./pvm_hostile_test -r hostile.hcr_rw_kept_without_aarch32
