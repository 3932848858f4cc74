# Golden cases for attribute, each worked out by hand (arithmetic beside
# the case), and its error paths.
. "$(dirname "$0")/../lib.sh"

printf 'term\tvalue\nbase_start\t2023-01-01\nbase_end\t2023-12-31\nmeasure_start\t2024-01-01\nmeasure_end\t2024-12-31\n' >"$T/terms.tsv"
cat >"$T/roster.tsv" <<'E'
provider_id	org_id	role
P1	A	pcp
P2	A	specialist
P3	B	pcp
P4	B	other
S9	B	specialist
E
H='member_id	claim_id	from_date	allowed	paid	provider_id	tin	specialty	hcpcs'
{
echo "$H"
# M1 base: A = 100.00 + 60.00 = 160.00 (2 services) beats B = 150.00; total 310.00
printf 'M1\t1\t2023-02-01\t100.00\t80.00\tP1\t\t\t99213\n'
printf 'M1\t2\t2023-03-01\t150.00\t120.00\tP3\t\t\t99214\n'
printf 'M1\t3\t2023-05-01\t60.00\t48.00\tP1\t\t\t99213\n'
# M1 measure: B 80.00 on 01-10 ties TIN T7 (family practice, 08) 80.00 on
# 02-10; the more recent service wins: T7, not a roster org → elsewhere
printf 'M1\t4\t2024-01-10\t80.00\t64.00\tP3\t\t\t99213\n'
printf 'M1\t5\t2024-02-10\t80.00\t64.00\tX1\tT7\t08\t99213\n'
# M2: A 50.00 and B 50.00 on the same day → smallest id: A
printf 'M2\t6\t2023-06-01\t50.00\t40.00\tP1\t\t\t99213\n'
printf 'M2\t7\t2023-06-01\t50.00\t40.00\tP3\t\t\t99213\n'
# M3: no PCP service → step 2: A (P2) 200.00 vs B (S9) 120.00 + 100.00 = 220.00
# → B; the 5000.00 lab (80053) is not a qualifying service
printf 'M3\t8\t2023-04-01\t200.00\t160.00\tP2\t\t\t99204\n'
printf 'M3\t9\t2023-04-02\t120.00\t96.00\tS9\t\t\t99204\n'
printf 'M3\t10\t2023-05-02\t100.00\t80.00\tS9\t\t\t99213\n'
printf 'M3\t11\t2023-05-03\t5000.00\t4000.00\tP2\t\t\t80053\n'
# M4: specialist A 500.00 first, then PCP B 40.00: step 1 exists → B, step 1,
# basis 40.00, total 40.00 (step-2 services no longer count)
printf 'M4\t12\t2023-01-05\t500.00\t400.00\tP2\t\t\t99214\n'
printf 'M4\t13\t2023-07-01\t40.00\t32.00\tP3\t\t\t99212\n'
# M5: P4 has role other (left out); X2, no TIN, no specialty: itself, step 1 →
# elsewhere
printf 'M5\t14\t2023-08-01\t300.00\t240.00\tP4\t\t\t99213\n'
printf 'M5\t15\t2023-08-02\t20.00\t16.00\tX2\t\t\t99213\n'
# M6: only a non-qualifying service → no qualifying service
printf 'M6\t16\t2023-08-02\t20.00\t16.00\tP1\t\t\t80053\n'
# M7: before the base period → outside every window
printf 'M7\t17\t2022-12-31\t90.00\t72.00\tP1\t\t\t99213\n'
# M8: A 100.00 − 100.00 (reversal) = 0.00; B 30.00 → B, total 30.00
printf 'M8\t18\t2024-03-01\t100.00\t80.00\tP1\t\t\t99213\n'
printf 'M8\t19\t2024-03-05\t-100.00\t-80.00\tP1\t\t\t99213\n'
printf 'M8\t20\t2024-03-02\t30.00\t24.00\tP3\t\t\t99213\n'
} >"$T/claims.tsv"

