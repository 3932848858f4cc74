# Golden cases for cap-large-claims, worked out by hand: thresholds exactly
# hit, percentile ties, negative totals, completion, per-type caps,
# paid_through, accounting, and bad input.
. "$(dirname "$0")/../lib.sh"

printf 'term\tvalue\nbase_start\t2023-01-01\nbase_end\t2023-12-31\nmeasure_start\t2024-01-01\nmeasure_end\t2024-12-31\n' >"$T/terms.tsv"
{
printf 'member_id\tperiod\torg_id\tmember_months\tenrollment_type\n'
for m in A B C D E F; do printf '%s\tbase\tX\t12\taged_nondual\n' $m; done
printf 'G\tbase\tX\t12\tesrd\n'
for m in P Q R S U; do printf '%s\tmeasure\tX\t12\taged_nondual\n' $m; done
} >"$T/cohort.tsv"
{
printf 'member_id\tclaim_id\tfrom_date\tpaid_date\tallowed\tpaid\n'
# base: A 1000.00; B 250000.00 (= threshold); C 250000.01; D none;
# E a reversal only: -50.00; F 300000.00; G (esrd) 300000.00
printf 'A\t1\t2023-02-01\t2023-03-01\t600.00\t480.00\n'
printf 'A\t2\t2023-05-01\t2023-06-01\t400.00\t320.00\n'
printf 'B\t3\t2023-02-01\t2023-03-01\t250000.00\t200000.00\n'
printf 'C\t4\t2023-02-01\t2023-03-01\t250000.01\t200000.01\n'
printf 'E\t5\t2023-02-01\t2023-03-01\t-50.00\t-40.00\n'
printf 'F\t6\t2023-02-01\t2023-03-01\t300000.00\t240000.00\n'
printf 'G\t7\t2023-02-01\t2023-03-01\t300000.00\t240000.00\n'
# measure: 100, 200, 200, 200, 500 allowed
printf 'P\t8\t2024-02-01\t2024-03-01\t100.00\t80.00\n'
printf 'Q\t9\t2024-02-01\t2024-03-01\t200.00\t160.00\n'
printf 'R\t10\t2024-02-01\t2024-03-01\t200.00\t160.00\n'
printf 'S\t11\t2024-02-01\t2024-03-01\t200.00\t160.00\n'
printf 'U\t12\t2024-02-01\t2024-03-01\t500.00\t400.00\n'
# not counted: outside the periods; a member not in the cohort; paid late
printf 'A\t13\t2022-12-31\t2023-01-15\t99.00\t99.00\n'
printf 'Z\t14\t2023-02-01\t2023-03-01\t99.00\t99.00\n'
printf 'U\t15\t2024-11-01\t2025-03-01\t1000.00\t800.00\n'
} >"$T/claims.tsv"

case_ "fixed threshold on allowed: exactly hit, a cent over, negative kept, per type"
run cap-large-claims -v --set cost_basis=allowed --set large_claim_threshold=250000 \
	--set large_claim_threshold_esrd=300000 --set paid_through=2025-01-31 \
	--cohort "$T/cohort.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
