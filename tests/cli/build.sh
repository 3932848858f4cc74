# Build-level checks: install/uninstall into a DESTDIR, man pages lint-clean,
# every tool has a man page whose SYNOPSIS names it, --help and -h explain
# exactly the options the man page's OPTIONS section lists.
. "$(dirname "$0")/../lib.sh"

case_ "make install / uninstall with PREFIX and DESTDIR"
run make -s -C "$ROOT" BUILD="$BUILD" install PREFIX=/opt/vbr DESTDIR="$T/root"
expect_status 0
for f in bin/vbr libexec/vbr/ingest libexec/vbr/synth share/man/man1/ingest.1 share/man/man1/vbr.1 \
	share/man/man5/vbr-terms.5 share/man/man7/vbr.7 share/vbr/pipelines/reconcile.mk \
	share/vbr/pipelines/reconcile.sh share/vbr/pipelines/paths.mk; do
	[ -f "$T/root/opt/vbr/$f" ] || bad "$f not installed"
done
[ -x "$T/root/opt/vbr/libexec/vbr/ingest" ] || bad "ingest not executable"
# the tools' generic names stay out of bin
expect_eq "$(ls "$T/root/opt/vbr/bin")" "vbr" "bin"
expect_eq "$(cat "$T/root/opt/vbr/share/vbr/pipelines/paths.mk" | tail -n 1)" "VBR_LIBEXEC := /opt/vbr/libexec/vbr" "paths.mk"
run make -s -C "$ROOT" BUILD="$BUILD" uninstall PREFIX=/opt/vbr DESTDIR="$T/root"
expect_status 0
expect_eq "$(find "$T/root" -type f | wc -l)" 0 "files left after uninstall"
done_case

