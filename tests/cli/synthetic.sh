# The synthetic extract: deterministic, and attribute → cohort-select over
# it keep their invariants, each checked independently with awk.
. "$(dirname "$0")/../lib.sh"

case_ "synth: the same seed gives the same bytes, another seed others"
synth --members 3000 --seed 7 -o "$T/a" && synth --members 3000 --seed 7 -o "$T/b" && synth --members 3000 --seed 8 -o "$T/c"
for f in claims eligibility roster factors quality terms; do
	cmp -s "$T/a/$f.tsv" "$T/b/$f.tsv" || bad "$f.tsv differs between two runs"
done
cmp -s "$T/a/claims.tsv" "$T/c/claims.tsv" && bad "seed 8 gave seed 7's claims"
# shape: some member-year above $250,000 allowed
big=$(awk -F'\t' 'NR > 1 { a[$1 substr($4, 1, 4)] += $13 } END { for (k in a) if (a[k] > 250000) n++; print n + 0 }' "$T/a/claims.tsv")
[ "$big" -gt 0 ] || bad "no member-year above 250,000"
done_case

S=$T/a
case_ "attribute over the synthetic extract: accounting and basis add up"
run attribute -v --roster "$S/roster.tsv" --terms "$S/terms.tsv" "$S/claims.tsv"
expect_status 0
cp "$T/out" "$T/attr.tsv"
members=$(cut -f1 "$S/claims.tsv" | tail -n +2 | sort -u | wc -l)
for k in base measure; do
	line=$(sed -n "1s/.*$k: \([^;]*\).*/\1/p" "$T/err")
	a=$(echo "$line" | sed 's/attributed \([0-9]*\),.*/\1/')
	e=$(echo "$line" | sed 's/.*elsewhere \([0-9]*\),.*/\1/')
	n=$(echo "$line" | sed 's/.*service \([0-9]*\)/\1/')
	expect_eq "$((a + e + n))" "$members" "$k: attributed + elsewhere + none"
	expect_eq "$(awk -F'\t' -v k=$k '$2 == k' "$T/attr.tsv" | wc -l)" "$a" "$k rows"
done
# every org is on the roster; basis ≤ total; runner-up ≤ basis
bad_rows=$(awk -F'\t' 'NR == FNR { if (FNR > 1) org[$2] = 1; next }
	FNR > 1 && (!($3 in org) || $5 + 0 > $7 + 0 || ($9 != "" && $9 + 0 > $5 + 0)) { n++ }
	END { print n + 0 }' "$S/roster.tsv" "$T/attr.tsv")
expect_eq "$bad_rows" 0 "rows breaking an invariant"
done_case

case_ "cohort-select over the synthetic extract: member months = eligibility rows"
run cohort-select --eligibility "$S/eligibility.tsv" --terms "$S/terms.tsv" "$T/attr.tsv"
expect_status 0
mism=$(awk -F'\t' 'FILENAME ~ /eligibility/ { if (FNR > 1) mm[$1 "," (substr($2, 1, 4) == "2023" ? "base" : "measure")]++; next }
	FNR > 1 && mm[$1 "," $2] != $4 { n++ } END { print n + 0 }' "$S/eligibility.tsv" "$T/out")
expect_eq "$mism" 0 "member-periods whose months differ"
expect_eq "$(tail -n +2 "$T/out" | cut -f1-3 | sort | comm -23 - "$(tail -n +2 "$T/attr.tsv" | cut -f1-3 | sort >"$T/ak"; echo "$T/ak")" | wc -l)" 0 "cohort rows not attributed"
done_case
