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

# A plain claims file of 4 MiB or more is read on one thread and summed on
# another (handoff.h); one read from standard input is both on one. Big:
# 100,000 lines of members F00002.. (one line each, 1.00) in which M1's
# second line (line 40,003: the header, 40,000 others, M1's first line)
# overflows, as in the first case; bad.tsv adds after it, at line 40,010,
# a line with one field too few, which with no --rejects is fatal. The
# overflow comes first, and is the error named, on either path; with the
# short line before it (early.tsv, line 39,990) the short line is.
big_claims() {  # SHORT_AT (0: none)
	awk -v short="$1" 'BEGIN {
		printf "member_id\tclaim_id\tfrom_date\tallowed\tpaid\tprovider_id\thcpcs\n"
		for (i = 2; i <= 100001; i++) {
			if (i == 40002) {
				printf "M1\t1\t2023-03-01\t90000000000000000.00\t90000000000000000.00\tP1\t99213\n"
				printf "M1\t2\t2023-04-01\t90000000000000000.00\t90000000000000000.00\tP1\t99213\n"
			} else if (i + (i > 40002) == short) {   # its line number
				printf "F%05d\t%d\t2023-05-01\t1.00\t1.00\tP1\n", i, i
			} else {
				printf "F%05d\t%d\t2023-05-01\t1.00\t1.00\tP1\t99213\n", i, i
			}
		}
	}'
}
big_claims 40010 >"$T/bad.tsv"
big_claims 39990 >"$T/early.tsv"

case_ "a file read and summed on two threads: the overflowing line is named"
[ "$(wc -c <"$T/bad.tsv")" -gt 4194304 ] || bad "the file is too small for two threads"
expect_eq "$(sed -n 40003p "$T/bad.tsv" | cut -f 1,2)" "M1	2" "line 40,003"
expect_eq "$(sed -n 40010p "$T/bad.tsv" | awk -F '\t' '{ print NF }')" 6 "fields of line 40,010"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/bad.tsv"
expect_status 65
expect_err "attribute: $T/bad.tsv:40003: the member's allowed sum for one competitor overflows"
run cap-large-claims --sum-only --terms "$T/terms.tsv" "$T/bad.tsv"
expect_status 65
expect_err "cap-large-claims: $T/bad.tsv:40003: a member's sum overflows"
printf 'member_id\tperiod\torg_id\tmember_months\nM1\tbase\tA\t12\n' >"$T/cohort.tsv"
run cap-large-claims --cohort "$T/cohort.tsv" --terms "$T/terms.tsv" "$T/bad.tsv"
expect_status 65
expect_err "cap-large-claims: $T/bad.tsv:40003: a member's sum overflows"
done_case

case_ "the same file from standard input, on one thread: the same line"
run sh -c 'attribute --roster "$1" --terms "$2" <"$3"' sh "$T/roster.tsv" "$T/terms.tsv" "$T/bad.tsv"
expect_status 65
expect_err "attribute: (stdin):40003: the member's allowed sum for one competitor overflows"
run sh -c 'cap-large-claims --sum-only --terms "$1" <"$2"' sh "$T/terms.tsv" "$T/bad.tsv"
expect_status 65
expect_err "cap-large-claims: (stdin):40003: a member's sum overflows"
done_case

case_ "a fatal line before the overflowing one is the error named, on both paths"
expect_eq "$(sed -n 39990p "$T/early.tsv" | awk -F '\t' '{ print NF }')" 6 "fields of line 39,990"
run cap-large-claims --sum-only --terms "$T/terms.tsv" "$T/early.tsv"
expect_status 65
expect_err_has "cap-large-claims: $T/early.tsv:39990: "
run sh -c 'cap-large-claims --sum-only --terms "$1" <"$2"' sh "$T/terms.tsv" "$T/early.tsv"
expect_status 65
expect_err_has "cap-large-claims: (stdin):39990: "
done_case

