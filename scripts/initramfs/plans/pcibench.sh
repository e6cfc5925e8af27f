#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of make bench's host virtio-pci measurement: write BYTES to
# the virtio-serial-pci port "pvmkit.sink" (QEMU discards them) REPS times,
# and print the throughput of each as "BENCH pci ..." lines. scripts/bench
# boots this with the SMMU on and off, and reports the ratio.
#
#   sh pcibench.sh REPS MIB

REPS=${1:-3}
MIB=${2:-512}
SMMU=off
[ -r /sys/kernel/debug/pkvm_smmu/events ] && SMMU=on

port=""
for p in /sys/class/virtio-ports/*; do
	[ "$(cat "$p/name" 2>/dev/null)" = pvmkit.sink ] && port=/dev/${p##*/}
done
[ -n "$port" ] || { echo "BENCH error no pvmkit.sink port"; exit 1; }

# Centiseconds since boot.
now()
{
	sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime
}

i=0
while [ $i -lt "$REPS" ]; do
	t0=$(now)
	dd if=/dev/zero of="$port" bs=64k count=$((MIB * 16)) 2>/dev/null ||
		{ echo "BENCH error write to $port failed"; exit 1; }
	t1=$(now)
	echo "BENCH pci smmu=$SMMU mib=$MIB cs=$((t1 - t0))"
	i=$((i + 1))
done
echo "BENCH pci done smmu=$SMMU"