case_ "plurality, tie-breaks, step 2, reversals (hand-computed)"
run attribute -v --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
cat >"$T/m1-m4" <<'E'
M1	base	A	1	160.00	2	310.00	B	150.00
M2	base	A	1	50.00	1	100.00	B	50.00
M3	base	B	2	220.00	2	420.00	A	200.00
M4	base	B	1	40.00	1	40.00		
E
printf 'member_id\tperiod\torg_id\tstep\tbasis_allowed\tbasis_services\ttotal_allowed\trunner_up\trunner_up_allowed\n' >"$T/header"
{ cat "$T/header" "$T/m1-m4"; printf 'M8\tmeasure\tB\t1\t30.00\t1\t30.00\tA\t0.00\n'; } | expect_out
# members M1..M8 = 8; base: attributed M1 M2 M3 M4 = 4, elsewhere M5 = 1,
# none M6 M7 M8 = 3; measure: attributed M8, elsewhere M1, none the other 6
expect_err "attribute: members 8; base: attributed 4, attributed elsewhere 1, no qualifying service 3; measure: attributed 1, attributed elsewhere 1, no qualifying service 6
attribute: read 20, written 5, rejected 0; left out: not a qualifying service: 2, outside every attribution window: 1, roster role other: 1"
done_case

case_ "prospective attribution: 12 months of look-back"
# base window = 2022, measure window = 2023: M7's 2022-12-31 service (A,
# 90.00) attributes M7 in the base period; the 2023 services decide
# measure, so M1..M4 get in the measurement period the rows they got in
# the base period without look-back (the previous case)
run attribute --set attribution_lookback_months=12 --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
{ cat "$T/header"; sed 's/\tbase\t/\tmeasure\t/' "$T/m1-m4"; printf 'M7\tbase\tA\t1\t90.00\t1\t90.00\t\t\n'; } | expect_out
done_case

case_ "--codes replaces the built-in list"
printf 'hcpcs\n80053\n' >"$T/codes.tsv"
run attribute --codes "$T/codes.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
# M3: P2 (A, specialist) 5000.00, step 2; M6: P1 (A, pcp) 20.00
expect_out <<'E'
member_id	period	org_id	step	basis_allowed	basis_services	total_allowed	runner_up	runner_up_allowed
M3	base	A	2	5000.00	1	5000.00		
M6	base	A	1	20.00	1	20.00		
E
done_case

case_ "gzip input gives the same output"
gzip -c "$T/claims.tsv" >"$T/claims.tsv.gz"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
cp "$T/out" "$T/plain.out"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv.gz"
cmp -s "$T/out" "$T/plain.out" || bad "gzip output differs"
done_case

# bad_roster FILE ROW: the roster plus one more row (printf format) as FILE;
# attribute must exit 65 with the message that follows
bad_roster() {
	{ cat "$T/roster.tsv"; printf "$2\n"; } >"$T/$1"
	run attribute --roster "$T/$1" --terms "$T/terms.tsv" "$T/claims.tsv"
	expect_status 65
}

case_ "a roster provider in two orgs: exit 65"
bad_roster roster2.tsv 'P1\tB\tpcp'
expect_err "attribute: $T/roster2.tsv:7: provider 'P1' is on the roster twice (also org 'A')"
done_case

case_ "an unknown role: exit 65"
bad_roster roster3.tsv 'P7\tB\tnurse'
expect_err "attribute: $T/roster3.tsv:7: column 'role' (3): invalid role 'nurse' (pcp, specialist or other)"
done_case

case_ "a bad amount: exit 65 naming the place; --rejects goes on"
{ cat "$T/claims.tsv"; printf 'M9\t21\t2023-01-01\t12,50\t1\tP1\t\t\t99213\n'; } >"$T/claims2.tsv"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims2.tsv"
expect_status 65
expect_err "attribute: $T/claims2.tsv:22: column 'allowed' (4): invalid amount '12,50'"
run attribute --rejects "$T/rej.tsv" --max-rejects 1 --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims2.tsv"
expect_status 0
expect_eq "$(wc -l <"$T/out")" 6 "attribution rows"
expect_eq "$(tail -n 1 "$T/rej.tsv" | cut -f10-)" "column 'allowed' (4): invalid amount '12,50'	$T/claims2.tsv	22" "reject"
done_case