# cohort-select's eligibility is read the same way (a side input: any bad
# row ends the run). Big: 100,000 months of members F00002.. (not
# attributed), in which M1's second 2023-03 (line 40,003) is a month given
# twice; the row at SHORT_AT has a month that is not one. The first is
# named on either path (a pipe is read on one thread).
big_eligibility() {  # SHORT_AT
	awk -v short="$1" 'BEGIN {
		printf "member_id\tmonth\tpremium\tnote\n"
		for (i = 2; i <= 100001; i++) {
			if (i == 40002) {
				printf "M1\t2023-03\t100.00\tfirst\n"
				printf "M1\t2023-03\t100.00\tagain\n"
			} else if (i + (i > 40002) == short) {
				printf "F%05d\t2023-13\t1.00\ta month that is not one\n", i
			} else {
				printf "F%05d\t2023-05\t1.00\tnot attributed, left out, counted\n", i
			}
		}
	}'
}
big_eligibility 40010 >"$T/elig-bad.tsv"
big_eligibility 39990 >"$T/elig-early.tsv"

case_ "cohort-select: a month given twice in a big eligibility file, on two threads and on one"
[ "$(wc -c <"$T/elig-bad.tsv")" -gt 4194304 ] || bad "the eligibility is too small for two threads"
expect_eq "$(sed -n 40003p "$T/elig-bad.tsv" | cut -f 1,2,4)" "M1	2023-03	again" "line 40,003"
expect_eq "$(sed -n 40010p "$T/elig-bad.tsv" | cut -f 2)" "2023-13" "month of line 40,010"
run cohort-select --eligibility "$T/elig-bad.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 65
expect_err "cohort-select: $T/elig-bad.tsv:40003: member month given twice"
run sh -c 'cat "$3" | cohort-select --eligibility /dev/stdin --terms "$1" "$2"' sh \
	"$T/terms.tsv" "$T/attribution.tsv" "$T/elig-bad.tsv"
expect_status 65
expect_err "cohort-select: /dev/stdin:40003: member month given twice"
run cohort-select --eligibility "$T/elig-early.tsv" --terms "$T/terms.tsv" "$T/attribution.tsv"
expect_status 65
expect_err_has "cohort-select: $T/elig-early.tsv:39990: "
done_case

case_ "simulate: a resample's cost"
# a resample draws the org's 2 members with replacement: a, a sums to
# 2 × 46,116,860,184,273,879.04 = 92,233,720,368,547,758.08 dollars, one
# cent past int64, though the org's own total (a + b, b = 0) fits. Before
# the check the draw wrapped to a negative cost and the run ended 0
printf 'org_id\ttarget_pmpm\nX\t100.00\n' >"$T/target.tsv"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\na\tmeasure\tX\t12\t46116860184273879.04\nb\tmeasure\tX\t12\t0.00\n' >"$T/s1.tsv"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 10 "$T/s1.tsv"
expect_status 65
expect_err "simulate: org 'X': a resample of its 2 members could sum their cost past int64 (2 × 46116860184273879.04)"
# a cent less: 2 × 46,116,860,184,273,879.03 = ...758.06 fits. Each draw
# against the target 100.00 × 24 = 2,400.00 (one-sided, rate 50%): b, b
# (cost 0) shares 1,200.00, any draw with a is a loss: 0.00
sed 's/879\.04/879.03/' "$T/s1.tsv" >"$T/s2.tsv"
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 10 --draws "$T/d2" "$T/s2.tsv"
expect_status 0
expect_eq "$(awk -F'\t' 'NR > 1 && $3 == "X" { print ($6 == "0.00" ? "b,b" : "a") ":" $8 }' "$T/d2" | sort -u | tr '\n' ' ')" \
	"a:0.00 b,b:1200.00 " "each draw's net"
done_case

case_ "settle and simulate: an org's gross savings"
# target 2,400.00 − actual (−92,233,720,368,547,758.06) =
# 92,233,720,368,550,158.06 > 92,233,720,368,547,758.07; before the check
# it wrapped to gross savings of −92,233,720,368,545,358.10
printf 'member_id\tperiod\torg_id\tmember_months\tcost\nb\tmeasure\tX\t24\t-92233720368547758.06\n' >"$T/s3.tsv"
run settle --total --terms "$T/terms.tsv" --target "$T/target.tsv" "$T/s3.tsv"
expect_status 65
expect_err "settle: org 'X': the gross savings overflows"
# one member: every resample is that member, so the first iteration
run simulate --total --terms "$T/terms.tsv" --target "$T/target.tsv" --iterations 10 "$T/s3.tsv"
expect_status 65
expect_err "simulate: org 'X', iteration 1: the gross savings overflows"
done_case

