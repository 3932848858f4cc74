# Every int64 sum of money is checked: a sum that does not fit in int64
# cents (92,233,720,368,547,758.07 dollars) stops the tool with status 65
# and the place, instead of wrapping to a plausible wrong number. One case
# per summing site.
. "$(dirname "$0")/../lib.sh"

printf 'term\tvalue\nbase_start\t2023-01-01\nbase_end\t2023-12-31\nmeasure_start\t2024-01-01\nmeasure_end\t2024-12-31\n' >"$T/terms.tsv"
printf 'provider_id\torg_id\trole\nP1\tA\tpcp\nP2\tB\tpcp\n' >"$T/roster.tsv"
H='member_id\tclaim_id\tfrom_date\tallowed\tpaid\tprovider_id\thcpcs\n'

case_ "attribute: one competitor's allowed sum"
# 90,000,000,000,000,000.00 + 90,000,000,000,000,000.00 = 1.8e17 dollars
# > 9.22e16: the second line overflows the member's sum for org A
printf "$H"'M1\t1\t2023-03-01\t90000000000000000.00\t0\tP1\t99213\nM1\t2\t2023-04-01\t90000000000000000.00\t0\tP1\t99213\n' >"$T/c1.tsv"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/c1.tsv"
expect_status 65
expect_err "attribute: $T/c1.tsv:3: the member's allowed sum for one competitor overflows"
done_case

case_ "attribute: a member-period's total over competitors"
# each org's sum fits (9e16 each); their total (1.8e17) does not
printf "$H"'M1\t1\t2023-03-01\t90000000000000000.00\t0\tP1\t99213\nM1\t2\t2023-04-01\t90000000000000000.00\t0\tP2\t99213\n' >"$T/c2.tsv"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/c2.tsv"
expect_status 65
expect_err "attribute: member 'M1', base period: the total qualifying allowed overflows"
done_case

printf 'member_id\tperiod\torg_id\nM1\tbase\tA\n' >"$T/attribution.tsv"

case_ "cohort-select: a member-period's premium"
# two months of 90,000,000,000,000,000.00 premium: 1.8e17 > 9.22e16
printf 'member_id\tmonth\tpremium\nM1\t2023-01\t90000000000000000.00\nM1\t2023-02\t90000000000000000.00\n' >"$T/e1.tsv"
run cohort-select --eligibility "$T/e1.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 65
expect_err "cohort-select: $T/e1.tsv:3: the member's premium for the period overflows"
done_case

case_ "cohort-select: a member-period's risk score sum"
# a risk score holds up to 9,223,372,036,854.775807; two of 9e12 do not add
printf 'member_id\tmonth\trisk_score\nM1\t2023-01\t9000000000000\nM1\t2023-02\t9000000000000\n' >"$T/e2.tsv"
run cohort-select --eligibility "$T/e2.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 65
expect_err "cohort-select: $T/e2.tsv:3: the member's risk score sum for the period overflows"
done_case

case_ "ingest: a mapping's difference of the smallest amount"
# paid = A - B with B = -92,233,720,368,547,758.08 (INT64_MIN cents):
# 1.00 - B = 92,233,720,368,547,759.08 does not fit; the record is rejected
# (before: -B wrapped to B and paid came out as -92233720368547757.08)
printf 'column\tsource\tconvert\nmember_id\tMBR\t\nclaim_id\tCLM\t\nfrom_date\tDOS\tdate:YYYY-MM-DD\nallowed\tA\tamount\npaid\tA+B\tdifference\n' >"$T/map.tsv"
printf 'MBR,CLM,DOS,A,B\nM1,1,2023-01-05,1.00,-92233720368547758.08\n' >"$T/x.csv"
run ingest --map "$T/map.tsv" "$T/x.csv"
expect_status 65
expect_err_has "ingest: $T/x.csv:2: column 'B' (5): invalid amount '-92233720368547758.08'"
done_case