case_ "periods are required terms: exit 64"
run attribute --roster "$T/roster.tsv" "$T/claims.tsv"
expect_status 64
expect_err "attribute: term 'base_start' is required (give --terms FILE or --set base_start=YYYY-MM-DD)"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" --set measure_start=2023-06-01 "$T/claims.tsv"
expect_status 64
expect_err "attribute: the base and measurement periods overlap"
done_case

case_ "a missing column: exit 65"
cut -f1-8 "$T/claims.tsv" >"$T/nohcpcs.tsv"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/nohcpcs.tsv"
expect_status 65
expect_err "attribute: $T/nohcpcs.tsv:1: required column 'hcpcs' is missing"
done_case

case_ "--tee copies the claims as read (a gzip file inflated); --stdin-name names the copy"
gzip -c "$T/claims2.tsv" >"$T/claims2.tsv.gz"
run attribute --tee "$T/copy.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
cmp -s "$T/copy.tsv" "$T/claims.tsv" || bad "the plain copy differs from the claims"
run attribute --tee "$T/copy.tsv" --rejects "$T/rej-a.tsv" --max-rejects 1 --roster "$T/roster.tsv" \
	--terms "$T/terms.tsv" "$T/claims2.tsv.gz"
expect_status 0
# the copy holds every line, the one attribute rejects (line 22) too
cmp -s "$T/copy.tsv" "$T/claims2.tsv" || bad "the copy of the gzip file differs from its content"
# a second tool reading the copy on standard input, named as the claims:
# its reject names the claims file and line 22, as if it had read it
run cap-large-claims --sum-only --terms "$T/terms.tsv" --rejects "$T/rej-c.tsv" --max-rejects 1 \
	--stdin-name "$T/claims2.tsv.gz" - <"$T/copy.tsv"
expect_status 0
expect_eq "$(tail -n 1 "$T/rej-c.tsv" | cut -f10-)" "column 'allowed' (4): invalid amount '12,50'	$T/claims2.tsv.gz	22" "reject of the copy"
done_case

case_ "--tee into a pipe: the second tool gets the claims once inflated; a reader gone is 74"
# 5000 members' claims (several MB) do not fit in the pipe's 1 MiB: a
# reader that stops after one byte leaves attribute a closed pipe
synth --members 5000 -o "$T/x" >/dev/null
gzip -c "$T/x/claims.tsv" >"$T/x/claims.tsv.gz"
run bash -c 'attribute --roster "$1/roster.tsv" --terms "$1/terms.tsv" --tee /dev/fd/3 "$1/claims.tsv.gz" \
	3>&1 >"$1/attribution.tsv" | cap-large-claims --sum-only --terms "$1/terms.tsv" - >"$1/sums.tsv"' \
	sh "$T/x"
expect_status 0
cap-large-claims --sum-only --terms "$T/x/terms.tsv" "$T/x/claims.tsv" | cmp -s - "$T/x/sums.tsv" ||
	bad "the sums of the copy differ from the sums of the claims"
attribute --roster "$T/x/roster.tsv" --terms "$T/x/terms.tsv" "$T/x/claims.tsv" | cmp -s - "$T/x/attribution.tsv" ||
	bad "the attribution beside the copy differs"
run bash -c 'attribute --roster "$1/roster.tsv" --terms "$1/terms.tsv" --tee /dev/fd/3 "$1/claims.tsv.gz" \
	3>&1 >/dev/null | head -c 1 >/dev/null; exit "${PIPESTATUS[0]}"' sh "$T/x"
