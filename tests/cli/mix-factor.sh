# Golden cases for mix-factor: mix-factor(1)'s worked example to the last digit
# from member rows built for it, weighting, normalisation, the growth cap,
# and bad input.
. "$(dirname "$0")/../lib.sh"

cat >"$T/factors.tsv" <<'E'
dimension	key	factor
demographic	F:45-54	1.1000
demographic	F:55-64	1.1500
network	n1	0.9970
network	n2	0.9930
plan	p1	0.9800
plan	p2	0.9600
geographic	r1	1.0350
geographic	r2	1.0400
E
H='member_id	period	org_id	member_months	age	sex	region	plan	network	risk_score	enrollment_type'
# base: one member, 12 months: 1.1000, 1.3500, 0.9970, 0.9800, 1.0350.
# measure: two members of 12 months each, so each dimension is the plain
# mean: (1.10 + 1.15)/2 = 1.125; (1.30 + 1.50)/2 = 1.40; (0.997 + 0.993)/2 =
# 0.995; (0.98 + 0.96)/2 = 0.97; (1.035 + 1.04)/2 = 1.0375.
{
echo "$H"
printf 'A\tbase\tX\t12\t50\tF\tr1\tp1\tn1\t1.35\taged_nondual\n'
printf 'A\tmeasure\tX\t12\t51\tF\tr1\tp1\tn1\t1.30\taged_nondual\n'
printf 'B\tmeasure\tX\t12\t60\tF\tr2\tp2\tn2\t1.50\taged_nondual\n'
} >"$T/cohort.tsv"

case_ "worked example: 1.5017, 1.5771, D = 1.0502"
run mix-factor --factors "$T/factors.tsv" "$T/cohort.tsv"
expect_status 0
# M(base) = 1.1 × 1.35 × 0.997 × 0.98 × 1.035 = 1.50171679 → 1.5017
# M(measure) = 1.125 × 1.4 × 0.995 × 0.97 × 1.0375 = 1.57711542 → 1.5771
# D = 1.5771 ÷ 1.5017 = 1.050210 → 1.0502; ratios: 1.125/1.1 = 1.022727,
# 1.4/1.35 = 1.037037, 0.995/0.997 = 0.997994, 0.97/0.98 = 0.989796,
# 1.0375/1.035 = 1.002415
expect_out <<'E'
org_id	dimension	base	measure	ratio	used
X	demographic	1.1000	1.1250	1.0227	Y
X	risk	1.3500	1.4000	1.0370	Y
X	network	0.9970	0.9950	0.9980	Y
X	plan	0.9800	0.9700	0.9898	Y
X	geographic	1.0350	1.0375	1.0024	Y
X	aggregate	1.5017	1.5771	1.0502	Y
E
# and the target it adjusts: $500.00 × 1.0502 = 50000 × 10502 / 10000 cents
expect_eq "$((50000 * 10502 / 10000))" 52510 "\$525.10 in cents"
done_case

case_ "keys that share a memo slot: 3, 6 and 9 bytes, same first and last byte"
# each pair has the same length, first and last byte, so both keys land in
# one memo slot and alternate in it; A rows (12 months) take the first key,
# B rows (6 months) the second. By hand, weighted means over 18 months:
# network (1.05×12 + 0.95×6)/18 = 1.016667 → 1.0167; plan (1.10×12 +
# 0.90×6)/18 = 1.033333 → 1.0333; geographic (1.20×12 + 0.80×6)/18 =
# 1.066667 → 1.0667; M = 1.0167 × 1.0333 × 1.0667 = 1.12062820 → 1.1206
printf 'dimension\tkey\tfactor\nnetwork\tnet-a1\t1.05\nnetwork\tnet-b1\t0.95\nplan\tpXq\t1.10\nplan\tpYq\t0.90\ngeographic\tzone-A--z\t1.20\ngeographic\tzone-B--z\t0.80\n' >"$T/f-slot.tsv"
{
printf 'member_id\tperiod\torg_id\tmember_months\tregion\tplan\tnetwork\n'
for k in base measure; do for i in 1 2; do
	printf 'A%s\t%s\tX\t12\tzone-A--z\tpXq\tnet-a1\n' $i $k
	printf 'B%s\t%s\tX\t6\tzone-B--z\tpYq\tnet-b1\n' $i $k
done; done
} >"$T/slot.tsv"
run mix-factor --factors "$T/f-slot.tsv" "$T/slot.tsv"
expect_status 0
# no demographic table and no risk_score column: those two are not used
expect_out <<'E'
org_id	dimension	base	measure	ratio	used
X	demographic	1.0000	1.0000	1.0000	N
X	risk	1.0000	1.0000	1.0000	N
X	network	1.0167	1.0167	1.0000	Y
X	plan	1.0333	1.0333	1.0000	Y
X	geographic	1.0667	1.0667	1.0000	Y
X	aggregate	1.1206	1.1206	1.0000	Y
E
done_case