# measure: no claim is near 250,000; U's 1000.00 was paid 2025-03-01, after
# paid_through, so U is 500.00
expect_out <<'E'
member_id	period	org_id	member_months	enrollment_type	allowed	paid	cost	raw_cost	excess
A	base	X	12	aged_nondual	1000.00	800.00	1000.00	1000.00	0.00
B	base	X	12	aged_nondual	250000.00	200000.00	250000.00	250000.00	0.00
C	base	X	12	aged_nondual	250000.01	200000.01	250000.00	250000.01	0.01
D	base	X	12	aged_nondual	0.00	0.00	0.00	0.00	0.00
E	base	X	12	aged_nondual	-50.00	-40.00	-50.00	-50.00	0.00
F	base	X	12	aged_nondual	300000.00	240000.00	250000.00	300000.00	50000.00
G	base	X	12	esrd	300000.00	240000.00	300000.00	300000.00	0.00
P	measure	X	12	aged_nondual	100.00	80.00	100.00	100.00	0.00
Q	measure	X	12	aged_nondual	200.00	160.00	200.00	200.00	0.00
R	measure	X	12	aged_nondual	200.00	160.00	200.00	200.00	0.00
S	measure	X	12	aged_nondual	200.00	160.00	200.00	200.00	0.00
U	measure	X	12	aged_nondual	500.00	400.00	500.00	500.00	0.00
E
# 15 lines: 12 used; 1 outside, 1 not in the cohort, 1 paid late
expect_err "cap-large-claims: read 15, used 12, rejected 0; left out: claims outside any period: 1, claims paid after paid_through: 1, claims of members not in the cohort: 1
cap-large-claims: cost rows 12, capped 2, excess 50000.01, base threshold 250000.00, measure threshold 250000.00, negative totals kept 1"
done_case

case_ "in two steps: --sum-only, then --from-sums gives the same cost rows"
run cap-large-claims -v --sum-only --set paid_through=2025-01-31 --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
cp "$T/out" "$T/sums.tsv"
# every member's lines per period, by hand from the claims above: A's two
# base lines add up; Z is summed too (no cohort yet); A's 2022 line is
# outside both periods and U's line paid 2025-03-01 is after paid_through
expect_out <<'E'
member_id	period	allowed	paid	claims
A	base	1000.00	800.00	2
B	base	250000.00	200000.00	1
C	base	250000.01	200000.01	1
E	base	-50.00	-40.00	1
F	base	300000.00	240000.00	1
G	base	300000.00	240000.00	1
P	measure	100.00	80.00	1
Q	measure	200.00	160.00	1
R	measure	200.00	160.00	1
S	measure	200.00	160.00	1
U	measure	500.00	400.00	1
Z	base	99.00	99.00	1
E
expect_err "cap-large-claims: read 15, used 13, rejected 0; left out: claims outside any period: 1, claims paid after paid_through: 1
cap-large-claims: claim sums rows 12, members 12"
CAPS="--set cost_basis=allowed --set large_claim_threshold=250000 --set large_claim_threshold_esrd=300000"
run cap-large-claims $CAPS --set paid_through=2025-01-31 --cohort "$T/cohort.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
cp "$T/out" "$T/one-step.tsv"
run cap-large-claims -v $CAPS --from-sums --cohort "$T/cohort.tsv" --terms "$T/terms.tsv" "$T/sums.tsv"
expect_status 0
cmp -s "$T/out" "$T/one-step.tsv" || bad "two steps differ from one"
# 12 sum rows: 11 used, Z's not in the cohort; its 1 claim line is named
expect_err "cap-large-claims: read 12, used 11, rejected 0; left out: claim sums of members not in the cohort: 1
cap-large-claims: cost rows 12, capped 2, excess 50000.01, base threshold 250000.00, measure threshold 250000.00, negative totals kept 1, claim lines summed 12, claim lines of members not in the cohort 1"
# shards by line (A's two base lines land in different shards): their sums,
# given together, add up to the same cost rows
awk 'NR == 1 || NR % 2 == 0' "$T/claims.tsv" >"$T/even.tsv"
awk 'NR == 1 || NR % 2 == 1' "$T/claims.tsv" >"$T/odd.tsv"
for h in even odd; do
	cap-large-claims --sum-only --set paid_through=2025-01-31 --terms "$T/terms.tsv" "$T/$h.tsv" >"$T/$h-sums.tsv"
