# settle: settle(1)'s quality table, a hand-computed case for every term
# (the arithmetic beside each), rounding at half-cent boundaries, the MSSP
# scale at its exact boundary, member rows vs merged aggregates, and bad
# input.
. "$(dirname "$0")/../lib.sh"

# one org X: settle_one TARGET_TOTAL COST [MEMBERS MM] [terms...] — terms
# as NAME=VALUE go to --set; the quality file gives X a score of $Q (and
# met_quality_standard $MET when set).
settle_one() {
	tt=$1 cost=$2 members=$3 mm=$4
	shift 4
	printf 'member_id\tperiod\torg_id\tmembers\tmember_months\tcost\n' >"$T/c.tsv"
	printf 'X\tmeasure\tX\t%s\t%s\t%s\n' "$members" "$mm" "$cost" >>"$T/c.tsv"
	printf 'org_id\ttarget_total\nX\t%s\n' "$tt" >"$T/t.tsv"
	if [ -n "${MET:-}" ]; then
		printf 'org_id\tquality_score\tmet_quality_standard\nX\t%s\t%s\n' "${Q:-1}" "$MET" >"$T/q.tsv"
	else
		printf 'org_id\tquality_score\nX\t%s\n' "${Q:-1}" >"$T/q.tsv"
	fi
	sets=""
	for s in "$@"; do sets="$sets --set $s"; done
	# shellcheck disable=SC2086
	run settle --total --target "$T/t.tsv" --quality "$T/q.tsv" $sets "$T/c.tsv"
}
# col NAME: the named column of the org's row (line 2)
col() {
	awk -F'\t' -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR == 2 { print $c[n] }' "$T/out"
}
cols() { for n in "$@"; do printf '%s ' "$(col "$n")"; done; }

case_ "quality table (seed, B 60%, quality_min 30%, loss_rate_max 60%)"
printf 'term\tvalue\nrisk\ttwo_sided\nsharing_rate\t0.60\nquality_mode\tseed\nquality_min\t0.30\nloss_rate_max\t0.60\n' >"$T/terms.tsv"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\n' >"$T/costs.tsv"
printf 'org_id\ttarget_total\n' >"$T/target.tsv"
printf 'org_id\tquality_score\n' >"$T/quality.tsv"
for x in 'a 900 1.00' 'b 900 0.40' 'c 900 0.20' 'd 1100 1.00' 'e 1100 0.80' 'f 1100 0.40'; do
	set -- $x
	printf '%s\tmeasure\t%s\t12\t%s\n' "$1" "$1" "$2" >>"$T/costs.tsv"
	printf '%s\t1000\n' "$1" >>"$T/target.tsv"
	printf '%s\t%s\n' "$1" "$3" >>"$T/quality.tsv"
done
run settle --total --terms "$T/terms.tsv" --target "$T/target.tsv" --quality "$T/quality.tsv" "$T/costs.tsv"
expect_status 0
# $100 × 60% × 100% = $60; × 40% = $24; 20% < 30%: $0;
# ($100) × (1 − 60%) = ($40); × (1 − 48%) = ($52); 1 − 24% = 76% > 60%: ($60)
expect_eq "$(cut -f19 "$T/out" | tr '\n' ' ')" "shared 60.00 24.00 0.00 -40.00 -52.00 -60.00 -68.00 " "D"
expect_eq "$(awk -F'\t' '{ print NF }' "$T/out" | sort -u)" 25 "every row has every column"
done_case

case_ "msr: exactly at the threshold counts, a cent below does not"
# T 1000.00, msr 2%: A = 20.00 is 2.0000% → met, × 50% = 10.00
settle_one 1000 980 1 12 msr=0.02
expect_eq "$(cols threshold_met generated_savings shared)" "Y 20.00 10.00 " "A = 20.00"
# A = 19.99 → 1.999% < 2%: nothing
settle_one 1000 980.01 1 12 msr=0.02
expect_eq "$(cols threshold_met generated_savings shared)" "N 0.00 0.00 " "A = 19.99"
done_case

case_ "threshold_mode net: only the savings beyond the msr"
# A = 50.00, msr 2% of 1000 = 20.00 → 30.00 × 50% = 15.00
settle_one 1000 950 1 12 msr=0.02 threshold_mode=net
expect_eq "$(cols generated_savings shared)" "30.00 15.00 " "net"
done_case

