# The Tuva Project seeds through ingest → attribute → cohort-select, with the
# expected rows worked out by hand from the seed rows (medical_claim_seed:
# rendering_npi, hcpcs_code, claim_line_start_date, allowed_amount;
# eligibility_seed: the enrollment spans). Base 2017, measurement 2018.
. "$(dirname "$0")/../lib.sh"

if [ ! -d "$DATA/tuva" ]; then
	skip_case "tuva chain" "$DATA/tuva is absent"
	exit 0
fi
printf 'term\tvalue\nbase_start\t2017-01-01\nbase_end\t2017-12-31\nmeasure_start\t2018-01-01\nmeasure_end\t2018-12-31\n' >"$T/terms.tsv"
# A hand-made roster: org o1 takes five PCPs that bill 10007 in 2018 and
# 10017 in 2017; o2 a specialist that billed person 10 in 2017.
cat >"$T/roster.tsv" <<'E'
provider_id	org_id	role
1174517056	o1	pcp
1346217635	o1	pcp
1922002724	o1	pcp
1306861067	o1	pcp
1467446922	o1	pcp
1386699239	o2	specialist
E
ingest --profile tuva-medical-claim "$DATA/tuva/medical_claim_seed.csv.gz" >"$T/claims.tsv"
ingest --profile tuva-eligibility "$DATA/tuva/eligibility_seed.csv.gz" >"$T/elig.tsv"

case_ "tuva: attribute"
run attribute -v --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
# 10007, 2018: o1 = 104.59 (1922002724, 01-28, 99214) + 112.21 + 104.47
#   (1174517056, 04-07, G0439 and 99214) + 105.30 (1346217635, 07-22, 99214)
#   = 426.57 in 4 services; the 15 qualifying lines of 2018 (99212-99215,
#   G0439 and a 99309 nursing facility visit at 78.60) total 1435.96;
#   runner-up 1063407203 with one 99215 at 146.35.
# 10017, 2017: o1 = 104.08 (1306861067, 99214; its G8420 and 1036F do not
#   qualify) + 174.07 (1467446922, G0438) = 278.15; the others: 72.81 (G0463,
#   allowed blank, paid 72.81) + 47.78 + 70.26 + 50.41 + 74.67 (G0463) =
#   315.93, total 594.08; runner-up 1467447557 at 74.67.
# 10, 2017: o2's 1386699239 is a specialist (step 2) but 10 has step-1
#   services (no specialty: primary care), the largest 159.00 by 1891798583:
#   attributed elsewhere.
expect_out <<'E'
member_id	period	org_id	step	basis_allowed	basis_services	total_allowed	runner_up	runner_up_allowed
10007	measure	o1	1	426.57	4	1435.96	1063407203	146.35
10017	base	o1	1	278.15	2	594.08	1467447557	74.67
E
done_case

case_ "tuva: cohort-select"
attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv" >"$T/attr.tsv"
run cohort-select --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attr.tsv"
expect_status 0
# 10007, 2018: spans 2017-04-01..2018-03-31 and 2018-05-01..2018-08-31 give
#   Jan, Feb, Mar, May, Jun, Jul, Aug = 7 months; born 1956-01-04 → 61 on
#   2018-01-01; female, Pennsylvania, medicare, status 20 → disabled.
# 10017, 2017: span 2016-01-01..2018-05-31 → 12 months; born 1984-11-23 →
#   32 on 2017-01-01; male, North Carolina; status 20 → disabled.
expect_out <<'E'
member_id	period	org_id	member_months	age	sex	region	plan	network	risk_score	enrollment_type
10007	measure	o1	7	61	F	Pennsylvania	medicare			disabled
10017	base	o1	12	32	M	North Carolina	medicare			disabled
E
done_case

case_ "tuva: 10007's last span is long-term institutional; exclude_flags=institutional drops it"
run cohort-select -v --set exclude_flags=institutional --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attr.tsv"
expect_status 0
expect_eq "$(tail -n +2 "$T/out" | cut -f1,2 | tr '\t\n' ' |')" "10017 base|" "kept"
expect_err_has "excluded by flag institutional: 1"
done_case
