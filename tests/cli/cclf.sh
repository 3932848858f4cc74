# CCLF end to end: synth --cclf writes its extract as CMS ships it (CCLF1,
# 2, 5 and 8, with adjustments and cancellations); netted by ingest, the
# files are synth's own claims.tsv to the cent; pipelines/cclf.mk runs
# them with the payer's assignment list to a statement whose costs are
# those of the canonical extract.
. "$(dirname "$0")/../lib.sh"

cd "$T" || exit 2
# paid cents per member of a claims stream (its paid column by name)
paid_by_member() {
	awk -F'\t' 'FNR == 1 { delete c; for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ v = $c["paid"]; sub(/\./, "", v); s[$c["member_id"]] += v }
		END { for (m in s) print m, s[m] }' "$@" | LC_ALL=C sort
}

case_ "synth --cclf: the netted CCLF files are claims.tsv's claims, paid to the cent"
synth --members 1000 --seed 3 --cclf -o x >/dev/null
synth --members 1000 --seed 3 -o plain >/dev/null
for f in claims eligibility roster factors quality terms; do
	cmp -s "x/$f.tsv" "plain/$f.tsv" || bad "$f.tsv differs with --cclf"
done
expect_eq "$(ls x/cclf | tr '\n' ' ' | cut -c1-80)" "assignment.tsv cclf1.txt cclf2.txt cclf5.txt cclf8-2023-01.txt cclf8-2023-02.txt" "files"
expect_eq "$(ls x/cclf | grep -c '^cclf8-202[34]-[01][0-9]\.txt$')" 24 "monthly CCLF8 files"
# the corrections synth wrote (CLM_ADJSMT_TYPE_CD): seed 3 has Part A
# adjustments and cancellations, so both nettings are exercised
expect_eq "$(cut -c149-150 x/cclf/cclf1.txt | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" "0:67 1:2 2:2 " "Part A versions"
# (ingest's big outputs go to files, not to this case's transcript)
ingest --profile cclf2 --headers x/cclf/cclf1.txt x/cclf/cclf2.txt >a.tsv || bad "cclf2: exit $?"
ingest -v --profile cclf5 x/cclf/cclf5.txt >b.tsv 2>b.acct || bad "cclf5: exit $?"
grep -q "left out: claim versions superseded by a later one: [1-9][0-9]*, claim lines cancelled: [1-9]" b.acct ||
	bad "no Part B netting: $(cat b.acct)"
# Part A + Part B per member = claims.tsv per member (every member with a claim)
paid_by_member a.tsv b.tsv >cclf.paid
paid_by_member x/claims.tsv >truth.paid
cmp -s cclf.paid truth.paid || bad "paid by member differs: $(diff truth.paid cclf.paid | head -n 4 | tr '\n' '|')"
expect_eq "$(wc -l <truth.paid)" "$(wc -l <cclf.paid)" "members with claims"
# cclf1 on the same headers gives Part A's total too
ingest --profile cclf1 x/cclf/cclf1.txt >a1.tsv
expect_eq "$(paid_by_member a1.tsv | awk '{ s += $2 } END { print s }')" \
	"$(paid_by_member a.tsv | awk '{ s += $2 } END { print s }')" "cclf1 = cclf2 paid"
# every month of claims.tsv's eligibility is a CCLF8 record of that month
expect_eq "$(cat x/cclf/cclf8-*.txt | wc -l)" "$(tail -n +2 x/eligibility.tsv | wc -l)" "member months"
done_case

case_ "cclf.mk: CCLF files and an assignment list to a statement; the costs are the canonical extract's"
run make -s -f "$ROOT/pipelines/cclf.mk" BIN="$BIN" OUT=c MEMBERS=1000 SEED=3 ITERATIONS=200
expect_status 0
for f in statement.txt statement.html settlement.tsv MANIFEST; do
	[ -s "c/run/$f" ] || bad "no c/run/$f"
done
cmp -s c/run/contract/assignment.tsv c/synth/cclf/assignment.tsv || bad "the run does not keep the list"
# ingest's accounting of each file, by name, in the run's accounting
expect_eq "$(grep -c '^cclf8-202[34]-[01][0-9]\.txt: ingest: read [0-9]*, written [0-9]*, rejected 0$' c/run/accounting.txt)" 24 "CCLF8 accounting lines"
grep -q '^cclf5\.txt: ingest: read .*claim lines cancelled: [1-9]' c/run/accounting.txt || bad "no CCLF5 netting in the accounting"
# Part A, seed 3: 71 headers (67 originals, 2 adjustments, 2 cancellations)
# with 2 lines each. 63 stays plain, 2 adjusted (original + adjustment), 2
# duplicates cancelled (original + cancellation): final 63 + 2 = 65 stays;
# superseded 1 in each of the 4 corrected groups = 4; cancelled 2; the 6
# versions not final have 12 lines left out. Read 71 + 142 = 213; written
# 65 x 2 lines + 65 line-0 rows = 195.
expect_eq "$(sed -n 's/^cclf1\.txt + cclf2\.txt: //p' c/run/accounting.txt)" "ingest: read 213, written 195, rejected 0; left out: claim versions superseded by a later one: 4, claim lines cancelled: 2, lines of superseded or cancelled claim versions: 12" "Part A accounting"
# the same members, months and costs from synth's canonical extract
mkdir canon
gzip -6nc c/synth/claims.tsv >canon/claims.tsv.gz
gzip -6nc c/synth/eligibility.tsv >canon/eligibility.tsv.gz
cp c/extract/factors.tsv.gz c/extract/quality.tsv.gz canon/
make -s -f "$ROOT/pipelines/reconcile.mk" BIN="$BIN" EXTRACT=canon TERMS="$ROOT/pipelines/cclf-terms.tsv" \
	ASSIGNMENT=c/synth/cclf/assignment.tsv OUT=oc ITERATIONS=200 >/dev/null || bad "the canonical run failed"
costs() { awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
	{ print $c["member_id"], $c["period"], $c["org_id"], $c["member_months"], $c["paid"], $c["cost"], $c["excess"] }' "$1"; }
costs c/run/costs.tsv >cclf.costs
costs oc/costs.tsv >canon.costs
cmp -s cclf.costs canon.costs || bad "costs differ: $(diff canon.costs cclf.costs | head -n 4 | tr '\n' '|')"
expect_eq "$(cut -f1-3,7 c/run/settlement.tsv)" "$(cut -f1-3,7 oc/settlement.tsv)" "members, months, actual"
done_case

case_ "cclf.mk: a value that is not plain stops make before any recipe"
run make -s -f "$ROOT/pipelines/cclf.mk" BIN="$BIN" "OUT=c 2" MEMBERS=10
[ "$status" -ne 0 ] || bad "ran"
expect_err_has "OUT: 'c 2' holds a character other than letters"
[ -e "c 2" ] && bad "a directory was made"
done_case