case_ "cap-large-claims: the total excess over the caps"
# a cap of 0.00: each member-period's whole cost, 50,000,000,000,000,000.00,
# is excess; two of them make 1e17 dollars > 9.22e16 (each row fits)
printf 'member_id\tperiod\tmember_months\nM1\tbase\t12\nM2\tbase\t12\n' >"$T/cap-cohort.tsv"
printf 'member_id\tperiod\tallowed\tpaid\tclaims\nM1\tbase\t50000000000000000.00\t50000000000000000.00\t1\nM2\tbase\t50000000000000000.00\t50000000000000000.00\t1\n' >"$T/cap-sums.tsv"
run cap-large-claims --from-sums --cohort "$T/cap-cohort.tsv" --terms "$T/terms.tsv" --set large_claim_threshold=0 "$T/cap-sums.tsv"
expect_status 65
expect_err "cap-large-claims: the total excess over the caps (all cost rows) overflows"
done_case

case_ "mix-factor: member months of a row, below 2^31"
# factor × months is summed in 128 bits: months of 2^31 = 2,147,483,648 or
# more in one row are bad data; 2^31 − 1 is kept
printf 'dimension\tkey\tfactor\ndemographic\tF:45-54\t1.1000\nnetwork\tn1\t0.9970\nplan\tp1\t0.9800\ngeographic\tr1\t1.0350\n' >"$T/factors.tsv"
H='member_id\tperiod\torg_id\tmember_months\tage\tsex\tregion\tplan\tnetwork\trisk_score\tenrollment_type\n'
printf "$H"'A\tbase\tX\t2147483648\t50\tF\tr1\tp1\tn1\t1.35\taged_nondual\n' >"$T/mf1.tsv"
run mix-factor --factors "$T/factors.tsv" "$T/mf1.tsv"
expect_status 65
expect_err "mix-factor: $T/mf1.tsv:2: member months of 2^31 or more"
printf "$H"'A\tbase\tX\t2147483647\t50\tF\tr1\tp1\tn1\t1.35\taged_nondual\nB\tmeasure\tX\t12\t50\tF\tr1\tp1\tn1\t1.35\taged_nondual\n' >"$T/mf2.tsv"
run mix-factor --factors "$T/factors.tsv" "$T/mf2.tsv"
expect_status 0
done_case

case_ "report: the programme's net settlement of one iteration"
# the html statement's programme histogram adds the orgs' nets of each
# iteration: X's and Y's 50,000,000,000,000,000.00 in iteration 1 make 1e17
printf 'term\tvalue\nsharing_rate\t0.5\n' >"$T/rterms.tsv"
printf 'org_id\ttarget_pmpm\nX\t100.00\nY\t100.00\n' >"$T/rtarget.tsv"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\na\tmeasure\tX\t12\t1100.00\nd\tmeasure\tY\t12\t1300.00\n' >"$T/rcosts.tsv"
simulate --total --terms "$T/rterms.tsv" --target "$T/rtarget.tsv" --iterations 2 --draws "$T/rdraws.tsv" "$T/rcosts.tsv" >"$T/rsim.tsv"
settle --total --terms "$T/rterms.tsv" --target "$T/rtarget.tsv" "$T/rcosts.tsv" >"$T/rsettle.tsv"
awk -F'\t' 'BEGIN { OFS = "\t" } NR > 1 && $2 == 1 { $8 = "50000000000000000.00" } { print }' "$T/rdraws.tsv" >"$T/rbig.tsv"
run report --format html --terms "$T/rterms.tsv" --simulation "$T/rsim.tsv" --draws "$T/rbig.tsv" "$T/rsettle.tsv"
expect_status 65
# line 4: the header, X's two draws, then Y's first
expect_err "report: $T/rbig.tsv:4: the programme's net settlement of iteration 1 overflows"
done_case
