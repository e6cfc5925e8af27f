#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run pvmm's unit-test binaries (each prints TAP) and sum up their
# "# Totals:" lines. Exits non-zero if any test failed.

pass=0
fail=0
status=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	totals=$(printf '%s\n' "$out" | sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\).*/\1 \2/p')
	if [ -z "$totals" ]; then
		echo "# $t: no totals (exit $rc)"
		fail=$((fail + 1))
		status=1
		continue
	fi
	set -- $totals "$@"
	pass=$((pass + $1))
	fail=$((fail + $2))
	shift 2
	[ "$rc" -eq 0 ] || status=1
done
echo "pvmm unit: $pass passed, $fail failed"
exit $status
