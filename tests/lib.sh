# lib.sh — a tiny harness for command-line and real-data tests.
# A test file sources it, runs commands with `run`, checks with `expect_*`,
# and ends each case with `done_case`. Lines "ok -", "FAIL -", "SKIP -" are
# what tests/run.sh counts.
BUILD=${BUILD:-build}
BIN=$(cd "$(dirname "$0")/../.." && pwd)/$BUILD/bin
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${VBR_DATA:-$ROOT/../shared/data}
T=$(mktemp -d /tmp/vbr-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
PATH=$BIN:$PATH
case_name=""
case_bad=""

# begin a case
case_() { case_name=$1; case_bad=""; }

# run a command, keeping stdout, stderr and status
run() { "$@" >"$T/out" 2>"$T/err"; status=$?; }

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
	if [ -n "$case_bad" ]; then echo "FAIL - $case_name: $case_bad"
	else echo "ok - $case_name"; fi
}
skip_case() { echo "SKIP - $1: $2"; }