case_ "a file over 4 MiB, read as two halves on two threads: the same digits"
# the worked example's three rows 40,000 times over (other member ids): every
# weighted mean is the example's, so the output is the example's, and bad
# data in the second half is named by its line, as with one reader
awk -v n=40000 'NR == 1 { print; next } { r[NR] = $0 } END {
	for (i = 0; i < n; i++) for (j = 2; j <= 4; j++) { x = r[j]; sub(/^[AB]/, "M" i (j == 4 ? "b" : "a"), x); print x } }' \
	"$T/cohort.tsv" >"$T/big.tsv"
[ "$(wc -c <"$T/big.tsv")" -gt 4194304 ] || bad "the file is too small to be split"
mix-factor --factors "$T/factors.tsv" "$T/cohort.tsv" >"$T/example.tsv"
run mix-factor -v --factors "$T/factors.tsv" "$T/big.tsv"
expect_status 0
cmp -s "$T/out" "$T/example.tsv" || bad "the split read differs from the worked example"
expect_err "mix-factor: read 120000, mix rows 6, rejected 0"
awk 'NR == 100003 { sub(/\t1\.50\t/, "\t1.5x\t") } { print }' "$T/big.tsv" >"$T/bad-big.tsv"
run mix-factor --factors "$T/factors.tsv" "$T/bad-big.tsv"
expect_status 65
expect_err "mix-factor: $T/bad-big.tsv:100003: member 'M33333b': column 'risk_score' (10): invalid risk score '1.5x'"
done_case

case_ "member-month weighting"
{
echo "$H"
printf 'A\tbase\tY\t3\t50\tF\tr1\tp1\tn1\t1.0\tx\n'
printf 'B\tbase\tY\t9\t50\tF\tr1\tp1\tn1\t2.0\tx\n'
printf 'A\tmeasure\tY\t12\t50\tF\tr1\tp1\tn1\t1.0\tx\n'
} >"$T/w.tsv"
run mix-factor --factors "$T/factors.tsv" "$T/w.tsv"
expect_status 0
# base risk (3 × 1.0 + 9 × 2.0) / 12 = 1.75; ratio 1.0 / 1.75 = 0.571429
expect_eq "$(grep risk "$T/out")" "Y	risk	1.7500	1.0000	0.5714	Y" "risk row"
done_case

case_ "risk_growth_cap and risk_normalization"
run mix-factor --set risk_growth_cap=0.03 --factors "$T/factors.tsv" "$T/cohort.tsv"
expect_status 0
# measure risk limited to 1.35 × 1.03 = 1.3905; M(measure) = 1.125 × 1.3905 ×
# 0.995 × 0.97 × 1.0375 = 1.56641357 → 1.5664; D = 1.5664 / 1.5017 = 1.043085
expect_eq "$(grep -E 'risk|aggregate' "$T/out" | tr '\n' '|')" "X	risk	1.3500	1.3905	1.0300	Y|X	aggregate	1.5017	1.5664	1.0431	Y|" "capped"
run mix-factor --set risk_normalization=1.08 --factors "$T/factors.tsv" "$T/cohort.tsv"
# 1.35 / 1.08 = 1.25; 1.40 / 1.08 = 1.296296 → 1.2963
expect_eq "$(grep risk "$T/out" | cut -f3,4)" "1.2500	1.2963" "normalised"
done_case

