# Exactness: the synthetic extract split into 4 shards by member, run
# through cap-large-claims and mix-factor shard by shard and merged, gives
# byte-identical results to the whole run (cost rows are additive; money is
# exact). A fixed large-claim threshold is used: a percentile of the whole
# cohort is not a per-shard quantity.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C

S=$T/x
synth --members 4000 --seed 3 -o "$S"
attribute --roster "$S/roster.tsv" --terms "$S/terms.tsv" "$S/claims.tsv" >"$T/attr.tsv"
cohort-select --eligibility "$S/eligibility.tsv" --terms "$S/terms.tsv" "$T/attr.tsv" >"$T/cohort.tsv"
CAP="cap-large-claims --terms $S/terms.tsv --set large_claim_threshold=100000"

# shard = last digit of the member number, mod 4
shard() { awk -F'\t' -v n="$2" 'NR == 1 || substr($1, length($1)) % 4 == n' "$1"; }
for n in 0 1 2 3; do
	shard "$T/cohort.tsv" $n >"$T/cohort.$n"
	shard "$S/claims.tsv" $n >"$T/claims.$n"
done

case_ "cap-large-claims: 4 shards merged = the whole run, byte for byte"
run $CAP --cohort "$T/cohort.tsv" "$S/claims.tsv"
expect_status 0
cp "$T/out" "$T/whole.tsv"
for n in 0 1 2 3; do
	$CAP --cohort "$T/cohort.$n" "$T/claims.$n" >"$T/cost.$n" || bad "shard $n failed"
done
{ head -n 1 "$T/cost.0"; for n in 0 1 2 3; do tail -n +2 "$T/cost.$n"; done | sort -t "$(printf '\t')" -k1,1 -k2,2; } >"$T/merged.tsv"
cmp -s "$T/merged.tsv" "$T/whole.tsv" || bad "merged cost rows differ from the whole run"
expect_eq "$(($(wc -l <"$T/whole.tsv") - 1))" "$(($(wc -l <"$T/cohort.tsv") - 1))" "one cost row per cohort row"
# some capping happened, so the test means something
expect_eq "$(awk -F'\t' 'NR > 1 && $NF != "0.00"' "$T/whole.tsv" | wc -l | awk '$1 > 0 { print "yes" }')" yes "capped rows"
done_case

case_ "mix-factor: merged shards = the whole run, in any row order"
run mix-factor --factors "$S/factors.tsv" "$T/whole.tsv"
expect_status 0
cp "$T/out" "$T/mix.whole"
run mix-factor --factors "$S/factors.tsv" "$T/merged.tsv"
cmp -s "$T/out" "$T/mix.whole" || bad "mix of merged rows differs"
{ head -n 1 "$T/cost.0"; for n in 3 1 0 2; do tail -n +2 "$T/cost.$n"; done; } >"$T/shuffled.tsv"
run mix-factor --factors "$S/factors.tsv" "$T/shuffled.tsv"
cmp -s "$T/out" "$T/mix.whole" || bad "mix of shuffled rows differs"
done_case

case_ "target and settle: shard aggregates merged = the whole run, byte for byte"
# each shard reduced to one aggregate cost row per org and period (members,
# member months, cost summed exactly in cents by awk on the digits), then
# merged: target and settle must give the bytes of the whole run
aggregate() {
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ k = $c["org_id"] "\t" $c["period"]; n[k]++; mm[k] += $c["member_months"]
		  v = $c["cost"]; sub(/\./, "", v); cost[k] += v
		  v = $c["premium"]; sub(/\./, "", v); prem[k] += v }
		END { for (k in n) { split(k, a, "\t")
		  printf "%s\t%s\t%s\t%d\t%d\t%d.%02d\t%d.%02d\n", "agg", a[2], a[1], n[k], mm[k],
		    cost[k] / 100, cost[k] % 100, prem[k] / 100, prem[k] % 100 } }' "$1"
}
{ printf 'member_id\tperiod\torg_id\tmembers\tmember_months\tcost\tpremium\n'; for n in 0 1 2 3; do aggregate "$T/cost.$n"; done; } >"$T/agg.tsv"
TERMS="--terms $S/terms.tsv"
target $TERMS --mix "$T/mix.whole" "$T/whole.tsv" >"$T/target.whole" || bad "target on the whole run failed"
run target $TERMS --mix "$T/mix.whole" "$T/agg.tsv"
cmp -s "$T/out" "$T/target.whole" || bad "target of merged aggregates differs: $(diff "$T/out" "$T/target.whole" | head -n 4 | tr '\n' '|')"
settle --total $TERMS --target "$T/target.whole" --quality "$S/quality.tsv" "$T/whole.tsv" >"$T/settle.whole" || bad "settle on the whole run failed"
run settle --total $TERMS --target "$T/target.whole" --quality "$S/quality.tsv" "$T/agg.tsv"
cmp -s "$T/out" "$T/settle.whole" || bad "settlement of merged aggregates differs: $(diff "$T/out" "$T/settle.whole" | head -n 4 | tr '\n' '|')"
# the settlement shares something, so the comparison means something
expect_eq "$(awk -F'\t' '$1 != "org_id" && $1 != "*" && $19 != "0.00"' "$T/settle.whole" | wc -l | awk '$1 > 0 { print "yes" }')" yes "non-zero settlements"
done_case
