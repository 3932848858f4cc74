# target: target(1)'s worked example ($449.49), each adjustment by hand,
# rounding at half cents, regression trend per org, loss-ratio targets, and
# bad input.
. "$(dirname "$0")/../lib.sh"

printf 'term\tvalue\nbase_start\t2023-01-01\nbase_end\t2023-12-31\nmeasure_start\t2024-01-01\nmeasure_end\t2024-12-31\ntrend\t0.07\n' >"$T/terms.tsv"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\n' >"$T/costs.tsv"
printf 'A\tbase\tX\t12\t5200.00\nB\tbase\tX\t12\t4400.00\nA\tmeasure\tX\t12\t5100.00\n' >>"$T/costs.tsv"
printf 'C\tmeasure\tY\t12\t100.00\n' >>"$T/costs.tsv"
printf 'org_id\tdimension\tbase\tmeasure\tratio\nX\tdemographic\t1.1000\t1.1250\t1.0227\nX\taggregate\t1.5017\t1.5771\t1.0502\n' >"$T/mix.tsv"
col() {
	awk -F'\t' -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR == 2 { print $c[n] }' "$T/out"
}
cols() { for n in "$@"; do printf '%s ' "$(col "$n")"; done; }

case_ "worked example: A 400.00, B 7%, C 428.00, D 1.0502, E 449.49"
run target -v --terms "$T/terms.tsv" --mix "$T/mix.tsv" "$T/costs.tsv"
expect_status 0
# A = (5200 + 4400) / 24 = 400.00; C = 400 × 1.07 = 428.00;
# E = 428 × 1.0502 = 449.4856 → 449.49; no other adjustment
expect_out <<'E'
org_id	base_members	base_member_months	base_pmpm	trend	target_base_basis_pmpm	mix_adjustment	target_measure_basis_pmpm	regional_adjustment_pmpm	prior_savings_pmpm	risk_discount	target_pmpm
X	2	24	400.00	0.0700	428.00	1.0502	449.49	0.00	0.00	0.0000	449.49
E
# Y has measurement rows only: no target, counted
expect_err "target: read 4, targets 1, rejected 0; left out: orgs with measurement rows only (no target): 1"
done_case

case_ "regional adjustment, its cap, prior savings, a negative risk discount"
printf 'org_id\tregional_pmpm\nX\t300.00\n' >"$T/org.tsv"
printf 'org_id\tprior_savings_pmpm\nX\t10.01\n' >"$T/prior.tsv"
# weight 1: 300.00 − 449.49 = −149.49, limited to 10% × 300 = 30.00 → −30.00;
# prior 50% × 10.01 = 5.005 → 5.01; (449.49 − 30.00 + 5.01) × 1.02 = 432.99
run target --terms "$T/terms.tsv" --org-terms "$T/org.tsv" --prior "$T/prior.tsv" --mix "$T/mix.tsv" \
	--set regional_weight=1 --set regional_cap=0.1 --set prior_savings_share=0.5 --set risk_discount=-0.02 "$T/costs.tsv"
expect_status 0
expect_eq "$(cols regional_adjustment_pmpm prior_savings_pmpm risk_discount target_pmpm)" "-30.00 5.01 -0.0200 432.99 " "adjustments"
# without the cap: −149.49; × 1 − 0.01: (449.49 − 149.49) × 0.99 = 297.00
run target --terms "$T/terms.tsv" --org-terms "$T/org.tsv" --mix "$T/mix.tsv" \
	--set regional_weight=1 --set risk_discount=0.01 "$T/costs.tsv"
expect_eq "$(cols regional_adjustment_pmpm target_pmpm)" "-149.49 297.00 " "uncapped"
done_case

case_ "half cents: A and C round half away from zero"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\nA\tbase\tX\t2\t100.01\n' >"$T/half.tsv"
# A = 100.01 / 2 = 50.005 → 50.01; B 0.0500 (term 0.05); C = 50.01 × 1.05 =
# 52.5105 → 52.51; trend 0.07495 → B 0.0750 (4 decimals): 50.01 × 1.075 =
# 53.76075 → 53.76
run target --terms "$T/terms.tsv" --set trend=0.05 "$T/half.tsv"
expect_eq "$(cols base_pmpm trend target_base_basis_pmpm)" "50.01 0.0500 52.51 " "B 5%"
run target --terms "$T/terms.tsv" --set trend=0.07495 "$T/half.tsv"
expect_eq "$(cols trend target_base_basis_pmpm)" "0.0750 53.76 " "B rounded first"
done_case

