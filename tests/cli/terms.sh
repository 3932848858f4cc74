# Contract terms are checked once, as they are read, for every tool: the
# registry (lib/term_defs.c) carries each term's type, choices and range,
# so an out-of-range value stops any tool that is given it, with the file
# and line, before any data is read (exit 64).
. "$(dirname "$0")/../lib.sh"

printf 'term\tvalue\nbase_start\t2023-01-01\nbase_end\t2023-12-31\nmeasure_start\t2024-01-01\nmeasure_end\t2024-12-31\ntrend\t5\n' >"$T/trend5.tsv"

case_ "trend 5 (meant as 5%): every tool that takes terms stops with the place"
# trend lies in (-1, 1): 5 means +500%, which no contract means; the
# message says how to write 5% (5 / 100 = 0.05)
for tool in "attribute --roster $T/none" "cohort-select --eligibility $T/none" \
	"cap-large-claims --cohort $T/none" "mix-factor --factors $T/none" "target" \
	"settle --target $T/none" "simulate --target $T/none" "report"; do
	# shellcheck disable=SC2086
	run $tool --terms "$T/trend5.tsv" "$T/none"
	expect_status 64
	expect_err "${tool%% *}: $T/trend5.tsv:6: term 'trend': 5 is not above -1 and below 1 (a rate is a fraction: write 0.05 for 5%)"
done
done_case

case_ "each kind of range: closed, half-open, open, no upper bound"
# sharing_rate [0, 1]; base_completion (0, 1]; risk_discount [-1, 1);
# scenario_step (0, 1); care_mgmt_fee_pmpm 0 or more; lookback [0, 1200]
run settle --target "$T/none" --set sharing_rate=1.000001
expect_err "settle: --set: term 'sharing_rate': 1.000001 is not between 0 and 1 (a rate is a fraction: write 0.01000001 for 1.000001%)"
run settle --target "$T/none" --set base_completion=0
expect_err "settle: --set: term 'base_completion': 0 is not above 0 and at most 1"
run target --set risk_discount=1
expect_err "target: --set: term 'risk_discount': 1 is not at least -1 and below 1"
run report --set scenario_step=0
expect_err "report: --set: term 'scenario_step': 0 is not above 0 and below 1"
run settle --target "$T/none" --set care_mgmt_fee_pmpm=-0.01
expect_err "settle: --set: term 'care_mgmt_fee_pmpm': -0.01 is not at least 0.00"
run attribute --roster "$T/none" --set attribution_lookback_months=1201
expect_err "attribute: --set: term 'attribution_lookback_months': 1201 is not between 0 and 1200"
expect_status 64
# the bounds themselves are in range: the tools go on to open their inputs
run settle --target "$T/none" --set sharing_rate=1 --set base_completion=1 --set care_mgmt_fee_pmpm=0
expect_status 66
expect_err "settle: $T/none: cannot open: No such file or directory"
done_case

case_ "per-org terms are checked with their file and line"
printf 'org_id\tsharing_rate\nA\t0.6\nB\t60\n' >"$T/org-terms.tsv"
run settle --target "$T/none" --org-terms "$T/org-terms.tsv"
expect_status 64
expect_err "settle: $T/org-terms.tsv:3: term 'sharing_rate': 60 is not between 0 and 1 (a rate is a fraction: write 0.6 for 60%)"
done_case

case_ "choices: a name not in the term's table, and a rate-or-choice"
run settle --target "$T/none" --set risk=two-sided
expect_status 64
expect_err "settle: --set: term 'risk': invalid choice 'two-sided' (one_sided or two_sided)"
run settle --target "$T/none" --set msr=MSSP
expect_err "settle: --set: term 'msr': invalid value 'MSSP' (a rate, or mssp)"
run settle --target "$T/none" --set loss_rate=linked
expect_err "settle: --set: term 'loss_rate': invalid value 'linked' (a rate, or quality_linked)"
done_case

case_ "unknown term: exit 64 with a suggestion"
printf 'term\tvalue\nsharing_rat\t0.6\n' >"$T/terms.tsv"
run settle --target "$T/none" --terms "$T/terms.tsv"
expect_status 64
expect_err "settle: $T/terms.tsv:2: unknown term 'sharing_rat'; did you mean 'sharing_rate'?"
done_case
