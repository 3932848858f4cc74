# settle against CMS's published results: every ACO of the Medicare Shared
# Savings Program 2018 public use file becomes settle input (target total =
# ABtotBnchmk, actual = ABtotExp, members = N_AB, quality = QualScore and
# Met_QPS), with the terms of its track; settle's generated savings/losses
# must equal GenSaveLoss within $3, and its earned savings/losses
# EarnSaveLoss within $3 or 0.01%, whichever is larger (the file rounds
# QualScore to 4 decimals: a quality of 0.85305 published as 0.8531 moves
# earned savings by up to 0.006%).
#
# Terms per track (42 CFR 425.604–425.610 as in force for 2018):
#   Track 1:  one-sided; MSR on the MSSP scale by N_AB; 50% × quality;
#             savings cap 10% of the benchmark.
#   Track 1+: two-sided; MSR = MLR = the ACO's MinSavPerc; 50% × quality;
#             losses at a fixed 30%; savings cap 10%, loss cap 4% of the
#             benchmark (the revenue-based cap needs revenue the file does
#             not give; no Track 1+ loss in the file comes near either cap).
#   Track 2:  two-sided; MinSavPerc; 60% × quality; loss rate 1 − 60% ×
#             quality within 40–60%; savings cap 15%; loss cap 5%, 7.5%,
#             10% in the 1st, 2nd, 3rd+ year of the agreement.
#   Track 3:  two-sided; MinSavPerc; 75% × quality; loss rate 1 − 75% ×
#             quality within 40–75%; savings cap 20%, loss cap 15%.
#   All:      2% payment reduction (sequestration) on savings; DisAdj (the
#             extreme and uncontrollable circumstances reduction of losses,
#             in dollars) as loss_forgiveness_amount.
# A MinSavPerc that is not a whole number of millionths (e.g. 0.023177539)
# is the size-based choice: msr = mlr = mssp, which reproduces it from N_AB.
. "$(dirname "$0")/../lib.sh"

PUF="$DATA/mssp-puf/2018_Shared_Savings_Program__SSP__Accountable_Care_Organizations__ACO__PUF.csv"
if [ ! -f "$PUF" ]; then
	skip_case "mssp 2018 puf" "$PUF is absent"
	exit 0
fi