case_ "regression trend per org, workday-normalised"
printf 'org_id\tmonth\tpmpm\tworkdays\n' >"$T/hist.tsv"
# X: normalised (20 standard days) 390, 396, 402, 408 at x = −12, −6, 0, 6:
# slope 1, intercept 402; midpoints x = 5.5 and 17.5: 407.5 and 419.5;
# B = 419.5 / 407.5 − 1 = 0.029448 → 0.0294; C = 400 × 1.0294 = 411.76
printf 'X\t2022-01\t390.00\t20\nX\t2022-07\t435.60\t22\nX\t2023-01\t402.00\t20\nX\t2023-07\t367.20\t18\n' >>"$T/hist.tsv"
# Y: flat 100: B 0, R² 1 (no variance to explain)
printf 'Y\t2023-01\t100.00\t20\nY\t2023-06\t100.00\t20\n' >>"$T/hist.tsv"
printf 'B\tbase\tY\t12\t1200.00\n' >>"$T/costs.tsv"
run target --terms "$T/terms.tsv" --set trend_method=regression --set standard_workdays=20 --history "$T/hist.tsv" "$T/costs.tsv"
expect_status 0
expect_eq "$(cut -f1,5,6,13- "$T/out" | tail -n 2 | tr '\t\n' ' |')" \
	"X 0.0294 411.76 1.0000 402.0000 1.0000|Y 0.0000 100.00 0.0000 100.0000 1.0000|" "fits"
done_case

case_ "loss-ratio target and the actual-mix ratio"
printf 'cell\texpected_mm\tclaims_pmpm\tpremium_pmpm\nF:65-74\t6000\t700.00\t1000.00\nF:75-120\t4000\t950.00\t1100.00\n' >"$T/pricing.tsv"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\tsex\tage\tpremium\n' >"$T/lr.tsv"
printf 'A\tmeasure\tX\t12\t9000.00\tF\t70\t12000.00\nB\tmeasure\tX\t24\t21500.00\tF\t80\t26400.00\n' >>"$T/lr.tsv"
run target --terms "$T/terms.tsv" --set target_method=loss_ratio --pricing "$T/pricing.tsv" "$T/lr.tsv"
expect_status 0
# (6000 × 700 + 4000 × 950) / (6000 × 1000 + 4000 × 1100) = 8.0M / 10.4M =
# 0.769231 → 0.7692; actual months 12 and 24: (8400 + 22800) / (12000 +
# 26400) = 0.8125. No base rows: the PMPM columns are empty.
expect_eq "$(cut -f1,4,12- "$T/out" | tail -n 1)" "X			0.7692	0.8125" "ratios"
cp "$T/out" "$T/lrt.tsv"
# settle: 0.7692 × 38,400.00 premium = 29,537.28 target; cost 30,500.00
run settle --total --terms "$T/terms.tsv" --set target_method=loss_ratio --target "$T/lrt.tsv" "$T/lr.tsv"
expect_eq "$(cut -f6-8,26 "$T/out" | sed -n 2p)" "29537.28	30500.00	-962.72	38400.00" "settled on premium"
done_case

case_ "bad input and terms"
run target --terms "$T/terms.tsv" --set trend_method=regression "$T/costs.tsv"
expect_status 64
expect_err "target: trend_method = regression needs --history FILE"
printf 'org_id\tdimension\tbase\tmeasure\tratio\nZ\taggregate\t1\t1\t1.0000\n' >"$T/mixz.tsv"
run target --terms "$T/terms.tsv" --mix "$T/mixz.tsv" "$T/costs.tsv"
expect_status 65
expect_err "target: $T/mixz.tsv: no aggregate mix row for org 'X'"
printf 'month\tpmpm\n2023-01\t100.00\n' >"$T/h1.tsv"
run target --terms "$T/terms.tsv" --set trend_method=regression --history "$T/h1.tsv" "$T/costs.tsv"
expect_status 65
expect_err "target: $T/h1.tsv: the history of all orgs has fewer than two distinct months: no trend line"
run target --terms "$T/terms.tsv" --set regional_weight=0.5 "$T/costs.tsv"
expect_status 64
expect_err "target: org 'X': 'regional_weight' is given but 'regional_pmpm' is not"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\nA\tbase\tX\t12\t12,50\n' >"$T/bad.tsv"
run target --terms "$T/terms.tsv" "$T/bad.tsv"
expect_status 65
expect_err "target: $T/bad.tsv:2: column 'cost' (5): invalid amount '12,50'"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\tsex\tage\nA\tmeasure\tX\t12\t1\tM\t70\n' >"$T/nocell.tsv"
run target --terms "$T/terms.tsv" --set target_method=loss_ratio --pricing "$T/pricing.tsv" "$T/nocell.tsv"
expect_status 65
expect_err "target: $T/nocell.tsv:2: no pricing cell for sex 'M' age 70"
done_case
