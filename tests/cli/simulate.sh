# simulate: the bootstrap settles each draw with settle's arithmetic, a seed
# gives the same bytes, nearest-rank percentiles and probabilities by hand,
# the trend draw, and bad input.
. "$(dirname "$0")/../lib.sh"

printf 'term\tvalue\nrisk\ttwo_sided\nloss_rate\t0.5\ntrend\t0.05\n' >"$T/terms.tsv"
printf 'org_id\ttarget_pmpm\nX\t100.00\nY\t100.00\n' >"$T/target.tsv"
{
printf 'member_id\tperiod\torg_id\tmember_months\tcost\n'
# X: three identical members: every resample is the same: 3 × 1100 = 3300
# against 100.00 × 36 = 3600: savings 300 × 50% = 150.00, always
printf 'a\tmeasure\tX\t12\t1100.00\nb\tmeasure\tX\t12\t1100.00\nc\tmeasure\tX\t12\t1100.00\n'
# Y: one member: the resample is that member: 1300 vs 1200: (100) × 50%
printf 'd\tmeasure\tY\t12\t1300.00\nd\tbase\tY\t12\t5.00\n'
# Z: base rows only: no settlement, no row
printf 'e\tbase\tZ\t12\t5.00\n'
} >"$T/costs.tsv"

case_ "degenerate bootstrap = settle's result; programme row"
run simulate --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 40 -v "$T/costs.tsv"
expect_status 0
# X: every draw 150.00: mean, all percentiles 150.00, P(savings) 1, P(loss) 0
# Y: every draw (50.00); programme: 150 − 50 = 100.00 every draw
expect_out <<'E'
org_id	members	iterations	mean_net	p5_net	p25_net	p50_net	p75_net	p95_net	prob_savings	prob_loss	mean_shared	expected_settlement
X	3	40	150.00	150.00	150.00	150.00	150.00	150.00	1.0000	0.0000	150.00	150.00
Y	1	40	-50.00	-50.00	-50.00	-50.00	-50.00	-50.00	0.0000	1.0000	-50.00	-50.00
*	4	40	100.00	100.00	100.00	100.00	100.00	100.00				100.00
E
expect_err "simulate: read 6, members 4, rejected 0; left out: base-period rows: 2"
settle --terms "$T/terms.tsv" --target "$T/target.tsv" "$T/costs.tsv" | cut -f1,21 >"$T/settle"
expect_eq "$(sed -n 2,3p "$T/settle" | tr '\t\n' ' |')" "X 150.00|Y -50.00|" "settle agrees"
done_case

case_ "a seed gives the same bytes; another seed other draws; --draws"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\n' >"$T/v.tsv"
for i in 1 2 3 4 5 6 7 8; do printf 'm%d\tmeasure\tX\t12\t%d00.00\n' "$i" "$((i * 3))" >>"$T/v.tsv"; done
run simulate --terms "$T/terms.tsv" --target "$T/target.tsv" --seed 7 --draws "$T/d1" "$T/v.tsv"
expect_status 0
cp "$T/out" "$T/s7"
run simulate --terms "$T/terms.tsv" --target "$T/target.tsv" --seed 7 --draws "$T/d2" "$T/v.tsv"
cmp -s "$T/out" "$T/s7" || bad "seed 7 twice differs"
cmp -s "$T/d1" "$T/d2" || bad "draws differ"
run simulate --terms "$T/terms.tsv" --target "$T/target.tsv" --seed 8 "$T/v.tsv"
cmp -s "$T/out" "$T/s7" && bad "seed 8 gives seed 7's numbers"
expect_eq "$(wc -l <"$T/d1" | tr -d ' ')" 1001 "one draw line per iteration"
# the summary is the draws' own statistics: the mean of 1000 nets, the
# 50th smallest (p5) and the 500th (p50), the share of positive draws
expect_eq "$(awk -F'\t' 'NR > 1 { v = $7; sub(/\./, "", v); s += v; n += ($6 > 0) } END { printf "%.2f %.4f", s / 100 / 1000, n / 1000 }' "$T/d1")" \
	"$(sed -n 2p "$T/s7" | cut -f4,10 | tr '\t' ' ')" "mean and P(savings) from the draws"
expect_eq "$(tail -n +2 "$T/d1" | cut -f7 | sort -n | sed -n '50p;500p' | tr '\n' ' ')" \
	"$(sed -n 2p "$T/s7" | cut -f5,7 | tr '\t' ' ') " "p5 and p50 from the draws"
done_case

case_ "trend draws move the target: trend_sd 0 leaves it, 0.02 spreads it"
run simulate --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 5 --draws "$T/d0" "$T/costs.tsv"
expect_eq "$(tail -n +2 "$T/d0" | cut -f3,4 | sort -u | tr '\t\n' ' |')" "0.050000 1200.00|0.050000 3600.00|" "no trend draw"
run simulate --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 200 --set trend_sd=0.02 --draws "$T/dt" "$T/costs.tsv"
# target 3600 × (1 + t') / 1.05 with t' ~ normal(5%, 2%): spread and centred
expect_eq "$(awk -F'\t' '$2 == "X" { n++; s += $3; if ($4 != "3600.00") m++ } END { print (m > 150 && s / n > 0.045 && s / n < 0.055) ? "ok" : s / n " " m }' "$T/dt")" ok "drawn trends"
done_case

case_ "bad input"
printf 'member_id\tperiod\torg_id\tmembers\tmember_months\tcost\nagg\tmeasure\tX\t3\t36\t3300\n' >"$T/agg.tsv"
run simulate --target "$T/target.tsv" "$T/agg.tsv"
expect_status 65
expect_err "simulate: $T/agg.tsv: aggregate rows (column 'members'): the bootstrap resamples members and needs member rows"
run simulate --target "$T/target.tsv" --iterations 0 "$T/costs.tsv"
expect_status 64
expect_err_has "simulate: --iterations: '0' is not a count from 1 to 10000000"
printf 'org_id\ttarget_pmpm\nX\t100.00\n' >"$T/tx.tsv"
run simulate --target "$T/tx.tsv" "$T/costs.tsv"
expect_status 65
expect_err "simulate: org 'Y' has measurement costs but no target in $T/tx.tsv"
done_case
