# lib.sh — a tiny harness for command-line and real-data tests.
# A test file sources it, runs commands with `run`, checks with `expect_*`,
# and ends each case with `done_case`. Lines "ok -", "FAIL -", "SKIP -" are
# what tests/run.sh counts.
#
# Golden transcripts (tests/cli only): every `run` of a case appends its
# command line, its whole standard output and error and its exit status to
# the case's transcript, and done_case compares the transcript byte for
# byte with tests/cli/<script>/gold/<NN>-<case>.txt, so any change of any
# column, message or status shows in review (an output over 64 KiB is kept
# as its size, sha256 and first lines). The temporary directory, the
# tools' directory, the source tree, the data directory and the build
# directory are written as $T, $BIN, $ROOT, $DATA and $BUILD.
# GOLD=update rewrites the gold files instead and removes stale ones (a
# gold file no case writes fails a check); review the diff: the hand
# arithmetic beside each case is what makes a gold file right.
BUILD=${BUILD:-build}
BIN=$(cd "$(dirname "$0")/../.." && pwd)/$BUILD/bin
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${VBR_DATA:-$ROOT/../shared/data}
T=$(mktemp -d /tmp/vbr-cli-XXXXXX)
trap 'finish_gold; rm -rf "$T"' EXIT
PATH=$BIN:$PATH
# the tests' make runs count their levels from 1, however they were started
unset MAKELEVEL MAKEFLAGS MFLAGS
case_name=""
case_bad=""
case_no=0
SCRIPT=$(basename "$0" .sh)
case $0 in
*/tests/cli/*|tests/cli/*) GOLD_DIR=$ROOT/tests/cli/$SCRIPT/gold ;;
*) GOLD_DIR="" ;;
esac

# begin a case
case_() {
	case_name=$1; case_bad=""; case_no=$((case_no + 1))
	: >"$T/transcript"
}

# the text with the run's varying paths written as $T, $ROOT, $DATA
# (and a pipeline run's id, time and lock holder as RUNID, TIME and PID,
# and make's makefile line numbers as N)
stable_paths() {
	sed -e "s|$T|\$T|g" -e "s|$BIN|\$BIN|g" -e "s|$ROOT|\$ROOT|g" -e "s|$DATA|\$DATA|g" \
	    -e "s|BUILD=$BUILD |BUILD=\$BUILD |g" \
	    -E -e 's/[0-9]{8}T[0-9]{6}(\.[0-9]{9})?Z-[0-9]+/RUNID/g' -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g' \
	    -e 's/pid [0-9]+ on [^,]*,/pid PID on HOST,/g' -e 's/\.mk:[0-9]+: /.mk:N: /g'
}

# run a command, keeping stdout, stderr and status, and add all three to
# the case's transcript
run() {
	"$@" >"$T/out" 2>"$T/err"; status=$?
	[ -n "$GOLD_DIR" ] || return 0
	{
		printf '$'; printf ' %s' "$@"; printf '\n'
		size=$(wc -c <"$T/out")
		if [ "$size" -gt 65536 ]; then
			echo "[stdout: $size bytes, $(wc -l <"$T/out") lines, sha256 $(sha256sum <"$T/out" | cut -c1-64); the first 10 lines]"
			head -n 10 "$T/out"
		else
			echo "[stdout]"; cat "$T/out"
		fi
		echo "[stderr]"; cat "$T/err"
		echo "[exit $status]"
	} | stable_paths >>"$T/transcript"
	return 0
}

# the gold file of the current case
gold_file() {
	slug=$(printf '%s' "$case_name" | tr -c 'A-Za-z0-9' '-' | tr -s '-' | sed 's/^-//; s/-$//' | cut -c1-60)
	printf '%s/%02d-%s.txt' "$GOLD_DIR" "$case_no" "$slug"
}

# compare the transcript with the gold file (or write it, GOLD=update)
check_gold() {
	[ -n "$GOLD_DIR" ] && [ -s "$T/transcript" ] || return 0
	g=$(gold_file)
	echo "$g" >>"$T/gold-seen"
	if [ "${GOLD:-}" = update ]; then
		mkdir -p "$GOLD_DIR" && cp "$T/transcript" "$g"
	elif [ ! -f "$g" ]; then
		bad "no gold file ${g#"$ROOT"/} (GOLD=update writes it)"
	elif ! cmp -s "$g" "$T/transcript"; then
		bad "output differs from ${g#"$ROOT"/}: $(diff "$g" "$T/transcript" | head -n 8 | tr '\n' '|')"
	fi
}

bad() { case_bad="${case_bad:+$case_bad; }$1"; }

expect_status() {
	[ "$status" = "$1" ] || bad "status $status, expected $1 (stderr: $(head -c 300 "$T/err"))"
}
# expect_out: stdout equals stdin of this function
expect_out() {
	cat >"$T/want"
	cmp -s "$T/want" "$T/out" || bad "stdout differs: $(diff "$T/want" "$T/out" | head -n 8 | tr '\n' '|')"
}
expect_file() {  # FILE, content on stdin
	cat >"$T/want"
	cmp -s "$T/want" "$1" || bad "$1 differs: $(diff "$T/want" "$1" 2>&1 | head -n 8 | tr '\n' '|')"
}
expect_err() {   # exact stderr ("" = none)
	if [ -z "$1" ]; then : >"$T/want"; else printf '%s\n' "$1" >"$T/want"; fi
	cmp -s "$T/want" "$T/err" || bad "stderr is '$(cat "$T/err")', expected '$1'"
}
expect_err_has() {
	grep -qF -- "$1" "$T/err" || bad "stderr lacks '$1': $(head -c 300 "$T/err")"
}
expect_eq() {    # ACTUAL EXPECTED WHAT
	[ "$1" = "$2" ] || bad "$3: got '$1', expected '$2'"
}

done_case() {
	check_gold
	if [ -n "$case_bad" ]; then echo "FAIL - $case_name: $case_bad"
	else echo "ok - $case_name"; fi
}
skip_case() {
	# a case begun with case_ and skipped keeps its gold file
	[ -n "$GOLD_DIR" ] && [ -n "$case_name" ] && gold_file >>"$T/gold-seen"
	echo "SKIP - $1: $2"
}

# link_tools DIR: a BIN of links to every tool, for a case to replace
# one of them with a wrapper
link_tools() {
	mkdir "$1" || return 1
	for t in "$BIN"/*; do ln -s "$t" "$1/${t##*/}" || return 1; done
}

