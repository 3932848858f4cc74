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
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 40 -v "$T/costs.tsv"
expect_status 0
# X: every draw 150.00: mean, all percentiles 150.00, P(savings) 1, P(loss) 0
# Y: every draw (50.00); programme: 150 − 50 = 100.00 every draw. The 5%
# value at risk is −p5 and the expected shortfall −(mean of the worst
# ⌈0.05 × 40⌉ = 2 draws): X −150.00, Y 50.00, programme −100.00. The
# programme shares savings when its orgs' shares sum above 0: 150 − 50 =
# 100.00 every draw, so P(savings) 1, P(loss) 0, mean shared 100.00
expect_out <<'E'
variant	org_id	members	iterations	mean_net	p5_net	p25_net	p50_net	p75_net	p95_net	prob_savings	prob_loss	mean_shared	expected_settlement	value_at_risk_5	expected_shortfall_5
base	X	3	40	150.00	150.00	150.00	150.00	150.00	150.00	1.0000	0.0000	150.00	150.00	-150.00	-150.00
base	Y	1	40	-50.00	-50.00	-50.00	-50.00	-50.00	-50.00	0.0000	1.0000	-50.00	-50.00	50.00	50.00
base	*	4	40	100.00	100.00	100.00	100.00	100.00	100.00	1.0000	0.0000	100.00	100.00	-100.00	-100.00
E
expect_err "simulate: read 6, members 4, rejected 0; left out: base-period rows: 2"
# without --total: the orgs' rows only
run simulate --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 40 "$T/costs.tsv"
expect_eq "$(cut -f2 "$T/out" | tr '\n' ' ')" "org_id X Y " "org rows only"
settle --total --terms "$T/terms.tsv" --target "$T/target.tsv" "$T/costs.tsv" | cut -f1,21 >"$T/settle"
expect_eq "$(sed -n 2,3p "$T/settle" | tr '\t\n' ' |')" "X 150.00|Y -50.00|" "settle agrees"
done_case

case_ "a seed gives the same bytes; another seed other draws; --draws"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\n' >"$T/v.tsv"
for i in 1 2 3 4 5 6 7 8; do printf 'm%d\tmeasure\tX\t12\t%d00.00\n' "$i" "$((i * 3))" >>"$T/v.tsv"; done
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --seed 7 --draws "$T/d1" "$T/v.tsv"
expect_status 0
cp "$T/out" "$T/s7"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --seed 7 --draws "$T/d2" "$T/v.tsv"
cmp -s "$T/out" "$T/s7" || bad "seed 7 twice differs"
cmp -s "$T/d1" "$T/d2" || bad "draws differ"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --seed 8 "$T/v.tsv"
cmp -s "$T/out" "$T/s7" && bad "seed 8 gives seed 7's numbers"
expect_eq "$(wc -l <"$T/d1" | tr -d ' ')" 1001 "one draw line per iteration"
# the summary is the draws' own statistics: the mean of 1000 nets, the
# 50th smallest (p5) and the 500th (p50), the share of positive draws
expect_eq "$(awk -F'\t' 'NR > 1 { v = $8; sub(/\./, "", v); s += v; n += ($7 > 0) } END { printf "%.2f %.4f", s / 100 / 1000, n / 1000 }' "$T/d1")" \
	"$(sed -n 2p "$T/s7" | cut -f5,11 | tr '\t' ' ')" "mean and P(savings) from the draws"
expect_eq "$(tail -n +2 "$T/d1" | cut -f8 | sort -n | sed -n '50p;500p' | tr '\n' ' ')" \
	"$(sed -n 2p "$T/s7" | cut -f6,8 | tr '\t' ' ') " "p5 and p50 from the draws"
# value at risk = −p5; expected shortfall = −(mean of the 50 worst of 1000)
expect_eq "$(tail -n +2 "$T/d1" | cut -f8 | sort -n | head -n 50 | awk '{ v = $1; sub(/\./, "", v); s += v } END { printf "%.2f", -s / 5000 }')" \
	"$(sed -n 2p "$T/s7" | cut -f16)" "expected shortfall from the draws"
expect_eq "$(sed -n 2p "$T/s7" | awk -F'\t' '{ print -$6 == $15 }')" 1 "value at risk = -p5"
done_case