expect_status 74
expect_err "attribute: $T/x/claims.tsv.gz: cannot copy what is read to /dev/fd/3 (--tee): Broken pipe"
done_case

case_ "--tee: one operand, not the claims file itself (64)"
cp "$T/claims.tsv" "$T/claims.keep"
run attribute --tee "$T/copy.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv" "$T/claims.tsv"
expect_status 64
expect_err_has "attribute: --tee: one claims operand, not 2"
run attribute --tee "$T/claims.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 64
expect_err_has "attribute: --tee: '$T/claims.tsv' is the claims operand itself"
cmp -s "$T/claims.tsv" "$T/claims.keep" || bad "the claims file was touched"
done_case

case_ "--claim-sums: cap-large-claims' claim sums in the same pass (hand-computed)"
# every line's allowed and paid per member and period (base 2023, measure
# 2024), whether or not it is a qualifying service:
#   M1 base    100.00 + 150.00 + 60.00 = 310.00, paid 80.00 + 120.00 + 48.00 = 248.00, 3 lines
#   M1 measure 80.00 + 80.00 = 160.00, paid 64.00 + 64.00 = 128.00, 2
#   M2 base    50.00 + 50.00 = 100.00, paid 80.00, 2
#   M3 base    200.00 + 120.00 + 100.00 + 5000.00 = 5420.00, paid 160.00 + 96.00 + 80.00 + 4000.00 = 4336.00, 4
#   M4 base    500.00 + 40.00 = 540.00, paid 432.00, 2
#   M5 base    300.00 + 20.00 = 320.00, paid 256.00, 2
#   M6 base    20.00, paid 16.00, 1
#   M8 measure 100.00 − 100.00 + 30.00 = 30.00, paid 24.00, 3
# M7's 2022-12-31 line is outside both periods: 19 of 20 lines used, 8
# rows, 7 members; the attribution is the first case's
run attribute -v --claim-sums "$T/sums.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
{ cat "$T/header" "$T/m1-m4"; printf 'M8\tmeasure\tB\t1\t30.00\t1\t30.00\tA\t0.00\n'; } | expect_out
cat >"$T/sums.want" <<'E'
member_id	period	allowed	paid	claims
M1	base	310.00	248.00	3
M1	measure	160.00	128.00	2
M2	base	100.00	80.00	2
M3	base	5420.00	4336.00	4
M4	base	540.00	432.00	2
M5	base	320.00	256.00	2
M6	base	20.00	16.00	1
M8	measure	30.00	24.00	3
E
cmp -s "$T/sums.tsv" "$T/sums.want" || bad "claim sums: $(diff "$T/sums.want" "$T/sums.tsv" | tr '\n' '|')"
expect_err "attribute: members 8; base: attributed 4, attributed elsewhere 1, no qualifying service 3; measure: attributed 1, attributed elsewhere 1, no qualifying service 6
attribute: read 20, written 5, rejected 0; left out: not a qualifying service: 2, outside every attribution window: 1, roster role other: 1
cap-large-claims: read 20, used 19, rejected 0; left out: claims outside any period: 1
cap-large-claims: claim sums rows 8, members 7"
# the same bytes and -v lines as cap-large-claims --sum-only on the claims
run cap-large-claims -v --sum-only --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 0
cmp -s "$T/out" "$T/sums.want" || bad "cap-large-claims --sum-only differs from the hand sums"
expect_err "cap-large-claims: read 20, used 19, rejected 0; left out: claims outside any period: 1
cap-large-claims: claim sums rows 8, members 7"
done_case

case_ "--claim-sums: each output rejects what it cannot use, into its own file"
# line 22: allowed '12,50' — bad for both (each names allowed, column 4);
# line 23: paid 'x' — the attribution keeps M10 (A, 12.50, its only
# service), the sums reject it (paid, column 5)
{ cat "$T/claims2.tsv"; printf 'M10\t22\t2023-01-01\t12.50\tx\tP1\t\t\t99213\n'; } >"$T/claims3.tsv"
run attribute -v --rejects "$T/rej-a.tsv" --claim-sums-rejects "$T/rej-s.tsv" --max-rejects 2 \
	--claim-sums "$T/sums3.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims3.tsv"