# fail_on_shard DIR TOOL K: in DIR (link_tools), TOOL ends 65 saying
# "TOOL: injected failure" when it is run on shard K's claims, and is the
# tool itself otherwise
fail_on_shard() {
	rm -f "$1/$2"
	cat >"$1/$2" <<EOF
#!/bin/sh
case "\$*" in *"/$3/claims.tsv.gz"*) echo "$2: injected failure" >&2; exit 65 ;; esac
exec "$BIN/$2" "\$@"
EOF
	chmod +x "$1/$2"
}

# with_bad_amounts SRC DST N: a copy of the gzipped extract directory SRC in
# DST whose claims end with their first N lines again, each with a letter
# in its allowed amount ("1x.00"): bad data a stage rejects
with_bad_amounts() {
	mkdir "$2" && cp "$1"/* "$2"/ || return 1
	{ gzip -dc "$1/claims.tsv.gz"; gzip -dc "$1/claims.tsv.gz" |
		awk -F'\t' -v OFS='\t' -v n="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "allowed") a = i }
			NR > 1 && NR <= n + 1 { $a = "1x.00"; print }'; } | gzip -9n >"$2/claims.tsv.gz"
}

# At the end of a script: a gold file no case of it wrote or read is stale
# (a case renamed or removed); GOLD=update removes it, a check fails on it.
finish_gold() {
	[ -n "$GOLD_DIR" ] && [ -d "$GOLD_DIR" ] || return 0
	for g in "$GOLD_DIR"/*.txt; do
		[ -e "$g" ] || continue
		grep -qxF "$g" "$T/gold-seen" 2>/dev/null && continue
		if [ "${GOLD:-}" = update ]; then rm -f "$g"
		else echo "FAIL - stale gold file ${g#"$ROOT"/}: no case of this script writes it"; fi
	done
}
