# pipelines/reconcile.mk: the nightly run over a directory and over an
# archive of gzipped extracts, make -j2, the audit bundle and its rerun, a
# tampered bundle, and a truncated gzip that must publish nothing.
. "$(dirname "$0")/../lib.sh"

M() { make -s --no-print-directory -f "$ROOT/pipelines/reconcile.mk" BIN="$BIN" "$@"; }
cd "$T" || exit 2
synth --members 300 --seed 5 -o ex >/dev/null
mkdir night
for f in claims eligibility roster factors quality; do gzip -9n -c "ex/$f.tsv" >"night/$f.tsv.gz"; done
cp ex/terms.tsv terms.tsv

case_ "nightly over a directory of gzipped extracts publishes every output"
run M EXTRACT=night TERMS=terms.tsv OUT=o ITERATIONS=200
expect_status 0
for f in attribution.tsv claim-sums.tsv cohort.tsv costs.tsv mix.tsv target.tsv settlement.tsv simulation.tsv \
	draws.tsv statement.txt statement.html accounting.txt SHA256SUMS; do
	[ -s "o/$f" ] || bad "no o/$f"
done
[ -e o.partial ] && bad "the staging directory was left behind"
expect_eq "$(find o -name '*.tmp' -o -name '*.log' | wc -l)" 0 "temporary files"
(cd o && sha256sum --quiet -c SHA256SUMS) || bad "SHA256SUMS does not match the outputs"
# settle's rows are what settle gives on the same inputs, run by hand
settle --terms terms.tsv --target o/target.tsv --quality night/quality.tsv.gz o/costs.tsv >by-hand.tsv
cmp -s by-hand.tsv o/settlement.tsv || bad "settlement.tsv differs from settle run by hand"
# cap-large-claims in two steps: --sum-only reads the claim lines,
# --from-sums the claim sums; the lines it sums plus those of members not
# in the cohort are every line the first step used
expect_eq "$(grep -c '^cap-large-claims: read' o/accounting.txt)" 2 "accounting lines"
used=$(grep -m1 '^cap-large-claims: read' o/accounting.txt | sed 's/.*used \([0-9]*\),.*/\1/')
split=$(grep 'claim lines summed' o/accounting.txt | sed 's/.*claim lines summed \([0-9]*\), claim lines of members not in the cohort \([0-9]*\).*/\1 + \2/')
expect_eq "$(echo "$split" | awk '{ print $1 + $3 }')" "$used" "claim lines summed + outside the cohort = claim lines used"
expect_eq "$(tail -n +2 o/claim-sums.tsv | awk -F'\t' '{ s += $5 } END { print s }')" "$used" "claims column of claim-sums.tsv"
done_case

case_ "the same extract as a tar archive, with make -j2: the same bytes"
(cd night && tar -cf ../night.tar ./*.tsv.gz)
run M -j2 EXTRACT=night.tar TERMS=terms.tsv OUT=oa ITERATIONS=200
expect_status 0
cmp -s o/SHA256SUMS oa/SHA256SUMS || bad "archive run differs: $(diff o/SHA256SUMS oa/SHA256SUMS | head -n 4 | tr '\n' '|')"
done_case

case_ "audit bundle, then its rerun from the bundle alone passes"
run M audit EXTRACT=night TERMS=terms.tsv OUT=o ITERATIONS=200 AUDIT=audit.tar.gz
expect_status 0
expect_eq "$(tar -tzf audit.tar.gz | grep -c '^audit/\(MANIFEST\|SHA256SUMS\|terms.tsv\|inputs/night/claims.tsv.gz\|outputs/settlement.tsv\|outputs/statement.html\)$')" 6 "bundle members"
expect_eq "$(tar -xzOf audit.tar.gz audit/MANIFEST | sed -n 's/^tool\t//p')" "vbr $(settle --version | sed 's/.* //')" "tool version"
mv night night.gone; mv terms.tsv terms.gone      # the rerun needs nothing but the bundle
run M rerun AUDIT=audit.tar.gz
expect_status 0
expect_err ""
expect_eq "$(cat "$T/out")" "reconcile: rerun of audit.tar.gz: 13 outputs re-derived, every byte identical" "message"
mv night.gone night; mv terms.gone terms.tsv
[ -e audit.tar.gz.rerun ] && bad "the rerun left its directory"
done_case

# tamper EDIT [resum]: unpack the bundle, run EDIT in it, optionally record
# the new sums (a forger who also rewrites SHA256SUMS), pack it as bad.tar.gz
tamper() {
	rm -rf tam && mkdir tam && tar -xzf audit.tar.gz -C tam
	(cd tam/audit && eval "$1")
	if [ -n "${2:-}" ]; then
		(cd tam/audit && find MANIFEST terms.tsv inputs outputs -type f | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
	fi
	tar -czf bad.tar.gz -C tam audit
}

case_ "a tampered bundle fails the rerun"
# one member-month count of the settlement changed
tamper "sed -i '2s/^\([^\t]*\t[^\t]*\t\)[0-9]*/\19999/' outputs/settlement.tsv"
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "an altered output passed"
expect_err_has "reconcile: bundle altered: outputs/settlement.tsv: FAILED"
# the same, with SHA256SUMS rewritten to match: re-derivation catches it
tamper "sed -i '2s/^\([^\t]*\t[^\t]*\t\)[0-9]*/\19999/' outputs/settlement.tsv" resum
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "an altered output with matching sums passed"
expect_err_has "reconcile: differs: diff -r bad.tar.gz.rerun/audit/outputs/settlement.tsv"
# an input changed (its first 100 claim lines dropped) and the sums rewritten
tamper "gzip -dc inputs/night/claims.tsv.gz | sed '2,101d' | gzip -9n >c && mv c inputs/night/claims.tsv.gz" resum
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "an altered input with matching sums passed"
expect_err_has "reconcile: differs:"
[ -e bad.tar.gz.rerun ] && bad "the failed rerun left its directory"
done_case

case_ "a truncated gzip fails the run with its exit status and publishes nothing"
mkdir cut && cp night/* cut/
head -c 4000 night/claims.tsv.gz >cut/claims.tsv.gz
run M EXTRACT=cut TERMS=terms.tsv OUT=oc ITERATIONS=200
[ "$status" -ne 0 ] || bad "the run succeeded"
expect_err_has "truncated gzip data"
expect_err_has "reconcile: attribute failed with exit status 74; nothing published"
[ -e oc ] && bad "oc was published"
[ -e oc.partial ] && bad "oc.partial was left behind"
# last night's outputs stay as they were when tonight's run fails
cp -R o before
run M EXTRACT=cut TERMS=terms.tsv OUT=o ITERATIONS=200
[ "$status" -ne 0 ] || bad "the run over last night's outputs succeeded"
diff -r before o >/dev/null || bad "last night's outputs were touched"
done_case

case_ "usage: no extract, a missing extract"
run M TERMS=terms.tsv OUT=ox
[ "$status" -ne 0 ] || bad "ran without EXTRACT"
expect_err_has "give EXTRACT=DIR-OR-ARCHIVE and TERMS=FILE"
run M EXTRACT=nowhere TERMS=terms.tsv OUT=ox
expect_err_has "nowhere: no such extract"
done_case