# bad_row FILE ROW: the cohort plus one more row (printf format) as FILE;
# mix-factor on it must exit 65 with the message that follows
bad_row() {
	{ cat "$T/cohort.tsv"; printf "$2\n"; } >"$T/$1"
	run mix-factor --factors "$T/${3:-factors.tsv}" "$T/$1"
	expect_status 65
}

case_ "bad input: a risk score that is not a number"
bad_row bad.tsv 'C\tmeasure\tX\t12\t60\tF\tr2\tp2\tn2\thigh\tx'
expect_err "mix-factor: $T/bad.tsv:5: member 'C': column 'risk_score' (10): invalid risk score 'high'"
done_case

case_ "bad input: a factor table with a duplicate key"
{ cat "$T/factors.tsv"; printf 'plan\tp1\t0.9900\n'; } >"$T/dup.tsv"
run mix-factor --factors "$T/dup.tsv" "$T/cohort.tsv"
expect_status 65
expect_err "mix-factor: $T/dup.tsv:10: plan key 'p1' given twice"
done_case

case_ "bad input: a missing key names the key and the member"
bad_row miss.tsv 'D\tmeasure\tX\t12\t60\tF\tr9\tp2\tn2\t1.0\tx'
expect_err "mix-factor: $T/miss.tsv:5: member 'D': no geographic factor for key 'r9'"
bad_row age.tsv 'E\tmeasure\tX\t12\t70\tF\tr1\tp2\tn2\t1.0\tx'
expect_err "mix-factor: $T/age.tsv:5: member 'E': no demographic factor for sex 'F' age 70"
done_case

case_ "bad input: a cohort member with zero months"
bad_row zero.tsv 'F\tmeasure\tX\t0\t60\tF\tr2\tp2\tn2\t1.0\tx'
expect_err "mix-factor: $T/zero.tsv:5: column 'member_months' (4): invalid count '0' (member months must be a positive count)"
done_case

case_ "an org with no base members has no D"
printf '%s\nA\tmeasure\tZ\t12\t50\tF\tr1\tp1\tn1\t1.0\tx\n' "$H" >"$T/nobase.tsv"
run mix-factor --factors "$T/factors.tsv" "$T/nobase.tsv"
expect_status 65
expect_err "mix-factor: org 'Z' has no member in the base period: no mix adjustment D"
done_case

case_ "risk_score empty on every row: no risk dimension (1); on some rows: an error"
# the worked example's members without scores: risk is 1 in both periods,
# so M base = 1.1000 × 1 × 0.9970 × 0.9800 × 1.0350 = 1.11236... → 1.1124;
# M measure = 1.125 × 1 × 0.995 × 0.97 × 1.0375 = 1.12649... → 1.1265;
# D = 1.1265 / 1.1124 = 1.01267... → 1.0127
awk -F'\t' 'BEGIN { OFS = FS } NR > 1 { $10 = "" } { print }' "$T/cohort.tsv" >"$T/norisk.tsv"
run mix-factor --factors "$T/factors.tsv" "$T/norisk.tsv"
expect_status 0
expect_eq "$(grep -E 'risk|aggregate' "$T/out" | tr '\t' ' ' | tr '\n' '|')" "X risk 1.0000 1.0000 1.0000 N|X aggregate 1.1124 1.1265 1.0127 Y|" "risk 1 (not used), M and D"
awk -F'\t' 'BEGIN { OFS = FS } NR == 2 { $10 = "" } { print }' "$T/cohort.tsv" >"$T/somerisk.tsv"
run mix-factor --factors "$T/factors.tsv" "$T/somerisk.tsv"
expect_status 65
expect_err_has "column 'risk_score' is empty on 1 rows and given on 2"
done_case

case_ "mix-factor rejects no record, so --rejects is not an option of it"
# every cost row is either summed or stops the tool (65): a --rejects file
# would stay empty, so asking for one is a usage error
run mix-factor --rejects "$T/rej.tsv" --factors "$T/factors.tsv" "$T/cohort.tsv"
expect_status 64
expect_err_has "mix-factor: --rejects: unknown option"
done_case
