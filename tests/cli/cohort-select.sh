# Golden cases for cohort-select, worked out by hand: every rule, the mix
# attributes, and bad input.
. "$(dirname "$0")/../lib.sh"

printf 'term\tvalue\nbase_start\t2023-01-01\nbase_end\t2023-12-31\nmeasure_start\t2024-01-01\nmeasure_end\t2024-12-31\n' >"$T/terms.tsv"
cat >"$T/attribution.tsv" <<'E'
member_id	period	org_id	step	basis_allowed	basis_services	total_allowed
C1	base	A	1	1.00	1	1.00
C2	base	A	1	1.00	1	1.00
C3	base	B	1	1.00	1	1.00
C4	base	B	1	1.00	1	1.00
C5	base	B	1	1.00	1	1.00
C6	measure	A	1	1.00	1	1.00
C7	measure	A	1	1.00	1	1.00
C1	measure	A	1	1.00	1	1.00
E
{
printf 'member_id\tmonth\tbirth_date\tsex\tregion\tplan\tnetwork\trisk_score\tenrollment_type\thospice\n'
# C1 2023: 12 months; risk 0.8 in Jan-Mar, 1.25 in Apr-Dec:
#   (3 × 0.8 + 9 × 1.25) / 12 = (2.4 + 11.25) / 12 = 1.1375
# region north until June, south from July: latest = south
for m in 01 02 03; do printf 'C1\t2023-%s\t1950-07-01\tF\tnorth\tgold\tbroad\t0.8\taged_nondual\tN\n' $m; done
for m in 04 05 06; do printf 'C1\t2023-%s\t1950-07-01\tF\tnorth\tgold\tbroad\t1.25\taged_nondual\tN\n' $m; done
for m in 07 08 09 10 11 12; do printf 'C1\t2023-%s\t1950-07-01\tF\tsouth\tgold\tbroad\t1.25\taged_nondual\tN\n' $m; done
# C1 2024: 2 months, no risk score
printf 'C1\t2024-01\t1950-07-01\tF\tsouth\tgold\tbroad\t\taged_nondual\tN\n'
printf 'C1\t2024-02\t1950-07-01\tF\tsouth\tgold\tbroad\t\taged_nondual\tN\n'
# C2 2023: Jan, Feb, Apr: 3 months, not continuous
for m in 01 02 04; do printf 'C2\t2023-%s\t1960-01-01\tM\teast\tsilver\tnarrow\t1.0\tdisabled\tN\n' $m; done
# C3 2023: 6 months, hospice in May
for m in 01 02 03 04 06; do printf 'C3\t2023-%s\t1940-03-15\tM\teast\tsilver\tbroad\t2.0\taged_dual\tN\n' $m; done
printf 'C3\t2023-05\t1940-03-15\tM\teast\tsilver\tbroad\t2.0\taged_dual\tY\n'
# C4 2023: disabled Jan-Feb, esrd from March: latest type esrd
printf 'C4\t2023-01\t1970-01-01\tF\twest\tgold\tbroad\t1.0\tdisabled\tN\n'
printf 'C4\t2023-02\t1970-01-01\tF\twest\tgold\tbroad\t1.0\tdisabled\tN\n'
printf 'C4\t2023-03\t1970-01-01\tF\twest\tgold\tbroad\t3.0\tesrd\tN\n'
# C5: no eligibility at all. C6 2024: 2 months. C7 2024: 4 months.
printf 'C6\t2024-05\t1955-12-31\tM\teast\tgold\tbroad\t1.0\taged_nondual\tN\n'
printf 'C6\t2024-06\t1955-12-31\tM\teast\tgold\tbroad\t1.0\taged_nondual\tN\n'
for m in 01 02 03 04; do printf 'C7\t2024-%s\t1955-01-01\tF\teast\tgold\tbroad\t1.0\taged_nondual\tN\n' $m; done
# outside any period; a member not attributed
printf 'C1\t2022-12\t1950-07-01\tF\tnorth\tgold\tbroad\t0.8\taged_nondual\tN\n'
printf 'Z9\t2023-01\t1950-07-01\tF\tnorth\tgold\tbroad\t0.8\taged_nondual\tN\n'
} >"$T/elig.tsv"

