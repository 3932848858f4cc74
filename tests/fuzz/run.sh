#!/bin/sh
# run.sh NAME... — run each fuzzing harness for $SECONDS seconds from its
# committed seeds (tests/fuzz/seeds/NAME) and the corpus earlier runs grew
# ($BUILD/fuzz/corpus/NAME); a crash or sanitizer report fails, and the
# input that caused it is left in $BUILD/fuzz/ as NAME-crash-*, ….
# Leaks are not checked (-detect_leaks=0): a bad input ends in vbr_die,
# where a tool's process ends, and the library does not free what it was
# building; the harness jumps back from there (tests/fuzz/harness.h). The
# sanitizer build of the test suite checks leaks on every normal run.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SECONDS=${SECONDS:-60}
status=0
for name in "$@"; do
	corpus=$BUILD/fuzz/corpus/$name
	mkdir -p "$corpus"
	log=$BUILD/fuzz/$name.log
	echo "fuzz $name: $SECONDS s" >&2
	if ASAN_OPTIONS=detect_leaks=0 "$BUILD/fuzz/$name" -max_total_time="$SECONDS" -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 -detect_leaks=0 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz/$name-" \
		"$corpus" "tests/fuzz/seeds/$name" >"$log" 2>&1; then
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+.*DONE' "$log" |
			sed "s/^/fuzz $name: /" >&2
	else
		echo "fuzz $name: FAILED (log: $log)" >&2
		grep -A30 -m1 'ERROR\|==[0-9]*==' "$log" >&2 || tail -n 30 "$log" >&2
		status=1
	fi
done
exit $status
