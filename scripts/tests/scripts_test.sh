#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit tests of the build scripts: series application, TAP counting, the
# guest's timeout, dice-compare and bench-report.
# KTAP output through the kernel's kselftest ktap_helpers.sh.
set -u
. "$(dirname "$0")/../lib.sh"
. "$KSRC/tools/testing/selftests/kselftest/ktap_helpers.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

make_tree()
{
	rm -rf "$T/tree" "$T/p"
	mkdir -p "$T/tree" "$T/p"
	printf 'one\ntwo\nthree\n' > "$T/tree/file"
	git -C "$T/tree" init -q
	git -C "$T/tree" add file
	git -C "$T/tree" -c user.name=t -c user.email=t@t commit -q -m base
	git -C "$T/tree" tag pristine
	sed -i 's/two/TWO/' "$T/tree/file"
	git -C "$T/tree" -c user.name=t -c user.email=t@t commit -q -a -m "Change two"
	git -C "$T/tree" format-patch -q -o "$T/p" pristine
	git -C "$T/tree" checkout -q --detach pristine
	(cd "$T/p" && ls -1 *.patch) > "$T/p/series.tmp"
	mv "$T/p/series.tmp" "$T/p/series"
}

test_series_applies()
{
	make_tree
	if "$PVMKIT_ROOT/scripts/apply-series" "$T/tree" "$T/p" 2>/dev/null &&
	   grep -q TWO "$T/tree/file"; then
		ktap_test_pass "apply-series applies a good series"
	else
		ktap_test_fail "apply-series applies a good series"
	fi
}

test_bad_patch_named()
{
	local out

	make_tree
	sed -i 's/^-two/-zwei/' "$T/p"/0001-*.patch
	out=$("$PVMKIT_ROOT/scripts/apply-series" "$T/tree" "$T/p" 2>&1)
	if [ $? -ne 0 ] && echo "$out" | grep -q "does not apply: patches/0001-Change-two.patch" &&
	   grep -q '^two$' "$T/tree/file"; then
		ktap_test_pass "a patch that does not apply fails, named, tree left pristine"
	else
		ktap_test_fail "a patch that does not apply fails, named, tree left pristine"
	fi
}

test_missing_patch_named()
{
	local out

	make_tree
	echo "0002-missing.patch" >> "$T/p/series"
	out=$("$PVMKIT_ROOT/scripts/apply-series" "$T/tree" "$T/p" 2>&1)
	if [ $? -ne 0 ] && echo "$out" | grep -q "missing patch: 0002-missing.patch"; then
		ktap_test_pass "a series naming a missing patch fails"
	else
		ktap_test_fail "a series naming a missing patch fails"
	fi
}

test_local_edits_kept()
{
	make_tree
	echo local >> "$T/tree/file"
	if ! "$PVMKIT_ROOT/scripts/apply-series" "$T/tree" "$T/p" 2>/dev/null &&
	   grep -q '^local$' "$T/tree/file"; then
		ktap_test_pass "uncommitted edits in the tree are refused, not lost"
	else
		ktap_test_fail "uncommitted edits in the tree are refused, not lost"
	fi
}

# $1: expected summary line, $2: expected exit status, $3: name, $4: TAP
check_summary()
{
	local want=$1 want_rc=$2 name=$3 got rc

	printf "$4" > "$T/tap"
	got=$("$PVMKIT_ROOT/scripts/tap-summary" "$T/tap" 2>/dev/null)
	rc=$?
	if [ "$got" = "$want" ] && [ $rc -eq "$want_rc" ]; then
		ktap_test_pass "tap-summary: $name"
	else
		ktap_test_fail "tap-summary: $name (got '$got' rc $rc)"
	fi
}

# The guest's timeout (scripts/initramfs/timeout) on the host's shell: a
# command that leaves a child behind must not hold the caller's pipe open
# past the timeout (the bound here is ten times the timeout), and its
# status is 124; a command that ends in time keeps its own status.
test_timeout_kills_session()
{
	local t="sh $PVMKIT_ROOT/scripts/initramfs/timeout" out rc

	# $(...) reads until every writer of its pipe is gone.
	out=$(timeout 30 sh -c "$t --foreground 2 \
		sh -c 'sleep 60 & echo started; sleep 60'; echo rc \$?")
	rc=$(timeout 30 $t 20 sh -c 'exit 3'; echo $?)
	if [ "$out" = "$(printf 'started\nrc 124')" ] && [ "$rc" = 3 ]; then
		ktap_test_pass "guest timeout: kills the session, 124; else the status"
	else
		ktap_test_fail "guest timeout: kills the session, 124; else the status (out '$out', rc '$rc')"
	fi
}