case_ "trend draws move the target: trend_sd 0 leaves it, 0.02 spreads it"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 5 --draws "$T/d0" "$T/costs.tsv"
expect_eq "$(tail -n +2 "$T/d0" | cut -f4,5 | sort -u | tr '\t\n' ' |')" "0.050000 1200.00|0.050000 3600.00|" "no trend draw"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 200 --set trend_sd=0.02 --draws "$T/dt" "$T/costs.tsv"
# target 3600 × (1 + t') / 1.05 with t' ~ normal(5%, 2%): spread and centred
expect_eq "$(awk -F'\t' '$3 == "X" { n++; s += $4; if ($5 != "3600.00") m++ } END { print (m > 150 && s / n > 0.045 && s / n < 0.055) ? "ok" : s / n " " m }' "$T/dt")" ok "drawn trends"
done_case

case_ "bad input"
printf 'member_id\tperiod\torg_id\tmembers\tmember_months\tcost\nagg\tmeasure\tX\t3\t36\t3300\n' >"$T/agg.tsv"
run simulate --total --target "$T/target.tsv" "$T/agg.tsv"
expect_status 65
expect_err "simulate: $T/agg.tsv: aggregate rows (column 'members'): the bootstrap resamples members and needs member rows"
run simulate --total --target "$T/target.tsv" --iterations 0 "$T/costs.tsv"
expect_status 64
expect_err_has "simulate: --iterations: '0' is not a count from 1 to 10000000"
printf 'org_id\ttarget_pmpm\nX\t100.00\n' >"$T/tx.tsv"
run simulate --total --target "$T/tx.tsv" "$T/costs.tsv"
expect_status 65
expect_err "simulate: org 'Y' has measurement costs but no target in $T/tx.tsv"
done_case

case_ "--variant: the same draws settled under each contract (paired)"
# a variant with the base's own terms: its rows and draws are the base's
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --seed 3 --variant same="$T/terms.tsv" --draws "$T/dv" "$T/v.tsv"
expect_status 0
cp "$T/out" "$T/sv"
expect_eq "$(grep -c '^same	' "$T/sv")" 2 "rows of the variant"
expect_eq "$(grep '^same	' "$T/sv" | cut -f2-)" "$(grep '^base	' "$T/sv" | cut -f2-)" "the same rows"
expect_eq "$(grep '^same	' "$T/dv" | cut -f2- | md5sum)" "$(grep '^base	' "$T/dv" | cut -f2- | md5sum)" "the same draws"
# the base's rows do not depend on the variants
simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --seed 3 "$T/v.tsv" >"$T/s3"
expect_eq "$(grep -v '^same	' "$T/sv")" "$(cat "$T/s3")" "base rows without variants"
# one-sided, no threshold, cap or quality: shared = gross × sharing rate,
# rounded once, so under 60% each draw is 1.2 × the 50% draw within a
# cent (±0.5 cent from each rounding, ×1.2); the trend draw (trend_sd
# 0.02) is the same in both, or the ratio would not hold
printf 'term\tvalue\nrisk\tone_sided\nsharing_rate\t0.5\ntrend\t0.05\ntrend_sd\t0.02\n' >"$T/s50.tsv"
sed 's/^sharing_rate\t0.5$/sharing_rate\t0.6/' "$T/s50.tsv" >"$T/s60.tsv"
run simulate --total --terms "$T/s50.tsv" --target "$T/target.tsv" --variant s60="$T/s60.tsv" --draws "$T/d60" "$T/v.tsv"
expect_status 0
expect_eq "$(awk -F'\t' 'NR > 1 { v = $8; sub(/\./, "", v); k = $2 SUBSEP $3; if ($1 == "base") b[k] = v; else s[k] = v }
	END { for (k in b) { d = s[k] - 1.2 * b[k]; if (d > 1 || d < -1) bad++; if (b[k] > 0) pos++; n++ }
	      print n, bad + 0, (pos > 100) }' "$T/d60")" "1000 0 1" "draws, draws off by more than a cent, draws with savings"
expect_eq "$(awk -F'\t' 'NR > 1 && $4 != "0.050000" { n++ } END { print (n > 900) }' "$T/d60")" 1 "trends drawn"
done_case

