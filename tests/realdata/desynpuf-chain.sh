# pipelines/desynpuf.mk on DE-SynPUF sample 1: 2008 base, 2009
# measurement, inpatient claims, orgs and roster derived from the data,
# ending in the statement. Checked: every claim line of the sample is
# accounted for (5,773 lines, as tests/realdata/ingest.sh counts them), the
# roster puts each physician in one org, and the statement's programme
# total is the sum of the measurement cost rows.
. "$(dirname "$0")/../lib.sh"

if [ ! -f "$DATA/desynpuf/DE1_0_2008_to_2010_Inpatient_Claims_Sample_1.csv.gz" ]; then
	skip_case "desynpuf chain" "$DATA/desynpuf is absent"
	exit 0
fi

case_ "desynpuf.mk: sample 1 through the whole chain to a statement"
run make -s --no-print-directory -C "$ROOT" -f pipelines/desynpuf.mk BIN="$BIN" \
	DATA="$DATA/desynpuf" SAMPLES=1 OUT="$T/d" ITERATIONS=200
expect_status 0
R=$T/d/run
for f in statement.txt statement.html settlement.tsv; do [ -s "$R/$f" ] || bad "no $f"; done
# ingest's accounting opens the run's: the sample's 5,775 inpatient rows
# all written (its dateless segments dated from their claims' rows)
expect_eq "$(head -n 1 "$R/accounting.txt")" "ingest: read 5775, written 5775, rejected 0" "ingest's accounting"
# cap-large-claims: read = used + every reason left out, and read = the
# sample's 5,775 claim lines
line=$(grep -m1 '^cap-large-claims: read' "$R/accounting.txt")    # --sum-only
expect_eq "$(echo "$line" | sed 's/.*read \([0-9]*\),.*/\1/')" 5775 "claim lines read"
expect_eq "$(echo "$line" | grep -o '[0-9][0-9]*' | awk 'NR > 1 { s += $1 } END { print s }')" 5775 "used + left out"
# one org per physician
expect_eq "$(gzip -dc "$T/d/extract/roster.tsv.gz" | cut -f1 | sort | uniq -d | wc -l)" 0 "physicians in two orgs"
# the programme row's actual total = the measurement cost rows, summed in cents
sum=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["period"] == "measure" { v = $c["cost"]; sub(/\./, "", v); s += v } END { printf "%d.%02d", s / 100, s % 100 }' "$R/costs.tsv")
expect_eq "$(awk -F'\t' '$1 == "*" { print $7 }' "$R/settlement.tsv")" "$sum" "programme actual total"
orgs=$(tail -n +2 "$R/settlement.tsv" | grep -vc '^\*')
expect_eq "$(grep -c '<svg class="vbr-chart' "$R/statement.html")" "$((2 * orgs + 1))" "charts"
done_case
