#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of make check's boot without a device secret (run-qemu
# --device-secret none): EL2 must say it uses a random one, and the same
# pVM launch as on the main boot must measure the same and get other CDIs.
# pvm_dice_test prints "# dice: measurement M seal-id S" for
# scripts/dice-compare to set beside the main boot's.
cd /kselftest || exit 1
./run_kselftest.sh -o 300 -t pvm:boot_mode.sh -t pvm:device_secret.sh \
	-t pvm:el2_module.sh
./pvm/pvm_dice_test -t same_launch_same_cdis