expect_status 0
expect_eq "$(grep -c '^M10	base	A	1	12.50	1	12.50' "$T/out")" 1 "M10 attributed"
cmp -s "$T/sums3.tsv" "$T/sums.want" || bad "the sums changed: $(diff "$T/sums.want" "$T/sums3.tsv" | tr '\n' '|')"
expect_eq "$(tail -n +2 "$T/rej-a.tsv" | cut -f10-)" "column 'allowed' (4): invalid amount '12,50'	$T/claims3.tsv	22" "attribute's reject"
expect_eq "$(tail -n +2 "$T/rej-s.tsv" | cut -f10- | tr '\n' '|')" "column 'allowed' (4): invalid amount '12,50'	$T/claims3.tsv	22|column 'paid' (5): invalid amount 'x'	$T/claims3.tsv	23|" "the sums' rejects"
# read 22 each: attribute 1 rejected, the sums 2 rejected and 19 used
expect_err_has "attribute: read 22, written 6, rejected 1;"
expect_err_has "cap-large-claims: read 22, used 19, rejected 2; left out: claims outside any period: 1"
# --max-rejects applies to each: 1 is too few for the sums (65)
run attribute --rejects "$T/rej-a.tsv" --claim-sums-rejects "$T/rej-s.tsv" --max-rejects 1 \
	--claim-sums "$T/sums3.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims3.tsv"
expect_status 65
expect_err "attribute: 2 records rejected (see $T/rej-s.tsv)"
# without --rejects the first bad line stops the run, whichever output it is bad for
{ cat "$T/claims.tsv"; printf 'M10\t22\t2023-01-01\t12.50\tx\tP1\t\t\t99213\n'; } >"$T/claims4.tsv"
run attribute --claim-sums "$T/sums4.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims4.tsv"
expect_status 65
expect_err "attribute: $T/claims4.tsv:22: column 'paid' (5): invalid amount 'x'"
# paid_through needs paid_date, as cap-large-claims says
run attribute --claim-sums "$T/sums4.tsv" --set paid_through=2024-06-30 --roster "$T/roster.tsv" \
	--terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 65
expect_err "attribute: $T/claims.tsv:1: term 'paid_through' needs column 'paid_date'"
done_case

case_ "--claim-sums: usage (64)"
run attribute --claim-sums-rejects "$T/r.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 64
expect_err_has "attribute: --claim-sums-rejects: only with --claim-sums"
run attribute --claim-sums "$T/s.tsv" --rejects "$T/r.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 64
expect_err_has "attribute: --claim-sums with --rejects: give the claim sums' rejects file too (--claim-sums-rejects FILE)"
cp "$T/claims.tsv" "$T/claims.keep"
run attribute --claim-sums "$T/claims.tsv" --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/claims.tsv"
expect_status 64
expect_err_has "attribute: --claim-sums: '$T/claims.tsv' is a claims operand"
cmp -s "$T/claims.tsv" "$T/claims.keep" || bad "the claims file was touched"
done_case

# the claim sums are written on a thread of their own beside the
# attribution: a write error of either output ends the run 74, naming it
case_ "--claim-sums: a full disk under either output is 74, naming it"
# (how much of the attribution is written first depends on the threads)
run sh -c "attribute --claim-sums /dev/full --roster '$T/roster.tsv' --terms '$T/terms.tsv' '$T/claims.tsv' >/dev/null"
expect_status 74
expect_err "attribute: /dev/full: write error: No space left on device"
run sh -c "attribute --claim-sums '$T/sums5.tsv' --roster '$T/roster.tsv' --terms '$T/terms.tsv' '$T/claims.tsv' >/dev/full"
expect_status 74
expect_err "attribute: (stdout): write error: No space left on device"
done_case