done
expect_eq "$(grep -c '^A	base' "$T/even-sums.tsv" "$T/odd-sums.tsv" | cut -d: -f2 | tr '\n' ' ')" "1 1 " "A's base sums in both shards"
run cap-large-claims $CAPS --from-sums --cohort "$T/cohort.tsv" --terms "$T/terms.tsv" "$T/even-sums.tsv" "$T/odd-sums.tsv"
expect_status 0
cmp -s "$T/out" "$T/one-step.tsv" || bad "shards' sums differ from one step"
# usage: --sum-only takes no cohort
run cap-large-claims --sum-only --cohort "$T/cohort.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 64
# a bad claim sums row is rejected with its place
printf 'member_id\tperiod\tallowed\tpaid\tclaims\nA\tbase\t1.00\t1.00\tx\n' >"$T/bad-sums.tsv"
run cap-large-claims --from-sums --cohort "$T/cohort.tsv" --terms "$T/terms.tsv" "$T/bad-sums.tsv"
expect_status 65
expect_err_has "bad-sums.tsv:2: column 'claims' (5)"
done_case

case_ "nearest-rank percentile with ties"
# measure raw costs sorted: 100, 200, 200, 200, 1500 (U with paid_through
# unset keeps its 1000.00). P = 0.5: rank ⌈2.5⌉ = 3 → 200; P = 0.8: rank 4 →
# 200; P = 0.81: rank ⌈4.05⌉ = 5 → 1500, nothing capped.
for p in 0.5:200.00 0.8:200.00 0.81:1500.00; do
	run cap-large-claims --set cost_basis=allowed --set large_claim_percentile=${p%%:*} \
		--cohort "$T/cohort.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
	expect_status 0
	expect_eq "$(grep '^U' "$T/out" | cut -f8,9,10)" "${p#*:}	1500.00	$(awk -v c="${p#*:}" 'BEGIN { printf "%.2f", 1500 - c }')" "U at P ${p%%:*}"
done
done_case

case_ "--from-sums on 300 members: nearest rank among ties; rows in any order give the same costs"
# measure costs (i * 37 mod 11) * 100.00 for M001..M300: eleven values,
# each about 27 times; the threshold at P is the ⌈300 P⌉-th smallest,
# taken here with sort(1) from the same list. Members N001..N050 have sums
# but are not in the cohort.
awk 'BEGIN { printf "member_id\tperiod\torg_id\tmember_months\n"
	for (i = 1; i <= 300; i++) printf "M%03d\tmeasure\tX\t12\n", i }' >"$T/c300.tsv"
awk 'BEGIN { printf "member_id\tperiod\tallowed\tpaid\tclaims\n"
	for (i = 1; i <= 300; i++) {
		if (i <= 50) printf "N%03d\tmeasure\t5.00\t4.00\t1\n", i
		printf "M%03d\tmeasure\t%d.00\t1.00\t1\n", i, (i * 37 % 11) * 100 } }' |
	LC_ALL=C sort -t "$(printf '\t')" -k1,1 >"$T/s300.body"
{ printf 'member_id\tperiod\tallowed\tpaid\tclaims\n'; grep -v '^member_id' "$T/s300.body"; } >"$T/s300.tsv"
awk 'BEGIN { for (i = 1; i <= 300; i++) print (i * 37 % 11) * 100 }' | sort -n >"$T/costs300"
for p in 0.01:3 0.5:150 0.9:270 0.97:291 1:300; do
	want=$(sed -n "${p#*:}p" "$T/costs300")
	run cap-large-claims -v --set cost_basis=allowed --set large_claim_percentile=${p%%:*} \
		--from-sums --cohort "$T/c300.tsv" --terms "$T/terms.tsv" "$T/s300.tsv"
	expect_status 0
	expect_eq "$(sed -n 's/.*measure threshold \([0-9.]*\),.*/\1/p' "$T/err")" "$want.00" "threshold at P ${p%%:*} (rank ${p#*:})"
done
cp "$T/out" "$T/in-order.out"
expect_err_has "claim sums of members not in the cohort: 50"
# the sums reversed (out of member order: looked up by hash after the
# first row) give the same bytes; the cohort reversed gives the same rows
# in its own order
{ head -n 1 "$T/s300.tsv"; tail -n +2 "$T/s300.tsv" | tac; } >"$T/s300-rev.tsv"
run cap-large-claims --set cost_basis=allowed --set large_claim_percentile=1 \
	--from-sums --cohort "$T/c300.tsv" --terms "$T/terms.tsv" "$T/s300-rev.tsv"
