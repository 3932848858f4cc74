# complete: the paid lag triangle and the volume-weighted chain ladder by
# hand on a 4 x 4 triangle, shards' triangles added = the whole run byte for
# byte, and bad input: paid before incurred, paid after paid_through, a
# window longer than the triangle, no paid-through date.
. "$(dirname "$0")/../lib.sh"

cd "$T" || exit 2
PERIODS="--set base_start=2023-01-01 --set base_end=2023-12-31 --set measure_start=2024-01-01 --set measure_end=2024-12-31"
# claims of the triangle: incurred month day 15, paid day 20 of the month
# of its development; one line per cell of incremental paid
# Jan: 100, 50, 20, 10   Feb: 120, 60, 30   Mar: 90, 45   Apr: 110
{
	printf 'member_id\tclaim_id\tfrom_date\tpaid_date\tallowed\tpaid\n'
	n=0
	for x in 01:01:100 01:02:50 01:03:20 01:04:10 02:02:120 02:03:60 02:04:30 03:03:90 03:04:45 04:04:110; do
		n=$((n + 1))
		i=${x%%:*}; r=${x#*:}; p=${r%%:*}; v=${r#*:}
		printf 'm%d\tc%d\t2024-%s-15\t2024-%s-20\t%d.00\t%d.00\n' $((n % 3)) $n "$i" "$p" $((v * 2)) "$v"
	done
} >claims.tsv

case_ "a 4 x 4 triangle by hand: age-to-age, cumulative, completion, IBNR"
# cumulative: Jan 100 150 170 180; Feb 120 180 210; Mar 90 135; Apr 110.
# window 2: f0 = (135 + 180) / (90 + 120) = 1.500000;
# f1 = (210 + 170) / (180 + 150) = 380 / 330 = 1.151515;
# f2 = 180 / 170 = 1.058824 (one month has 3 months of development).
# F3 = tail 1; F2 = 1.058824; F1 = 1.058824 x 1.151515 = 1.219252;
# F0 = 1.219252 x 1.5 = 1.828878.
# Feb 210.00 x 1.058824 = 222.35 (IBNR 12.35, 210 / 222.35 = 0.944457);
# Mar 135.00 x 1.219252 = 164.60 (29.60; 0.820170);
# Apr 110.00 x 1.828878 = 201.18 (91.18; 0.546774); Jan by the tail: 180.00.
# measure: paid 635.00, estimated 768.13, IBNR 133.13, 635 / 768.13 = 0.826683
run complete -v --paid-through 2024-04-30 --set completion_window=2 $PERIODS claims.tsv
expect_status 0
expect_out <<'E'
period	incurred_month	paid_to_date	months_of_development	completion_factor	development_factor	estimated_incurred	ibnr	flag
measure	2024-01	180.00	3	1.000000	1.000000	180.00	0.00	tail
measure	2024-02	210.00	2	0.944457	1.058824	222.35	12.35	
measure	2024-03	135.00	1	0.820170	1.219252	164.60	29.60	
measure	2024-04	110.00	0	0.546774	1.828878	201.18	91.18	
base	*	0.00		1.000000		0.00	0.00	
measure	*	635.00		0.826683		768.13	133.13	
E
expect_err "complete: read 10, placed 10, rejected 0"
# cost_basis allowed: every amount doubled, every factor the same
run complete --paid-through 2024-04-30 --set completion_window=2 --set cost_basis=allowed $PERIODS claims.tsv
# (April: 220.00 x 1.828878 = 402.35; 220.00 / 402.35 = 0.546788)
expect_eq "$(sed -n 5p "$T/out" | cut -f3,5,7)" "220.00	0.546788	402.35" "allowed basis"
# a tail of 1.05: Jan 180.00 x 1.05 = 189.00, 180 / 189 = 0.952381
run complete --paid-through 2024-04-30 --set completion_window=2 --set completion_tail=1.05 $PERIODS claims.tsv
expect_eq "$(sed -n 2p "$T/out" | cut -f5,7)" "0.952381	189.00" "the tail completes the oldest month"
done_case

case_ "shards' triangles added give the whole run's bytes"
complete --paid-through 2024-04-30 --set completion_window=2 $PERIODS --triangle whole.tri claims.tsv >whole.out
expect_eq "$(sed -n '2p;11p' whole.tri | tr '\t\n' ' |')" "2024-01 0 100.00 2024-04-30|2024-04 0 110.00 2024-04-30|" "triangle cells"
{ head -n 1 claims.tsv; awk 'NR > 1 && NR % 2 == 0' claims.tsv; } >s1.tsv
{ head -n 1 claims.tsv; awk 'NR > 1 && NR % 2 == 1' claims.tsv; } >s2.tsv
complete --paid-through 2024-04-30 --set completion_window=2 $PERIODS --triangle s1.tri s1.tsv >/dev/null
complete --paid-through 2024-04-30 --set completion_window=2 $PERIODS --triangle s2.tri s2.tsv >/dev/null
run complete --from-triangles --paid-through 2024-04-30 --set completion_window=2 $PERIODS s1.tri s2.tri
expect_status 0
cmp -s "$T/out" whole.out || bad "merged shards differ from the whole run"
# a triangle of another paid-through date is refused
run complete --from-triangles --paid-through 2024-05-31 --set completion_window=2 $PERIODS s1.tri
expect_status 65
expect_err_has "a triangle paid through 2024-04-30; this run is paid through another date"
done_case

case_ "bad input: paid before incurred, paid after paid_through, a window too long, no date"
{ cat claims.tsv
  printf 'x\tc90\t2024-03-15\t2024-03-01\t1.00\t1.00\n'
  printf 'x\tc91\t2024-03-15\t2024-05-02\t1.00\t1.00\n'
  printf 'x\tc92\t2024-03-15\t\t1.00\t1.00\n'; } >bad.tsv
run complete -v --paid-through 2024-04-30 --set completion_window=2 $PERIODS --rejects rej.tsv --max-rejects 2 bad.tsv
expect_status 0
expect_err_has "complete: read 13, placed 10, rejected 2; left out: claims paid after paid_through: 1"
expect_eq "$(cut -f7,9 rej.tsv | tail -n +2)" "paid_date is before from_date: paid before it was incurred	12
column 'paid_date' (4): missing value	14" "reasons and lines"
run complete --paid-through 2024-04-30 $PERIODS claims.tsv
expect_status 64
expect_err_has "term 'completion_window' 12: the triangle has 3 incurred months with a month of development"
run complete --set completion_window=2 $PERIODS claims.tsv
expect_status 64
expect_err_has "give --paid-through or the term paid_through"
run complete --paid-through 2024-04-30 --set completion_tail=0.9 $PERIODS claims.tsv
expect_status 64
expect_err_has "completion_tail"
done_case

case_ "the estimator against synth's known truth: within 2% from 3 months of development"
# synth pays a claim k whole months after the month it was incurred, k
# geometric with q = 0.35 (synth(1)): a month's claims are paid within d
# months with probability 1 - 0.35^(d+1). Paid through 2024-06-30, every
# month with d >= 3 months of development lands within 2% of that
synth --members 20000 --seed 2 -o big >/dev/null
complete --paid-through 2024-06-30 --terms big/terms.tsv --set completion_window=6 big/claims.tsv >big.out 2>/dev/null ||
	bad "complete on synth's extract failed"
expect_eq "$(awk -F'\t' 'NR > 1 && $2 != "*" && $4 >= 3 { n++; t = 1 - 0.35 ^ ($4 + 1); r = ($5 - t) / t; if (r < 0) r = -r; if (r > 0.02) { bad++; print $2, $5, t } }
	END { print n, bad + 0 }' big.out | tail -n 1)" "15 0" "months checked, months off by more than 2%"
done_case

case_ "cap-large-claims --completion: each claim's month, rounded once per member-period"
# the factors of the 4 x 4 case: March 1.219252, April 1.828878. Member p
# has 100.00 paid in March and 110.00 in April: 100.00 x 1.219252 +
# 110.00 x 1.828878 = 121.9252 + 201.17658 = 323.10178 -> 323.10 (rounding
# each claim first would give 121.93 + 201.18 = 323.11). Member q: 50.00 in
# January (the tail: 1) -> 50.00.
complete --paid-through 2024-04-30 --set completion_window=2 $PERIODS claims.tsv >factors.tsv
expect_eq "$(awk -F'\t' '$2 == "2024-03" || $2 == "2024-04" { print $2, $6 }' factors.tsv | tr '\n' '|')" "2024-03 1.219252|2024-04 1.828878|" "development factors"
printf 'member_id\tperiod\torg_id\tmember_months\np\tmeasure\tX\t12\nq\tmeasure\tX\t12\n' >cohort.tsv
printf 'member_id\tclaim_id\tfrom_date\tpaid_date\tallowed\tpaid\np\t1\t2024-03-10\t2024-04-02\t120.00\t100.00\np\t2\t2024-04-03\t2024-04-20\t130.00\t110.00\nq\t3\t2024-01-05\t2024-02-01\t60.00\t50.00\n' >pq.tsv
run cap-large-claims --cohort cohort.tsv --completion factors.tsv $PERIODS pq.tsv
expect_status 0
expect_eq "$(cut -f1,5-8 "$T/out" | tail -n +2 | tr '\t\n' ' |')" "p 250.00 210.00 323.10 323.10|q 60.00 50.00 50.00 50.00|" "member, allowed, paid, cost, raw cost"
# the two steps give the same: the sums carry the completed basis exactly
cap-large-claims --sum-only --completion factors.tsv $PERIODS pq.tsv >sums.tsv
expect_eq "$(sed -n 2p sums.tsv | cut -f6)" "323.10178000" "completed basis of p, 10^-6 cents"
run cap-large-claims --cohort cohort.tsv --from-sums $PERIODS sums.tsv
cap-large-claims --cohort cohort.tsv --completion factors.tsv $PERIODS pq.tsv >one.tsv
cmp -s "$T/out" one.tsv || bad "two steps differ from one"
run cap-large-claims --cohort cohort.tsv --from-sums --completion factors.tsv $PERIODS sums.tsv
expect_status 64
expect_err_has "--completion needs each claim's month"
done_case

case_ "the nightly pipeline completes with the chain ladder when the terms ask for it"
# synth's extract paid through 2024-09-30 (three months of the measurement
# period unpaid): complete runs before cap-large-claims, whose completed
# cost is above the paid cost by the IBNR; the statement shows it
synth --members 600 --seed 4 -o ex >/dev/null
mkdir night
for f in claims eligibility roster factors quality; do gzip -9n -c "ex/$f.tsv" >"night/$f.tsv.gz"; done
{ cat ex/terms.tsv; printf 'paid_through\t2024-09-30\ncompletion_method\tchain_ladder\ncompletion_window\t6\n'; } >terms.tsv
run make -s --no-print-directory -f "$ROOT/pipelines/reconcile.mk" BIN="$BIN" EXTRACT=night TERMS=terms.tsv OUT=o ITERATIONS=100
expect_status 0
for f in completion.tsv triangle.tsv; do [ -s "o/$f" ] || bad "no o/$f"; done
grep -q '^complete: read [0-9]*, placed [0-9]*, rejected 0; left out: claims paid after paid_through: [1-9]' o/accounting.txt ||
	bad "complete's accounting: $(grep '^complete' o/accounting.txt)"
# the measurement period's completed cost exceeds its cost basis (allowed) to date
expect_eq "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["period"] == "measure" { p += $c["allowed"]; r += $c["raw_cost"] } END { print (r > p * 1.02) }' o/costs.tsv)" 1 "completed above paid by more than 2%"
expect_eq "$(grep -c '^ *measure .*[1-9][0-9,]*\.[0-9][0-9] ' o/statement.txt | awk '{ print ($1 > 0) }')" 1 "the statement's completion rows"
grep -q 'Completion and the large-claim cap' o/statement.txt || bad "no completion section in the statement"
# the audit bundle reruns to the same bytes, completion included
make -s --no-print-directory -f "$ROOT/pipelines/reconcile.mk" BIN="$BIN" audit OUT=o AUDIT=a.tar.gz >/dev/null || bad "audit failed"
run make -s --no-print-directory -f "$ROOT/pipelines/reconcile.mk" BIN="$BIN" rerun AUDIT=a.tar.gz
expect_status 0
done_case