# dice-compare on two boots' TAP: a fixed vector, CDI_Seal computed once for
# the test device secret over M = SHA-256("pvmkit dice-compare test").
DICE_M=3b5840974f524d78031ad8f2e98ba318fa1b05bad3df302b0654321458afd067
DICE_S=3ed67b9bb65f9c10457288aef49d2acfd9fcc83c0e269cb31bdc1bbade594ecc

# $1: name, $2: the failing checks expected ("" for none), $3, $4: the
# seal-ids of the main and the secret-less boot
check_dice_compare()
{
	local out bad

	echo "# # dice: measurement $DICE_M seal-id $3" > "$T/main.tap"
	echo "# dice: measurement $DICE_M seal-id $4" > "$T/rand.tap"
	out=$("$PVMKIT_ROOT/scripts/dice-compare" "$T/main.tap" "$T/rand.tap")
	bad=$(echo "$out" | sed -n 's/^not ok \([0-9]*\).*/\1/p' | tr '\n' ' ')
	if [ "$bad" = "$2" ] && echo "$out" | grep -q '^1\.\.4$'; then
		ktap_test_pass "dice-compare: $1"
	else
		ktap_test_fail "dice-compare: $1 (failed: '$bad')"
	fi
}

# bench-report: the reports of saved logs, as scripts/bench's awk printed
# them (tests/bench-report/README), its examples (--test), and its
# regression guards against made-up ones (guards.rst).
test_bench_report()
{
	local d=$PVMKIT_ROOT/scripts/tests/bench-report r=$PVMKIT_ROOT/scripts/bench-report t

	for t in run partial empty scale; do
		"$r" "$d/$t.log" --pci "$d/$t-pci.log" 2>&1 | cmp -s - "$d/$t.txt" &&
			ktap_test_pass "bench-report: $t.log's report, as the awk's" ||
			ktap_test_fail "bench-report: $t.log's report, as the awk's"
	done
	"$r" --test && ktap_test_pass "bench-report: its examples (--test)" ||
		ktap_test_fail "bench-report: its examples (--test)"
	if ! "$r" --guards "$d/guards.rst" "$d/run.txt" 2>&1 | cmp -s - "$d/guards.txt" ||
	    "$r" --guards "$d/guards.rst" "$d/run.txt" >/dev/null ||
	    "$r" --guards "$d/README" "$d/run.txt" >/dev/null; then
		ktap_test_fail "bench-report: guards fail a worse ratio, a missing one, and none"
	else
		ktap_test_pass "bench-report: guards fail a worse ratio, a missing one, and none"
	fi
}

ktap_print_header
ktap_set_plan 18
test_series_applies
test_bad_patch_named
test_missing_patch_named
test_local_edits_kept
test_timeout_kills_session
check_summary "1 passed, 0 failed, 1 skipped" 0 "nested results are not counted" \
	'1..2\nok 1 a\n# not ok 1 nested\nok 2 b # SKIP\n'
check_summary "2 passed, 1 failed" 1 "missing results count as failed" \
	'1..3\nok 1 a\nok 2 b\n'
check_summary "0 passed, 0 failed" 1 "nothing run is a failure" \
	'TAP version 13\n1..0\n'
check_summary "1 passed, 1 failed" 1 "a failure fails" \
	'ok 1 a\nnot ok 2 b\n'
check_dice_compare "the derivation matches, the boots differ" "" "$DICE_S" \
	"$(printf '%064d' 1)"
check_dice_compare "a wrong CDI_Seal is caught" "4 " "$(printf '%064d' 2)" \
	"$(printf '%064d' 1)"
check_dice_compare "the same CDI_Seal on both boots is caught" "3 " \
	"$DICE_S" "$DICE_S"
test_bench_report
ktap_finished