cmp -s "$T/out" "$T/in-order.out" || bad "sums out of member order give other costs"
# every row twice: once with each member's two rows together (in member
# order: the walk passes a member's second row), once as two runs of the
# whole list (the second run goes back to members already passed: the walk
# stops there and the rest are looked up by hash); the same bytes
{ head -n 1 "$T/s300.tsv"; tail -n +2 "$T/s300.tsv"; tail -n +2 "$T/s300.tsv"; } >"$T/s300-twice.tsv"
{ head -n 1 "$T/s300.tsv"; tail -n +2 "$T/s300.tsv" | sed p; } >"$T/s300-pairs.tsv"
run cap-large-claims --set cost_basis=allowed --set large_claim_percentile=1 \
	--from-sums --cohort "$T/c300.tsv" --terms "$T/terms.tsv" "$T/s300-pairs.tsv"
cp "$T/out" "$T/pairs.out"
run cap-large-claims --set cost_basis=allowed --set large_claim_percentile=1 \
	--from-sums --cohort "$T/c300.tsv" --terms "$T/terms.tsv" "$T/s300-twice.tsv"
cmp -s "$T/out" "$T/pairs.out" || bad "sums given twice, in two orders, give other costs"
# M001's measure cost, (1 * 37 mod 11) * 100 = 400.00, counted twice: 800.00
expect_eq "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["member_id"] == "M001" { print $c["allowed"] }' "$T/out")" "800.00" "M001's allowed, its row given twice"
{ head -n 1 "$T/c300.tsv"; tail -n +2 "$T/c300.tsv" | tac; } >"$T/c300-rev.tsv"
run cap-large-claims --set cost_basis=allowed --set large_claim_percentile=1 \
	--from-sums --cohort "$T/c300-rev.tsv" --terms "$T/terms.tsv" "$T/s300.tsv"
expect_eq "$(tail -n +2 "$T/out" | tac | md5sum)" "$(tail -n +2 "$T/in-order.out" | md5sum)" "costs of the cohort reversed"
done_case

case_ "completion factor on paid, rounded to the cent"
printf 'member_id\tperiod\torg_id\tmember_months\nK\tmeasure\tX\t1\nL\tmeasure\tX\t1\nM\tmeasure\tX\t1\n' >"$T/c2.tsv"
printf 'member_id\tclaim_id\tfrom_date\tallowed\tpaid\nK\t1\t2024-01-01\t1.00\t0.01\nL\t2\t2024-01-01\t1.00\t0.02\nM\t3\t2024-01-01\t1000.00\t800.00\n' >"$T/cl2.tsv"
run cap-large-claims --set measure_completion=0.3 --cohort "$T/c2.tsv" --terms "$T/terms.tsv" "$T/cl2.tsv"
expect_status 0
# 0.01 / 0.3 = 0.0333 → 0.03; 0.02 / 0.3 = 0.0667 → 0.07; 800.00 / 0.3 =
# 2666.6667 → 2666.67
expect_eq "$(cut -f1,7 "$T/out" | tail -n +2 | tr '\t\n' ' |')" "K 0.03|L 0.07|M 2666.67|" "raw costs"
done_case