case_ "default rules: every eligible member kept, mix attributes (hand-computed)"
run cohort-select -v --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 0
# ages at the period start: C1 born 1950-07-01 → 72 on 2023-01-01 and 73 on
# 2024-01-01 (the 73rd birthday was 2023-07-01). C2 1960-01-01 →
# 63. C3 1940-03-15 → 82. C4 1970-01-01 → 53. C6 1955-12-31 → 68 on
# 2024-01-01. C7 1955-01-01 → 69.
# risk: C2 (3 × 1.0) / 3 = 1; C3 (6 × 2.0) / 6 = 2; C4 (1 + 1 + 3) / 3 = 1.666667
expect_out <<'E'
member_id	period	org_id	member_months	age	sex	region	plan	network	risk_score	enrollment_type
C1	base	A	12	72	F	south	gold	broad	1.137500	aged_nondual
C1	measure	A	2	73	F	south	gold	broad		aged_nondual
C2	base	A	3	63	M	east	silver	narrow	1.000000	disabled
C3	base	B	6	82	M	east	silver	broad	2.000000	aged_dual
C4	base	B	3	53	F	west	gold	broad	1.666667	esrd
C6	measure	A	2	68	M	east	gold	broad	1.000000	aged_nondual
C7	measure	A	4	69	F	east	gold	broad	1.000000	aged_nondual
E
# eligibility: 14 + 3 + 6 + 3 + 2 + 4 + 2 = 34 rows; 32 used; C1 2022-12
# outside any period; Z9 not attributed
expect_err "cohort-select: eligibility: read 34, used 32, rejected 0; left out: members not attributed: 1, months outside any period: 1
cohort-select: read 8, written 7, rejected 0; left out: no eligibility in the period: 1"
done_case

case_ "every rule, the same in both periods"
printf 'dx\nZ515\n' >"$T/dx.tsv"
printf 'member_id\tclaim_id\tfrom_date\tallowed\tpaid\tdx1\tdx2\nC7\tK1\t2024-03-03\t10.00\t8.00\tI10\tZ515\nC1\tK2\t2022-06-01\t1.00\t1.00\tZ515\t\nC4\tK3\t2023-02-01\t1.00\t1.00\tZ515\t\n' >"$T/claims.tsv"
run cohort-select -v --set min_months=3 --set require_continuous=Y --set exclude_flags=hospice \
	--set exclude_enrollment_types=esrd --exclude-dx "$T/dx.tsv" --claims "$T/claims.tsv" \
	--eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 0
# C1 measure 2 < 3 months, C2 Jan Feb Apr not continuous, C3 hospice in May,
# C4 latest type esrd (its Z515 claim too: the type rule comes first), C5 no
# eligibility, C6 2 < 3 months, C7 dx Z515 in 2024
expect_out <<'E'
member_id	period	org_id	member_months	age	sex	region	plan	network	risk_score	enrollment_type
C1	base	A	12	72	F	south	gold	broad	1.137500	aged_nondual
E
expect_err_has "cohort-select: claims: read 3, used 2, rejected 0; left out: claims of other members or periods: 1"
expect_err_has "cohort-select: excluded by flag hospice: 1"
expect_err_has "cohort-select: read 8, written 1, rejected 0; left out: no eligibility in the period: 1, fewer than min_months: 2, months not continuous: 1, excluded by a flag: 1, excluded enrollment type: 1, excluded diagnosis: 1"
done_case

case_ "age_as_of moves the age date"
run cohort-select --set age_as_of=2023-12-31 --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 0
# C1 born 1950-07-01 is 73 on 2023-12-31
expect_eq "$(sed -n 2p "$T/out" | cut -f5)" 73 "C1 age"
done_case

case_ "bad input: a month twice, a bad risk score, an unknown flag column"
{ cat "$T/elig.tsv"; printf 'C7\t2024-01\t1955-01-01\tF\teast\tgold\tbroad\t1.0\taged_nondual\tN\n'; } >"$T/dup.tsv"
run cohort-select --eligibility "$T/dup.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 65
expect_err "cohort-select: $T/dup.tsv:36: member month given twice"
{ cat "$T/elig.tsv"; printf 'C7\t2024-05\t1955-01-01\tF\teast\tgold\tbroad\thigh\taged_nondual\tN\n'; } >"$T/risk.tsv"
run cohort-select --eligibility "$T/risk.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 65
expect_err "cohort-select: $T/risk.tsv:36: column 'risk_score' (8): invalid rate 'high'"
run cohort-select --set exclude_flags=hospice,esrd_flag --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 65
expect_err "cohort-select: $T/elig.tsv:1: term 'exclude_flags' names column 'esrd_flag', which is not in the eligibility file"
done_case

