# One rule for an org's target total (lib/orgfiles.c vbr_target_total),
# used by settle, simulate and report's scenarios alike: a loss-ratio
# contract is measured against target loss ratio x premium in all three,
# even when the target file also carries a target_pmpm.
. "$(dirname "$0")/../lib.sh"

# Org X, two identical members (so every bootstrap draw is the same):
# each 12 member months, premium $500.00, cost $400.00.
#   premium 1,000.00; target total = 0.85 x 1,000.00 = 850.00
#   (target_pmpm 70.00 x 24 = 1,680.00 would be the cost-contract target)
#   actual 800.00; gross savings A = 50.00; shared = 50% x 50.00 = 25.00
printf 'term\tvalue\nbase_start\t2023-01-01\nbase_end\t2023-12-31\nmeasure_start\t2024-01-01\nmeasure_end\t2024-12-31\ntarget_method\tloss_ratio\nsharing_rate\t0.5\n' >"$T/terms.tsv"
printf 'org_id\ttarget_pmpm\ttarget_loss_ratio\nX\t70.00\t0.850000\n' >"$T/target.tsv"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\tpremium\n' >"$T/costs.tsv"
printf 'a\tmeasure\tX\t12\t400.00\t500.00\nb\tmeasure\tX\t12\t400.00\t500.00\n' >>"$T/costs.tsv"
col() {  # NAME FILE ROW: the named column of a row (2 = the first data row)
	awk -F'\t' -v n="$1" -v row="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR == row { print $c[n] }' "$2"
}

case_ "settle: loss ratio x premium"
run settle --total --terms "$T/terms.tsv" --target "$T/target.tsv" "$T/costs.tsv"
expect_status 0
cp "$T/out" "$T/settlement.tsv"
expect_eq "$(col target_total "$T/out" 2) $(col gross_savings "$T/out" 2) $(col shared "$T/out" 2)" \
	"850.00 50.00 25.00" "target, gross, shared"
# target PMPM shown = 850.00 / 24 = 35.4166... -> 35.42
expect_eq "$(col target_pmpm "$T/out" 2)" "35.42" "target PMPM"
done_case

case_ "simulate: every draw against loss ratio x the drawn premium"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 50 --draws "$T/draws.tsv" "$T/costs.tsv"
expect_status 0
# every draw: 2 members of premium 500.00 -> 850.00; net 25.00
expect_eq "$(tail -n +2 "$T/draws.tsv" | cut -f5 | sort -u | tr '\n' ' ')" "850.00 " "drawn target totals"
expect_eq "$(col expected_settlement "$T/out" 2) $(col p5_net "$T/out" 2)" "25.00 25.00" "expected settlement"
done_case

case_ "simulate: a drawn population's premium sets its target"
# members of different premium: c 300.00, d 700.00 (cost 400.00 each); a
# draw of {c, c} has target 0.85 x 600.00 = 510.00, {c, d} 850.00, {d, d}
# 0.85 x 1,400.00 = 1,190.00: only these three appear, each with the
# actual 800.00 of two members
printf 'member_id\tperiod\torg_id\tmember_months\tcost\tpremium\nc\tmeasure\tX\t12\t400.00\t300.00\nd\tmeasure\tX\t12\t400.00\t700.00\n' >"$T/c2.tsv"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 200 --draws "$T/d2.tsv" "$T/c2.tsv"
expect_status 0
expect_eq "$(tail -n +2 "$T/d2.tsv" | cut -f5,6 | sort -u | tr '\n' ' ')" \
	"1190.00	800.00 510.00	800.00 850.00	800.00 " "targets of the three populations"
done_case

case_ "report --scenarios: the settlement's target total, not target PMPM x months"
# 2 members, a year: 24 member months, the settlement's own; target total
# 850.00 (not 35.42 x 24 = 850.08). The actual, 800.00, is 5.88% below
# target: 3 steps of 2.5% reach it, so the step stays 2.5%. Scenario -1:
# actual PMPM 35.42 x 0.975 = 34.5345 -> 34.53, x 24 = 828.72; gross
# 850.00 - 828.72 = 21.28; shared 10.64; per member-month 10.64 / 24 =
# 0.443 -> 0.44 (with 850.08 it would be 21.36, 10.68, 0.45)
run report --terms "$T/terms.tsv" --scenarios 3 "$T/settlement.tsv"
expect_status 0
expect_eq "$(grep -E '^ *-1 ' "$T/out" | awk '{ print $3, $4, $5, $6 }')" "34.53 0.89 0.44 10.64" "scenario -1"
# with 1 scenario each side the grid widens to reach the actual: 5.88% ->
# 6.0% (a multiple of 0.5%); -1: 35.42 x 0.94 = 33.2948 -> 33.29, x 24 =
# 798.96; gross 51.04; shared 25.52; PMPM 1.0633 -> 1.06
run report --terms "$T/terms.tsv" --scenarios 1 "$T/settlement.tsv"
expect_eq "$(grep -E '^ *-1 ' "$T/out" | awk '{ print $2, $3, $5, $6 }')" "-6.00% 33.29 1.06 25.52" "widened scenario -1"
done_case