case_ "msr = mssp: 5,500 members, exact at the boundary"
# 5,000–5,999: 3.9% → 3.6%; 5,500: 3.9 − 500/999 × 0.3 = 3.7498498…%
# (37461/999000). T 100,000.00: A 3,749.85 is 3.749850% ≥ → met;
# A 3,749.84 is 3.749840% < 3.7498498% → not.
settle_one 100000 96250.15 5500 66000 msr=mssp
expect_eq "$(cols msr mlr threshold_met shared)" "0.037498 0.037498 Y 1874.93 " "3749.85"
# 3,749.85 × 50% = 1,874.925 → 1,874.93 (half away from zero)
settle_one 100000 96250.16 5500 66000 msr=mssp
expect_eq "$(cols threshold_met shared)" "N 0.00 " "3749.84"
# 60,000+ members: 2%; 20,000: 2.5%; below 500: 12.2%
settle_one 100000 90000 60000 1 msr=mssp
expect_eq "$(col msr)" "0.020000" "60,000"
settle_one 100000 90000 20000 1 msr=mssp
expect_eq "$(col msr)" "0.025000" "20,000"
settle_one 100000 90000 499 1 msr=mssp
expect_eq "$(col msr)" "0.122000" "499"
done_case

case_ "one-sided: a loss beyond the threshold is generated, not shared"
settle_one 1000 1100 1 12 msr=0.02
expect_eq "$(cols threshold_met generated_savings loss_rate shared net_settlement)" "Y -100.00  0.00 0.00 " "one-sided"
done_case

case_ "quality modes: none, multiply, gate"
# none: B = 50% whatever the score: 100 × 0.5 = 50
Q=0.4 settle_one 1000 900 1 12 quality_mode=none
expect_eq "$(cols final_sharing_rate shared)" "0.500000 50.00 " "none"
# multiply: 0.5 × 0.8 = 0.4 → 40
Q=0.8 settle_one 1000 900 1 12 quality_mode=multiply
expect_eq "$(cols final_sharing_rate shared)" "0.400000 40.00 " "multiply"
# gate: 0.7 ≥ 0.6 → full 50%; 0.5 < 0.6 → standard not met: 0, and a loss
# pays loss_rate_max 0.75: (100) × 0.75 = (75)
Q=0.7 settle_one 1000 900 1 12 quality_mode=gate quality_min=0.6
expect_eq "$(cols final_sharing_rate shared met_quality_standard)" "0.500000 50.00 Y " "gate met"
Q=0.5 settle_one 1000 1100 1 12 quality_mode=gate quality_min=0.6 risk=two_sided loss_rate_max=0.75
expect_eq "$(cols final_sharing_rate loss_rate shared met_quality_standard)" "0.000000 0.750000 -75.00 N " "gate not met"
# met_quality_standard N from the file overrides a good score
Q=0.95 MET=N settle_one 1000 900 1 12 quality_mode=multiply
expect_eq "$(cols final_sharing_rate shared)" "0.000000 0.00 " "file says N"
done_case

case_ "loss rates: fixed, quality-linked within bounds"
# fixed 30%: (200) × 0.3 = (60)
settle_one 1000 1200 1 12 risk=two_sided loss_rate=0.30
expect_eq "$(cols loss_rate shared)" "0.300000 -60.00 " "fixed"
# linked, multiply, B 75%, Q 0.9: 1 − 0.675 = 0.325 → raised to min 0.40: (80)
Q=0.9 settle_one 1000 1200 1 12 risk=two_sided quality_mode=multiply sharing_rate=0.75 loss_rate=quality_linked loss_rate_min=0.4 loss_rate_max=0.75
expect_eq "$(cols loss_rate shared)" "0.400000 -80.00 " "linked, at min"
# Q 0.4: 1 − 0.3 = 0.7 within bounds: (140)
Q=0.4 settle_one 1000 1200 1 12 risk=two_sided quality_mode=multiply sharing_rate=0.75 loss_rate_min=0.4 loss_rate_max=0.75
expect_eq "$(cols loss_rate shared)" "0.700000 -140.00 " "linked"
done_case

case_ "payment reduction before the savings cap"
# 100 × 0.5 × 0.98 = 49.00
settle_one 1000 900 1 12 payment_reduction=0.02
expect_eq "$(cols shared_before_cap cap shared)" "49.00  49.00 " "reduction"
# its own line: 100 × 0.5 = 50.00 before it, 50.00 − 49.00 = 1.00 taken
expect_eq "$(cols shared_before_reduction payment_reduction)" "50.00 1.00 " "the reduction's line"
# cap 1% of 1000 = 10.00 < 49.00
settle_one 1000 900 1 12 payment_reduction=0.02 savings_cap=0.01
expect_eq "$(cols shared_before_cap cap shared)" "49.00 10.00 10.00 " "capped"
done_case