# CSV (quoted fields, "" escapes, no line breaks inside fields) → TSV of the
# columns used, one row per ACO.
awk '
function split_csv(line, out,    n, i, c, q, cur) {
	n = 0; cur = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ }
				else q = 0
			} else cur = cur c
		} else if (c == "\"") q = 1
		else if (c == ",") { out[++n] = cur; cur = "" }
		else cur = cur c
	}
	out[++n] = cur
	return n
}
{ sub(/\r$/, "") }
NR == 1 { sub(/^\357\273\277/, ""); n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
{
	split_csv($0, f)
	track = f[col["Current_Track_1"]] == 1 ? "1" : f[col["Current_Track_2"]] == 1 ? "2" : \
		f[col["Current_Track_3"]] == 1 ? "3" : f[col["Current_Track_1_Plus"]] == 1 ? "1+" : "?"
	start = f[col["Current_Start_Date"]]; sub(/^[0-9][0-9]\/[0-9][0-9]\//, "", start)
	print f[col["ACO_ID"]], track, f[col["N_AB"]], f[col["ABtotBnchmk"]], f[col["ABtotExp"]], \
		f[col["QualScore"]], f[col["Met_QPS"]], f[col["MinSavPerc"]], f[col["DisAdj"]], \
		f[col["GenSaveLoss"]], f[col["EarnSaveLoss"]], substr(start, 1, 4)
}' OFS='\t' "$PUF" >"$T/puf.tsv"

awk -F'\t' -v T="$T" '
BEGIN {
	print "member_id\tperiod\torg_id\tmembers\tmember_months\tcost" >T "/costs.tsv"
	print "org_id\ttarget_total" >T "/targets.tsv"
	print "org_id\tquality_score\tmet_quality_standard" >T "/quality.tsv"
	print "org_id\trisk\tmsr\tmlr\tsharing_rate\tloss_rate\tloss_rate_min\tloss_rate_max\tsavings_cap\tloss_cap\tloss_forgiveness_amount" >T "/org-terms.tsv"
}
{
	id = $1; track = $2
	print id "\tmeasure\t" id "\t" $3 "\t" $3 * 12 "\t" $5 >T "/costs.tsv"
	print id "\t" $4 >T "/targets.tsv"
	print id "\t" $6 "\t" ($7 == 1 ? "Y" : "N") >T "/quality.tsv"
	msr = $8
	if (track == "1" || msr * 1000000 != int(msr * 1000000 + 0.5)) msr = "mssp"
	forgive = $9 == "" ? "" : -$9
	if (track == "1")
		print id "\tone_sided\tmssp\t\t0.5\t\t\t\t0.10\t\t" forgive >T "/org-terms.tsv"
	else if (track == "1+")
		print id "\ttwo_sided\t" msr "\t" msr "\t0.5\t0.30\t\t\t0.10\t0.04\t" forgive >T "/org-terms.tsv"
	else if (track == "2") {
		year = 2018 - $12 + 1
		print id "\ttwo_sided\t" msr "\t" msr "\t0.6\tquality_linked\t0.40\t0.60\t0.15\t" \
			(year >= 3 ? "0.10" : year == 2 ? "0.075" : "0.05") "\t" forgive >T "/org-terms.tsv"
	} else
		print id "\ttwo_sided\t" msr "\t" msr "\t0.75\tquality_linked\t0.40\t0.75\t0.20\t0.15\t" \
			forgive >T "/org-terms.tsv"
}' "$T/puf.tsv"
printf 'term\tvalue\nquality_mode\tmultiply\npayment_reduction\t0.02\n' >"$T/terms.tsv"

case_ "mssp 2018 puf: input"
expect_eq "$(wc -l <"$T/puf.tsv" | tr -d ' ')" 548 "ACO rows"
expect_eq "$(cut -f2 "$T/puf.tsv" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
	" 453 1; 52 1+; 7 2; 36 3;" "ACOs per track"
done_case

case_ "mssp 2018 puf: settle every ACO"
run settle --total -v --terms "$T/terms.tsv" --org-terms "$T/org-terms.tsv" \
	--target "$T/targets.tsv" --quality "$T/quality.tsv" "$T/costs.tsv"
expect_status 0
expect_err_has "read 548, settlements 548, rejected 0"
cp "$T/out" "$T/settle.tsv"
# join settle's generated_savings and shared with the published figures
awk -F'\t' '
NR == FNR { gen[$1] = $10; earn[$1] = $11; next }
FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$1 != "*" {
	g = $c["generated_savings"]; e = $c["shared"]
	dg = g - gen[$1]; de = e - earn[$1]
	if (dg < 0) dg = -dg; if (de < 0) de = -de
	tol = earn[$1] < 0 ? -earn[$1] * 0.0001 : earn[$1] * 0.0001
	if (tol < 3) tol = 3
	if (dg <= 3 && de <= tol) ok++
	else printf "%s generated %s (published %s) earned %s (published %s)\n", $1, g, gen[$1], e, earn[$1]
	n++
}
END { printf "%d of %d ACOs match\n", ok, n }' "$T/puf.tsv" "$T/settle.tsv" >"$T/match"
echo "    $(tail -1 "$T/match")"
expect_eq "$(tail -1 "$T/match")" "548 of 548 ACOs match" "published results reproduced"
[ "$(wc -l <"$T/match")" -eq 1 ] || bad "$(head -5 "$T/match")"
done_case

case_ "mssp 2018 puf: the MSR scale reproduces MinSavPerc"
# Every Track 1 ACO's msr column against the file's MinSavPerc (9 decimals;
# settle shows 6): the bands of the regulation, and the three inferred
# below 5,000 (settle(1)).
awk -F'\t' '
NR == FNR { if ($2 == "1") msr[$1] = $8; next }
FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
($1 in msr) {
	d = $c["msr"] - msr[$1]; if (d < 0) d = -d
	if (d <= 0.0000005) ok++; else print $1, $c["msr"], msr[$1]
	n++
}
END { printf "%d of %d\n", ok, n }' "$T/puf.tsv" "$T/settle.tsv" >"$T/msr"
expect_eq "$(tail -1 "$T/msr")" "453 of 453" "Track 1 MSR"
done_case