case_ "bad input: zero member months, a member twice, cost rows as cohort"
printf 'member_id\tperiod\torg_id\tmember_months\nK\tmeasure\tX\t0\n' >"$T/zero.tsv"
run cap-large-claims --cohort "$T/zero.tsv" --terms "$T/terms.tsv" "$T/cl2.tsv"
expect_status 65
expect_err "cap-large-claims: $T/zero.tsv:2: column 'member_months' (4): invalid count '0' (member months must be a positive count)"
printf 'member_id\tperiod\torg_id\tmember_months\nK\tmeasure\tX\t1\nK\tmeasure\tY\t1\n' >"$T/twice.tsv"
run cap-large-claims --cohort "$T/twice.tsv" --terms "$T/terms.tsv" "$T/cl2.tsv"
expect_status 65
expect_err "cap-large-claims: $T/twice.tsv:3: member 'K' is in the cohort twice for the measure period"
cap-large-claims --cohort "$T/c2.tsv" --terms "$T/terms.tsv" "$T/cl2.tsv" >"$T/costs.tsv"
run cap-large-claims --cohort "$T/costs.tsv" --terms "$T/terms.tsv" "$T/cl2.tsv"
expect_status 65
expect_err "cap-large-claims: $T/costs.tsv:1: the cohort already has column 'allowed' (give cohort rows, not cost rows)"
done_case

case_ "bad claims: rejected with the place, or kept aside"
{ cat "$T/cl2.tsv"; printf 'K\t4\t2024-02-30\t1.00\t1.00\n'; } >"$T/bad.tsv"
run cap-large-claims --cohort "$T/c2.tsv" --terms "$T/terms.tsv" "$T/bad.tsv"
expect_status 65
expect_err "cap-large-claims: $T/bad.tsv:5: column 'from_date' (3): invalid date '2024-02-30'"
done_case

case_ "--from-sums: a cohort in member order for 1,000 members, then one before them"
# cap-large-claims numbers an in-order cohort's members without hashing
# them; A0001 after M1000 ends that order: the 1,000 members so far are
# hashed then (past 768 the table grows) and every later one is looked up.
# Costs: M0001..M1000 measure (i mod 7) × 100.00, A0001 555.00; the same
# cost rows as the cohort sorted, in the cohort's own order.
awk 'BEGIN { printf "member_id\tperiod\torg_id\tmember_months\n"
	for (i = 1; i <= 1000; i++) printf "M%04d\tmeasure\tX\t12\n", i
	printf "A0001\tmeasure\tX\t12\nM0500\tbase\tX\t12\n" }' >"$T/c1001.tsv"
awk 'BEGIN { printf "member_id\tperiod\tallowed\tpaid\tclaims\n"
	printf "A0001\tmeasure\t555.00\t1.00\t1\n"
	for (i = 1; i <= 1000; i++) printf "M%04d\tmeasure\t%d.00\t1.00\t1\n", i, (i % 7) * 100
	printf "M0500\tbase\t7.00\t1.00\t1\n" }' >"$T/s1001.tsv"
run cap-large-claims --set cost_basis=allowed --from-sums --cohort "$T/c1001.tsv" --terms "$T/terms.tsv" "$T/s1001.tsv"
expect_status 0
cp "$T/out" "$T/c1001.out"
# A0001 555.00 and M0500's base 7.00 found after the order ended; M0007:
# 7 mod 7 = 0: 0.00; M1000: 1000 mod 7 = 6: 600.00
expect_eq "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$1 == "A0001" || $1 == "M0007" || $1 == "M1000" || ($1 == "M0500" && $2 == "base") { printf "%s %s %s|", $1, $2, $c["allowed"] }' "$T/out")" \
	"M0007 measure 0.00|M1000 measure 600.00|A0001 measure 555.00|M0500 base 7.00|" "costs found"
{ head -n 1 "$T/c1001.tsv"; tail -n +2 "$T/c1001.tsv" | LC_ALL=C sort; } >"$T/c1001-sorted.tsv"
run cap-large-claims --set cost_basis=allowed --from-sums --cohort "$T/c1001-sorted.tsv" --terms "$T/terms.tsv" "$T/s1001.tsv"
expect_eq "$(tail -n +2 "$T/out" | LC_ALL=C sort | md5sum)" "$(tail -n +2 "$T/c1001.out" | LC_ALL=C sort | md5sum)" "the same rows as the cohort sorted"
done_case
