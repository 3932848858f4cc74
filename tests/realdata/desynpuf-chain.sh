# pipelines/desynpuf.mk on DE-SynPUF: 2008 base, 2009 measurement,
# inpatient claims, orgs derived from the data, ending in the statement.
# Checked on sample 1 by both routes: every claim line accounted for
# (5,775 lines, as tests/realdata/ingest.sh counts them), ingest's
# accounting first in the run's, the programme total the sum of the
# measurement cost rows; by claims, each physician in one org. On all 18
# samples, the population route measures a population: at least 50,000
# members in 2009 and a programme savings rate within ±5% (issue 14; the
# 2018 MSSP public use file's median is 1.4%).
. "$(dirname "$0")/../lib.sh"

if [ ! -f "$DATA/desynpuf/DE1_0_2008_to_2010_Inpatient_Claims_Sample_1.csv.gz" ]; then
	skip_case "desynpuf chain" "$DATA/desynpuf is absent"
	exit 0
fi

# programme row's column NAME of a settlement file
programme() {
	awk -F'\t' -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } $1 == "*" { print $c[n] }' "$1"
}

for route in population claims; do
	case_ "desynpuf.mk ROUTE=$route: sample 1 through the whole chain to a statement"
	run make -s --no-print-directory -C "$ROOT" -f pipelines/desynpuf.mk BIN="$BIN" \
		DATA="$DATA/desynpuf" SAMPLES=1 OUT="$T/$route" ITERATIONS=200 ROUTE=$route MIN_MEMBERS=50
	expect_status 0
	R=$T/$route/run
	for f in statement.txt statement.html settlement.tsv; do [ -s "$R/$f" ] || bad "no $f"; done
	# ingest's accounting opens the run's: the sample's 5,775 inpatient
	# rows all written (its dateless segments dated from their claims' rows)
	expect_eq "$(head -n 1 "$R/accounting.txt")" "ingest: read 5775, written 5775, rejected 0" "ingest's accounting"
	# cap-large-claims: read = used + every reason left out = 5,775
	line=$(grep -m1 '^cap-large-claims: read' "$R/accounting.txt")    # --sum-only
	expect_eq "$(echo "$line" | sed 's/.*read \([0-9]*\),.*/\1/')" 5775 "claim lines read"
	expect_eq "$(echo "$line" | grep -o '[0-9][0-9]*' | awk 'NR > 1 { s += $1 } END { print s }')" 5775 "used + left out"
	# the programme row's actual total = the measurement cost rows, in cents
	sum=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["period"] == "measure" { v = $c["cost"]; sub(/\./, "", v); s += v } END { printf "%d.%02d", s / 100, s % 100 }' "$R/costs.tsv")
	expect_eq "$(programme "$R/settlement.tsv" actual_total)" "$sum" "programme actual total"
	orgs=$(tail -n +2 "$R/settlement.tsv" | grep -vc '^\*')
	expect_eq "$(grep -c '<svg class="vbr-chart' "$R/statement.html")" "$((3 * orgs + 1))" "charts (per org two waterfalls and a histogram; the programme histogram)"
	if [ "$route" = claims ]; then
		expect_eq "$(gzip -dc "$T/$route/extract/roster.tsv.gz" | cut -f1 | sort | uniq -d | wc -l)" 0 "physicians in two orgs"
	else
		# every measured member is a beneficiary of 2009 with a covered month
		expect_eq "$(programme "$R/settlement.tsv" members)" \
			"$(awk -F'\t' 'NR > 1 && $2 == "measure" { n++ } END { print n }' "$R/costs.tsv")" "members"
	fi
	done_case
done

case_ "desynpuf.mk on the 18 samples measures a population: >= 50,000 members, savings rate within 5%"
run make -s --no-print-directory -C "$ROOT" -f pipelines/desynpuf.mk BIN="$BIN" \
	DATA="$DATA/desynpuf" OUT="$T/all" ITERATIONS=100
expect_status 0
members=$(programme "$T/all/run/settlement.tsv" members)
rate=$(programme "$T/all/run/settlement.tsv" savings_rate)
[ "$members" -ge 50000 ] || bad "$members members measured in 2009"
awk -v r="$rate" 'BEGIN { exit !(r >= -0.05 && r <= 0.05) }' || bad "programme savings rate $rate"
expect_eq "$(head -n 1 "$T/all/run/accounting.txt")" "ingest: read 102933, written 102933, rejected 0" "ingest's accounting"
done_case

case_ "the 18 samples' reconciliation on 4 shards: the one-machine run's bytes (issue 18)"
# reconcile.mk on the extract desynpuf.mk made above, with the run's own
# contract copies, SHARDS=4 on GNU parallel: every data output the same
if command -v parallel >/dev/null; then
	R=$(cd "$T/all/run" && pwd -P)
	run make -s --no-print-directory -C "$ROOT" -f pipelines/reconcile.mk BIN="$BIN" EXTRACT="$T/all/extract" \
		TERMS="$R/contract/terms.tsv" ASSIGNMENT="$R/contract/assignment.tsv" OUT="$T/all4" ITERATIONS=100 \
		SHARDS=4 TITLE="$(sed -n 's/^title\t//p' "$R/MANIFEST")"
	expect_status 0
	for f in attribution.tsv cohort.tsv claim-sums.tsv costs.tsv mix.tsv target.tsv settlement.tsv simulation.tsv draws.tsv; do
		cmp -s "$R/$f" "$T/all4/$f" || bad "$f differs from the one-machine run"
	done
	expect_eq "$(grep -c '^shard [0-3]: cap-large-claims: claim sums rows' "$T/all4/accounting.txt")" 4 "shard jobs"
	done_case
else
	skip_case "the 18 samples on 4 shards" "GNU parallel is not installed"
fi