case_ "loss caps: the lower of benchmark and revenue binds; forgiveness after"
# (200) × 50% = (100); loss_cap 5% × 1000 = 50; 10% × revenue 300 = 30 → (30)
settle_one 1000 1200 1 12 risk=two_sided loss_rate=0.5 loss_cap=0.05 loss_cap_revenue=0.1 revenue=300
expect_eq "$(cols shared_before_cap cap shared)" "-100.00 30.00 -30.00 " "revenue cap binds"
# forgiveness 50% of (30) = (15), then $10 forgiven: (5)
settle_one 1000 1200 1 12 risk=two_sided loss_rate=0.5 loss_cap=0.05 loss_cap_revenue=0.1 revenue=300 loss_forgiveness=0.5 loss_forgiveness_amount=10
expect_eq "$(col shared)" "-5.00" "forgiven"
# forgiving more than the loss leaves 0, never a payment
settle_one 1000 1200 1 12 risk=two_sided loss_rate=0.5 loss_forgiveness_amount=500
expect_eq "$(col shared)" "0.00" "all forgiven"
done_case

case_ "care management fees: guaranteed, contingent, quality gate, offset"
# 2.00 × 12 member months = 24.00, paid on top of shared savings 50.00
settle_one 1000 900 1 12 care_mgmt_fee_pmpm=2.00
expect_eq "$(cols care_mgmt_fee net_settlement)" "24.00 74.00 " "guaranteed"
# contingent: only up to gross savings 10.00 (below the threshold: nothing shared)
settle_one 1000 990 1 12 care_mgmt_fee_pmpm=2.00 care_mgmt_fee_basis=contingent msr=0.02
expect_eq "$(cols care_mgmt_fee shared net_settlement)" "10.00 0.00 10.00 " "contingent"
settle_one 1000 1100 1 12 care_mgmt_fee_pmpm=2.00 care_mgmt_fee_basis=contingent
expect_eq "$(col care_mgmt_fee)" "0.00" "contingent on a loss"
# quality gate: 0.2 < quality_min 0.3 → no fee
Q=0.2 settle_one 1000 900 1 12 care_mgmt_fee_pmpm=2.00 care_mgmt_fee_quality_gate=Y quality_min=0.3
expect_eq "$(col care_mgmt_fee)" "0.00" "gated"
# offset: (100 − 24) × 50% = 38; net 38 + 24 = 62
settle_one 1000 900 1 12 care_mgmt_fee_pmpm=2.00 care_mgmt_fee_offset=Y
expect_eq "$(cols shared net_settlement)" "38.00 62.00 " "offset"
done_case

case_ "rounding at half-cent boundaries, half away from zero"
# 0.01 × 50% = 0.005 → 0.01
settle_one 1000 999.99 1 12
expect_eq "$(col shared)" "0.01" "0.005"
# (0.01) × 50% = (0.005) → (0.01)
settle_one 1000 1000.01 1 12 risk=two_sided loss_rate=0.5
expect_eq "$(col shared)" "-0.01" "-0.005"
# 1.01 × 50% = 0.505 → 0.51; 1.03 × 50% × 0.98 = 0.5047 → 0.50 (one rounding)
settle_one 1000 998.99 1 12
expect_eq "$(col shared)" "0.51" "0.505"
settle_one 1000 998.97 1 12 payment_reduction=0.02
expect_eq "$(col shared)" "0.50" "0.5047"
# PMPM: target 1000.00 over 2 member months = 500.00; actual
# 1000.01 / 2 = 500.005 → 500.01
settle_one 1000 1000.01 1 2
expect_eq "$(cols target_pmpm actual_pmpm)" "500.00 500.01 " "pmpm"
done_case

case_ "target_pmpm × member months; member rows and merged aggregates settle alike"
printf 'org_id\ttarget_pmpm\nX\t400.00\n' >"$T/tp.tsv"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\nA\tmeasure\tX\t12\t4000.00\nB\tmeasure\tX\t6\t2500.50\nC\tbase\tX\t12\t1.00\n' >"$T/m.tsv"
printf 'member_id\tperiod\torg_id\tmembers\tmember_months\tcost\n*\tmeasure\tX\t2\t18\t6500.50\n' >"$T/agg.tsv"
run settle --total --target "$T/tp.tsv" -v "$T/m.tsv"
expect_status 0
# 400.00 × 18 = 7200.00; 7200 − 6500.50 = 699.50 × 50% = 349.75
expect_eq "$(cols members member_months target_total shared)" "2 18 7200.00 349.75 " "member rows"
expect_err_has "left out: base-period rows: 1"
cp "$T/out" "$T/members.out"
run settle --total --target "$T/tp.tsv" "$T/agg.tsv"
cmp -s "$T/out" "$T/members.out" || bad "aggregate row settles differently"
done_case