case_ "bad attribution: a member twice in a period, an unknown period"
{ cat "$T/attribution.tsv"; printf 'C1\tbase\tB\t1\t1.00\t1\t1.00\nC8\tyear1\tB\t1\t1.00\t1\t1.00\n'; } >"$T/attr2.tsv"
run cohort-select --rejects "$T/rej.tsv" --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attr2.tsv"
expect_status 65
expect_eq "$(cut -f8 "$T/rej.tsv" | tail -n 2 | tr '\n' '|')" "member attributed twice in the period|column 'period' (2): invalid period (base or measure) 'year1'|" "reasons"
expect_err "cohort-select: 2 records rejected (see $T/rej.tsv)"
done_case

case_ "paid_through inside the measurement period: measured to date"
run cohort-select -v --set paid_through=2024-03-15 --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 0
# paid through 2024-03-15: March is measured, April on is not yet.
# C7's 2024-01..04 keeps Jan, Feb, Mar (3 months) and leaves April out;
# C6's May and June are both after March, so C6 has no month measured and
# is left out as "no eligibility in the period". C1 2024-01, -02 keep (2).
# The base period (2023) ends before paid_through: all its months count.
# Left out as not yet measured: C7 April + C6 May, June = 3 months.
expect_eq "$(awk -F'\t' '$2 == "measure" { print $1 ":" $4 }' "$T/out" | tr '\n' ' ')" "C1:2 C7:3 " "measured months"
expect_eq "$(awk -F'\t' '$2 == "base" { n += $4 } END { print n }' "$T/out")" 24 "base months (12 + 3 + 6 + 3)"
expect_err_has "months after paid_through (not yet measured): 3"
expect_err_has "no eligibility in the period: 2"
done_case

case_ "--eligibility-first: the same cohort and accounting, the attribution from a pipe"
# both orders of reading on the cases above: the same bytes out, the same
# lines on standard error
# like_default OPTIONS ATTRIBUTION ARGS...: cohort-select with OPTIONS (one
# word each), the attribution from a pipe, against the default order on the
# file: the same status and lines on standard error, and when it succeeds
# the same cohort (a failed run's output is not a cohort)
like_default() {
	opts=$1 attr=$2; shift 2
	run cohort-select -v "$@" "$attr"
	cp "$T/out" "$T/out.1"; cp "$T/err" "$T/err.1"; s1=$status
	run sh -c 'o=$1 f=$2; shift 2; exec cohort-select -v $o "$@" - <"$f"' sh "$opts" "$attr" "$@"
	expect_eq "$status" "$s1" "status"
	[ "$status" -ne 0 ] || cmp -s "$T/out.1" "$T/out" || bad "the cohort differs: $(diff "$T/out.1" "$T/out" | head -n 4 | tr '\n' '|')"
	cmp -s "$T/err.1" "$T/err" || bad "the accounting differs: $(diff "$T/err.1" "$T/err" | tr '\n' '|')"
}
both_orders() { like_default --eligibility-first "$@"; }
both_orders "$T/attribution.tsv" --eligibility "$T/elig.tsv" --terms "$T/terms.tsv"
both_orders "$T/attribution.tsv" --set min_months=3 --set require_continuous=Y --set exclude_flags=hospice \
	--set exclude_enrollment_types=esrd --exclude-dx "$T/dx.tsv" --claims "$T/claims.tsv" \
	--eligibility "$T/elig.tsv" --terms "$T/terms.tsv"
