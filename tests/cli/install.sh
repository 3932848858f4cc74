# make install: the tools in $PREFIX/libexec/vbr, only the front command
# vbr(1) in $PREFIX/bin, and installed pipelines that find the tools with
# nothing on PATH; make uninstall removes it all.
. "$(dirname "$0")/../lib.sh"

P=$T/prefix
cd "$T" || exit 2
make -s -C "$ROOT" install BUILD="$BUILD" PREFIX="$P" >/dev/null 2>"$T/install.err" || { cat "$T/install.err"; exit 1; }
# the tools' own directory off PATH: the installed copies must be used
PATH=/usr/bin:/bin

case_ "bin holds only vbr; the tools are in libexec/vbr"
expect_eq "$(ls "$P/bin")" "vbr" "bin"
expect_eq "$(ls "$P/libexec/vbr" | tr '\n' ' ')" "attribute cap-large-claims cohort-select complete ingest mix-factor partition report settle simulate synth target " "libexec/vbr"
run "$P/bin/vbr" settle --version
expect_status 0
expect_out <<'O'
settle (vbr) 0.1.0
O
done_case

case_ "vbr: an unknown tool is a usage error with the nearest name"
run "$P/bin/vbr" setle --help
expect_status 64
expect_err "vbr: no tool 'setle' (did you mean settle?); vbr --help lists them"
run "$P/bin/vbr" ../bin/vbr
expect_status 64
done_case

case_ "the installed pipelines run with nothing on PATH"
"$P/bin/vbr" synth --members 100 --seed 3 -o ex >/dev/null
run "$P/bin/vbr" pipeline reconcile EXTRACT=ex EXT=tsv TERMS=ex/terms.tsv OUT=o ITERATIONS=50 -s
expect_status 0
expect_out <<'O'
reconcile: published o (5 settlement rows)
O
run make -s -f "$P/share/vbr/pipelines/demo.mk" OUT=demo MEMBERS=100
expect_status 0
[ -s demo/statement.html ] || bad "the installed demo wrote no statement"
done_case

case_ "make uninstall removes what install put"
make -s -C "$ROOT" uninstall BUILD="$BUILD" PREFIX="$P" >/dev/null 2>&1
expect_eq "$(find "$P" -type f | wc -l)" 0 "files left"
done_case