case_ "--sensitivity: each given term down and up, largest change first"
# X: 3 × 1100 against 3600 (saves 300); Y: 1300 against 1200 (loses 100);
# two-sided, loss rate 50%, sharing 50%, trend 5%, a savings cap of 90%:
# base 150.00 − 50.00 = 100.00.
# trend 4%: X target 3600 × 1.04 / 1.05 = 3565.71, shared 265.71 × 0.5 =
#   132.855 → 132.86; Y 1200 × 1.04 / 1.05 = 1188.57, −111.43 × 0.5 =
#   −55.715 → −55.72: 77.14 (−22.86). trend 6%: 3634.29 → 167.145 →
#   167.15; 1211.43 → −44.285 → −44.29: 122.86 (+22.86)
# sharing 45% / 55%: X 135.00 / 165.00: 85.00 / 115.00 (∓15.00)
# loss rate 45% / 55%: Y −45.00 / −55.00: 105.00 / 95.00 (±5.00)
# savings cap 89% / 91% of 3600: never binds: 0.00 both ways
printf 'term\tvalue\nrisk\ttwo_sided\nloss_rate\t0.5\ntrend\t0.05\nsharing_rate\t0.5\nsavings_cap\t0.9\n' >"$T/st.tsv"
grep -v '^e	' "$T/costs.tsv" | grep -v 'base' >"$T/cm.tsv"
run simulate --total --terms "$T/st.tsv" --target "$T/target.tsv" --iterations 20 --sensitivity "$T/sens.tsv" "$T/cm.tsv"
expect_status 0
expect_eq "$(cat "$T/sens.tsv")" "term	step	expected_low	expected_base	expected_high	change_low	change_high
trend	0.010	77.14	100.00	122.86	-22.86	22.86
sharing_rate	0.050	85.00	100.00	115.00	-15.00	15.00
loss_rate	0.050	105.00	100.00	95.00	5.00	-5.00
savings_cap	0.010	100.00	100.00	100.00	0.00	0.00" "sensitivity"
# the moved contracts are not rows of the output
expect_eq "$(cut -f1 "$T/out" | sort -u | tr '\n' ' ')" "base variant " "variants in the output"
done_case

case_ "--variant: bad names, files and a variant that needs other targets"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --variant base="$T/terms.tsv" "$T/v.tsv"
expect_status 64
expect_err_has "--variant 'base=$T/terms.tsv': NAME is 1 to 40 letters, digits and . _ - (not 'base'), then =FILE"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --variant a="$T/terms.tsv" --variant a="$T/terms.tsv" "$T/v.tsv"
expect_status 64
expect_err_has "--variant 'a=$T/terms.tsv': the name is taken"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --variant "$T/terms.tsv" "$T/v.tsv"
expect_status 64
expect_err_has "expected NAME=FILE"
printf 'term\tvalue\nsharing_rate\t5\n' >"$T/bad.tsv"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --variant b="$T/bad.tsv" "$T/v.tsv"
expect_status 64
expect_err_has "$T/bad.tsv:2"
printf 'term\tvalue\ntarget_method\tloss_ratio\n' >"$T/lr.tsv"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --variant lr="$T/lr.tsv" "$T/v.tsv"
expect_status 64
expect_err_has "--variant lr: target_method is 'loss_ratio', the base's 'cost': a variant settles against the base's targets"
done_case

case_ "members drawn packed (months under 256) and as records (256 or more): negative costs"
# simulate packs cost × 256 + months into one int64 when an org's members
# fit, else draws the 16-byte records: both must give the same sums.
# P: two identical members, 12 months and cost −1,234.56 each (packed):
# every resample costs −2,469.12 over 24 months against 100.00 × 24 =
# 2,400.00: savings 4,869.12 × 50% = 2,434.56. Q: the same with 300
# months each (records): 100.00 × 600 = 60,000.00 + 2,469.12 = 62,469.12
# × 50% = 31,234.56. Programme: 33,669.12.
printf 'org_id\ttarget_pmpm\nP\t100.00\nQ\t100.00\n' >"$T/pq-target.tsv"
{
printf 'member_id\tperiod\torg_id\tmember_months\tcost\n'
printf 'p1\tmeasure\tP\t12\t-1234.56\np2\tmeasure\tP\t12\t-1234.56\n'
printf 'q1\tmeasure\tQ\t300\t-1234.56\nq2\tmeasure\tQ\t300\t-1234.56\n'
} >"$T/pq.tsv"
run simulate --total --terms "$T/terms.tsv" --target "$T/pq-target.tsv" --iterations 20 "$T/pq.tsv"
expect_status 0
expect_eq "$(cut -f2,5,6,10 "$T/out" | tr '\t\n' ' |')" \
	"org_id mean_net p5_net p95_net|P 2434.56 2434.56 2434.56|Q 31234.56 31234.56 31234.56|* 33669.12 33669.12 33669.12|" \
	"packed and record draws"
settle --total --terms "$T/terms.tsv" --target "$T/pq-target.tsv" "$T/pq.tsv" | cut -f1,21 >"$T/settle"
expect_eq "$(sed -n 2,3p "$T/settle" | tr '\t\n' ' |')" "P 2434.56|Q 31234.56|" "settle agrees"
done_case