# A member-period's competitors are kept side by side in blocks that grow
# by one up to 8 and then to 12 and 16 (attribute.c, add_service); a first
# step-1 service drops a member-period's step-2 block for later ones to
# reuse. Many competitors, their lines interleaved, on both orders.
case_ "many competitors of one member-period, lines interleaved (hand-computed)"
{
echo "$H"
# M20 (base, step 1): A (P1) 40.00 + 45.00 + 50.00 = 135.00 in 3 services,
# B (P3) 70.00 + 60.00 = 130.00, TINs T01..T11 (family practice, 08) one
# service of i × 10.00 each, T05 a second of 25.00 (75.00 in all):
# 13 competitors; total 135.00 + 130.00 + 660.00 + 25.00 = 950.00 → A,
# runner-up B.
# M21: ten step-2 TINs (orthopedics, 20) U01..U10 of 100.00 each, then B's
# PCP 30.00: step 1 → B 30.00, total 30.00, no runner-up; the step-2
# services after it no longer count.
# M22 (after M21's block is dropped): step 2 only, A (P2) 500.00 and
# U01..U11 i × 10.00 each: A, total 500.00 + 660.00 = 1160.00, runner-up
# U11 110.00.
n=100
for i in 01 02 03 04 05 06 07 08 09 10 11; do
	a=$(( ${i#0} * 10 ))
	printf 'M20\t%s\t2023-03-%s\t%s.00\t1.00\tX%s\tT%s\t08\t99213\n' $n $i $a $i $i
	printf 'M21\t%s\t2023-04-%s\t100.00\t1.00\tY%s\tU%s\t20\t99213\n' $((n + 1)) $i $i $i
	case $i in
	03) printf 'M20\t%s\t2023-05-01\t40.00\t1.00\tP1\t\t\t99213\n' $((n + 2)) ;;
	05) printf 'M20\t%s\t2023-05-02\t25.00\t1.00\tX05\tT05\t08\t99213\n' $((n + 2))
	    printf 'M20\t%s\t2023-05-03\t70.00\t1.00\tP3\t\t\t99213\n' $((n + 3)) ;;
	07) printf 'M20\t%s\t2023-05-04\t45.00\t1.00\tP1\t\t\t99213\n' $((n + 2)) ;;
	09) printf 'M21\t%s\t2023-05-05\t30.00\t1.00\tP3\t\t\t99213\n' $((n + 2)) ;;
	11) printf 'M20\t%s\t2023-05-06\t50.00\t1.00\tP1\t\t\t99213\n' $((n + 2))
	    printf 'M20\t%s\t2023-05-07\t60.00\t1.00\tP3\t\t\t99213\n' $((n + 3)) ;;
	esac
	n=$((n + 4))
done
printf 'M22\t200\t2023-06-01\t500.00\t1.00\tP2\t\t\t99213\n'
for i in 01 02 03 04 05 06 07 08 09 10 11; do
	printf 'M22\t2%s\t2023-06-%s\t%s.00\t1.00\tY%s\tU%s\t20\t99213\n' $i $i $(( ${i#0} * 10 )) $i $i
done
} >"$T/many.tsv"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/many.tsv"
expect_status 0
cat >"$T/many.want" <<'E'
member_id	period	org_id	step	basis_allowed	basis_services	total_allowed	runner_up	runner_up_allowed
M20	base	A	1	135.00	3	950.00	B	130.00
M21	base	B	1	30.00	1	30.00		
M22	base	A	2	500.00	1	1160.00	U11	110.00
E
expect_out <"$T/many.want"
# the same lines the other way round: the same rows
{ echo "$H"; tail -n +2 "$T/many.tsv" | tac; } >"$T/many-reversed.tsv"
run attribute --roster "$T/roster.tsv" --terms "$T/terms.tsv" "$T/many-reversed.tsv"
expect_status 0
expect_out <"$T/many.want"
done_case