case_ "man pages are mandoc -Tlint clean"
if command -v mandoc >/dev/null; then
	run mandoc -Tlint -W warning "$ROOT"/man/*.[157]
	expect_status 0
	expect_err ""
	expect_out </dev/null
	done_case
else
	skip_case "man pages are mandoc -Tlint clean" "mandoc is not installed (make deps)"
fi

# the options a man page's OPTIONS section lists (.It Fl -name, Fl v)
man_options() {
	sed -n '/^\.Sh OPTIONS/,/^\.Sh [A-NP-Z]/p' "$1" | grep '^\.It' |
		grep -o 'Fl -\{0,1\}[a-z][a-z-]*' | sed 's/^Fl /-/' | sort -u
}
# the options --help explains: the first word of each option line
help_options() {
	sed -n '/^Options:/,/^Operands:/p' "$1" | grep -o '^  \(-[a-z], \)\{0,1\} *--[a-z-]*' |
		grep -o -- '--[a-z-]*' | sort -u
}
for src in "$ROOT"/filters/*.c; do
	tool=$(basename "$src" .c)
	[ "$tool" = vbr ] && continue    # the front command: tests/cli/install.sh
	case_ "$tool: man page exists and --help explains every option it lists"
	[ -f "$ROOT/man/$tool.1" ] || bad "no man/$tool.1"
	grep -q "^\.Nm $tool\$" "$ROOT/man/$tool.1" || bad "man/$tool.1 does not name $tool"
	run "$tool" --help
	expect_status 0
	grep -q "^usage: $tool" "$T/out" || bad "--help does not start with 'usage: $tool'"
	# a short option stands for its long name ("-o, --output" in --help)
	letters=$(grep -o '^  -[a-z], --[a-z-]*' "$T/out" | sed 's/^  \(-[a-z]\), \(.*\)/s|^\1$|\2|;/' | tr -d '\n')
	# --help, --version, --max-record and --stdin-name are every reading tool's, in vbr(7)
	man_options "$ROOT/man/$tool.1" | sed "$letters" | grep -v -- '--help\|--version\|--max-record\|--stdin-name' |
		sort -u >"$T/man-opts"
	help_options "$T/out" | grep -v -- '--help\|--version\|--max-record\|--stdin-name' >"$T/help-opts"
	[ -s "$T/man-opts" ] || bad "no options found in man/$tool.1"
	cmp -s "$T/man-opts" "$T/help-opts" ||
		bad "man page and --help list different options: $(diff "$T/man-opts" "$T/help-opts" | grep '^[<>]' | tr '\n' ' ')"
	# and the man page's SYNOPSIS names the options the usage lines name
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$ROOT/man/$tool.1" | grep -o 'Fl -\{0,1\}[a-z][a-z-]*' |
		sed 's/^Fl /-/' | sort -u >"$T/man-syn"
	sed -n '1,/^$/p' "$T/out" | grep -o -- '[[ |]-\{1,2\}[a-z][a-z-]*' | cut -c2- | sort -u >"$T/help-syn"
	cmp -s "$T/man-syn" "$T/help-syn" ||
		bad "man SYNOPSIS and usage name different options: $(diff "$T/man-syn" "$T/help-syn" | grep '^[<>]' | tr '\n' ' ')"
	cp "$T/out" "$T/help"
	run "$tool" -h
	expect_status 0
	cmp -s "$T/out" "$T/help" || bad "-h differs from --help"
	done_case
done

case_ "usage errors name the tool, never its path, and the option: exit 64"
for src in "$ROOT"/filters/*.c; do
	tool=$(basename "$src" .c)
	[ "$tool" = vbr ] && continue    # the front command: tests/cli/install.sh
	run "$BIN/$tool" --no-such-option
	expect_status 64
	expect_eq "$(head -n 1 "$T/err")" "$tool: --no-such-option: unknown option" "$tool"
	grep -q "^usage: $tool " "$T/err" || bad "$tool: no usage after the message"
	run "$BIN/$tool" -h
	expect_status 0
	expect_eq "$(head -c 7 "$T/out")" "usage: " "$tool -h"
done
# a misspelt long option gets the nearest one; a value option needs its value
run "$BIN/settle" --qualty q.tsv
expect_eq "$(head -n 1 "$T/err")" "settle: --qualty: unknown option; did you mean --quality?" "suggestion"
run "$BIN/settle" --target
expect_eq "$(head -n 1 "$T/err")" "settle: --target: needs a FILE" "missing value"
run "$BIN/report" --format pdf
expect_eq "$(head -n 1 "$T/err")" "report: --format: 'pdf' is not text, markdown or html" "choice"
run "$BIN/settle" --target a --target b
expect_eq "$(head -n 1 "$T/err")" "settle: --target: given twice" "twice"
run "$BIN/synth" -o "$T/x" extra
expect_eq "$(head -n 1 "$T/err")" "synth: unexpected operand 'extra'" "operand"
expect_status 64
done_case

case_ "the demo pipeline runs the chain and leaves no temporary file"
run make -s -C "$ROOT" -f pipelines/demo.mk BIN="$BIN" OUT="$T/demo"
expect_status 0
expect_eq "$(grep -c '^ORG.*  M measure .*  D ' "$T/demo/summary.txt")" 4 "orgs with a mix adjustment D"
expect_eq "$(find "$T/demo" -name '*.tmp' | wc -l)" 0 "temporary files left"
for f in attribution cohort costs mix; do [ -s "$T/demo/$f.tsv" ] || bad "no $f.tsv"; done
done_case

case_ "the demo is an interim run: measured to date, with a material IBNR"
# paid through 2024-09-30: the statement says the measurement period is
# measured to date, no cohort member has a measure month after September
# (at most 9), and complete's last incurred month is 2024-09 with no
# development.
grep -q 'measured to date: through 2024-09' "$T/demo/statement.txt" || bad "statement does not say the period is measured to date"
expect_eq "$(awk -F'\t' '$2 == "measure" && $4 > m { m = $4 } END { print m }' "$T/demo/cohort.tsv")" 9 "most measure months"
expect_eq "$(awk -F'\t' '$1 == "measure" && $2 != "*" { last = $2 ":" $4 } END { print last }' "$T/demo/completion.tsv")" "2024-09:0" "last incurred month and its development"
# synth pays a claim k months after its month, P(k > d) = 0.35^(d+1); of
# nine equal months paid through the ninth, the unpaid share is
# (0.35 + 0.35^2 + ... + 0.35^9) / 9 = 0.5385 / 9 = 6.0% of incurred, so
# each org's IBNR should be a few per cent of its allowed to date: between
# 2% and 12% is material and plausible for 400-odd members an org.
awk '/^period   members  allowed cost/ { p = 1; next }
	p && $1 == "measure" { a = $3; i = $4; gsub(",", "", a); gsub(",", "", i);
		printf "%.3f\n", i / a; p = 0 }' "$T/demo/statement.txt" >"$T/ibnr-share"
expect_eq "$(wc -l <"$T/ibnr-share")" 4 "orgs with an IBNR line"
expect_eq "$(awk '$1 < 0.02 || $1 > 0.12' "$T/ibnr-share" | wc -l)" 0 "orgs with an IBNR share outside 2%..12%: $(tr '\n' ' ' <"$T/ibnr-share")"
done_case