case_ "programme total row"
printf 'org_id\ttarget_total\nX\t1000\nY\t2000\n' >"$T/t2.tsv"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\nA\tmeasure\tX\t12\t900\nB\tmeasure\tY\t12\t2100\n' >"$T/c2.tsv"
run settle --total --target "$T/t2.tsv" --set risk=two_sided --set loss_rate=0.5 "$T/c2.tsv"
# X: +100 → 50; Y: (100) → (50); total 0; gross 0; target 3000 / 24 = 125.00
expect_eq "$(tail -n 1 "$T/out" | cut -f1-8,19,21)" "*	2	24	125.00	125.00	3000.00	3000.00	0.00	0.00	0.00" "total"
# without --total the rows are orgs only: a sum over them counts each once
# (target 1000 + 2000 = 3000.00, not 6000.00 with the total row in it)
run settle --target "$T/t2.tsv" --set risk=two_sided --set loss_rate=0.5 "$T/c2.tsv"
expect_eq "$(cut -f1 "$T/out" | tr '\n' ' ')" "org_id X Y " "org rows only"
expect_eq "$(awk -F'\t' 'NR > 1 { v = $6; sub(/\./, "", v); s += v } END { print s / 100 }' "$T/out")" 3000 "target summed"
done_case

case_ "rows of targets, quality and org terms that match no org are counted and named"
# costs: X and Y (c2.tsv). The target file adds Z, the quality file W and
# V, the org terms U: each file's extra rows are 1, 2 and 1, and X and Y
# still settle as in the programme case above.
printf 'org_id\ttarget_total\nX\t1000\nY\t2000\nZ\t5\n' >"$T/t3.tsv"
printf 'org_id\tquality_score\nX\t1\nY\t1\nW\t1\nV\t1\n' >"$T/q3.tsv"
printf 'org_id\tsharing_rate\nU\t0.6\nX\t0.5\n' >"$T/ot3.tsv"
run settle --total -v --target "$T/t3.tsv" --quality "$T/q3.tsv" --org-terms "$T/ot3.tsv" "$T/c2.tsv"
expect_status 0
expect_err_has "settle: $T/t3.tsv: 1 targets of orgs without measurement costs: 'Z'"
expect_err_has "settle: $T/q3.tsv: 2 quality rows of orgs without measurement costs: 'W', 'V'"
expect_err_has "settle: $T/ot3.tsv: 1 org terms of orgs without measurement costs: 'U'"
expect_err_has "left out: targets of orgs without measurement costs: 1, quality rows of orgs without measurement costs: 2, org terms of orgs without measurement costs: 1"
expect_eq "$(tail -n +2 "$T/out" | cut -f1 | tr '\n' ' ')" "X Y * " "rows"
done_case

case_ "bad input: quality score 1.2"
Q=1.2 settle_one 1000 900 1 12 quality_mode=multiply
expect_status 65
expect_err_has "q.tsv:2: column 'quality_score' (2): invalid score '1.2' (a quality score is between 0 and 1)"
done_case

case_ "bad input: an org with costs but no target"
printf 'org_id\ttarget_total\nY\t1000\n' >"$T/ty.tsv"
run settle --total --target "$T/ty.tsv" "$T/c2.tsv"
expect_status 65
expect_err "settle: org 'X' has measurement costs but no target in $T/ty.tsv"
done_case

case_ "bad input: negative member months"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\nA\tmeasure\tX\t-12\t900\n' >"$T/neg.tsv"
run settle --total --target "$T/t2.tsv" "$T/neg.tsv"
expect_status 65
expect_err "settle: $T/neg.tsv:2: column 'member_months' (4): invalid count '-12'"
run settle --total --target "$T/t2.tsv" --rejects "$T/rej.tsv" "$T/neg.tsv" "$T/c2.tsv"
expect_status 65
expect_eq "$(tail -n 1 "$T/rej.tsv" | cut -f6-)" "column 'member_months' (4): invalid count '-12'	$T/neg.tsv	2" "reject row"
done_case

case_ "bad terms: msr = mssp, two-sided, no mlr; bounds; revenue"
settle_one 1000 900 1 12 msr=mssp risk=two_sided
expect_status 64
expect_err_has "'msr' is 'mssp' and 'risk' is 'two_sided' but 'mlr' is not given"
settle_one 1000 900 1 12 msr=mssp risk=two_sided mlr=mssp
expect_status 0
settle_one 1000 900 1 12 loss_rate_min=0.6 loss_rate_max=0.4
expect_status 64
expect_err_has "'loss_rate_min' 0.6 is above 'loss_rate_max' 0.4"
settle_one 1000 900 1 12 sharing_rate=1.5
expect_status 64
expect_err_has "term 'sharing_rate': 1.5 is not between 0 and 1"
settle_one 1000 900 1 12 loss_cap_revenue=0.1
expect_status 64
expect_err_has "'loss_cap_revenue' is given but the org's 'revenue' is not"
done_case

case_ "bad input: a quality mode and no quality score"
run settle --total --target "$T/t2.tsv" --set quality_mode=multiply "$T/c2.tsv"
expect_status 65
expect_err "settle: org 'X' has no quality score; give --quality FILE (quality_mode is multiply)"
done_case
