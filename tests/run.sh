#!/bin/sh
# run.sh — every test: Criterion unit tests, command-line golden tests and
# real-data tests. Optional arguments select tests whose name contains them.
# Ends with one line "N passed, N failed, N skipped"; exits 1 on failure.
BUILD=${BUILD:-build}
export BUILD
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0 skip=0
log=$(mktemp)
want() {
	[ $# -eq 0 ] && return 0
	for pat in $FILTER; do case $1 in *"$pat"*) return 0;; esac; done
	return 1
}
FILTER="$*"

for t in "$BUILD"/tests/test_*; do
	name=unit/${t##*/}
	[ -n "$FILTER" ] && ! want "$name" $FILTER && continue
	"$t" --short-filename >"$log" 2>&1
	rc=$?
	line=$(grep 'Synthesis:' "$log" | tail -n 1)
	tested=$(echo "$line" | sed -n 's/.*Tested: \([0-9]*\).*/\1/p')
	passing=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	[ -n "$tested" ] || { tested=1; passing=0; }
	pass=$((pass + passing))
	fail=$((fail + tested - passing))
	if [ "$rc" -ne 0 ] || [ "$tested" != "$passing" ]; then
		grep -v '^vbr:\|^ingest:' "$log" | grep -B2 -A6 'FAIL\|CRASH\|Assertion' | head -n 60
		[ "$tested" = "$passing" ] && fail=$((fail + 1))
	fi
	echo "$name: $line"
done

for t in tests/cli/*.sh tests/realdata/*.sh; do
	[ -f "$t" ] || continue
	[ -n "$FILTER" ] && ! want "$t" $FILTER && continue
	sh "$t" >"$log" 2>&1
	rc=$?
	grep '^FAIL\|^SKIP' "$log"
	p=$(grep -c '^ok -' "$log"); f=$(grep -c '^FAIL -' "$log"); s=$(grep -c '^SKIP -' "$log")
	if [ "$rc" -ne 0 ]; then
		# a script that dies part way has cases that never ran
		echo "$t: ended with status $rc after $p cases"; tail -n 5 "$log"; f=$((f + 1))
	fi
	if [ "$p$f$s" = "000" ]; then
		echo "$t: ran no case"; tail -n 20 "$log"; f=1
	fi
	echo "$t: $p passed, $f failed, $s skipped"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
rm -f "$log"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