# rows counted before it is known whose they are: Z9 (not attributed)
# outside the periods, after paid_through, and a month twice; C6
# (attributed in the measurement period only) a base month, twice
{ cat "$T/elig.tsv"
  printf 'Z9\t2022-06\t1950-07-01\tF\tnorth\tgold\tbroad\t0.8\taged_nondual\tN\n'
  printf 'Z9\t2024-06\t1950-07-01\tF\tnorth\tgold\tbroad\t0.8\taged_nondual\tN\n'
  printf 'C6\t2023-03\t1955-12-31\tM\teast\tgold\tbroad\t1.0\taged_nondual\tN\n'
  printf 'Z9\t2023-01\t1950-07-01\tF\tnorth\tgold\tbroad\t0.8\taged_nondual\tN\n'
  printf 'C6\t2023-03\t1955-12-31\tM\teast\tgold\tbroad\t1.0\taged_nondual\tN\n'
} >"$T/more.tsv"
both_orders "$T/attribution.tsv" --set paid_through=2024-03-15 --eligibility "$T/more.tsv" --terms "$T/terms.tsv"
expect_status 0
# 34 + 5 = 39 rows. Not attributed: Z9 2023-01 (the file's) + the three
# new Z9 rows = 4; outside: C1 2022-12 = 1; after paid_through: C7 April,
# C6 May, June = 3; a period not attributed in: C6's two 2023-03 rows = 2;
# used 39 - 4 - 1 - 3 - 2 = 29 (the paid_through case above: 34 - 1 - 1 - 3)
expect_err_has "cohort-select: eligibility: read 39, used 29, rejected 0; left out: members not attributed: 4, months outside any period: 1, months of a period the member is not attributed in: 2, months after paid_through (not yet measured): 3"
# a month twice of an attributed member-period ends the run naming its
# row, as when the attribution is read first; one of a member not
# attributed (row 36, Z9) does not
{ cat "$T/elig.tsv"
  printf 'Z9\t2023-01\t1950-07-01\tF\tnorth\tgold\tbroad\t0.8\taged_nondual\tN\n'
  printf 'C7\t2024-01\t1955-01-01\tF\teast\tgold\tbroad\t1.0\taged_nondual\tN\n'
} >"$T/dup2.tsv"
both_orders "$T/attribution.tsv" --eligibility "$T/dup2.tsv" --terms "$T/terms.tsv"
expect_status 65
expect_err "cohort-select: $T/dup2.tsv:37: member month given twice"
done_case

case_ "--in-member-order: rows written as the attribution comes, the same cohort and accounting"
# the attribution in member order (attribute's): with --in-member-order
# each member's rows go out when the next member's row comes; the same
# bytes and lines on standard error as the default
{ head -n 1 "$T/attribution.tsv"; tail -n +2 "$T/attribution.tsv" | LC_ALL=C sort -s -t "$(printf '\t')" -k1,1; } >"$T/sorted.tsv"
in_member_order() { like_default "--eligibility-first --in-member-order" "$@"; }
in_member_order "$T/sorted.tsv" --eligibility "$T/elig.tsv" --terms "$T/terms.tsv"
expect_status 0
expect_eq "$(cut -f1,2 "$T/out" | tr '\t\n' ' |')" "member_id period|C1 base|C1 measure|C2 base|C3 base|C4 base|C6 measure|C7 measure|" "rows"
in_member_order "$T/sorted.tsv" --set min_months=3 --set require_continuous=Y --set exclude_flags=hospice \
	--set exclude_enrollment_types=esrd --set paid_through=2024-03-15 --eligibility "$T/more.tsv" --terms "$T/terms.tsv"
expect_status 0
# a month twice of an attributed member-period: 65 naming its row, as
# without (the header is out already)
in_member_order "$T/sorted.tsv" --eligibility "$T/dup2.tsv" --terms "$T/terms.tsv"
expect_status 65
expect_err "cohort-select: $T/dup2.tsv:37: member month given twice"
done_case

case_ "--in-member-order: a member out of order is 65; it needs --eligibility-first, not --exclude-dx"
# attribution.tsv gives C1's measure row (line 9) after C7's
run cohort-select --eligibility-first --in-member-order --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 65
expect_err "cohort-select: $T/attribution.tsv:9: column 1 (member_id): member 'C1' after 'C7': --in-member-order reads an attribution in member order"
run cohort-select --in-member-order --eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/sorted.tsv"
expect_status 64
expect_err_has "cohort-select: --in-member-order needs --eligibility-first"
run cohort-select --eligibility-first --in-member-order --exclude-dx "$T/dx.tsv" --claims "$T/claims.tsv" \
	--eligibility "$T/elig.tsv" --terms "$T/terms.tsv" "$T/sorted.tsv"
expect_status 64
expect_err_has "cohort-select: --in-member-order and --exclude-dx do not go together (the claims' diagnoses are read after the attribution)"
done_case
