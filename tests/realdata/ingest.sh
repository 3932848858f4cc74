# Real-data tests for ingest over ../shared/data: every DE-SynPUF
# beneficiary and inpatient file, the full DE-SynPUF sample 0 set and the
# Tuva seeds. Expected figures are computed here, independently, with awk
# over the raw CSV; they are skipped (visibly) when the data is absent.
. "$(dirname "$0")/../lib.sh"

if [ ! -d "$DATA/desynpuf" ]; then
	skip_case "real data" "$DATA is absent (DE-SynPUF, Tuva): nothing to check"
	exit 0
fi

# awk helper: dollars text → integer cents, exactly ("26000.00", "13000", "-300.5")
CENTS='function cents(s,   neg, i, f) { neg = sub(/^-/, "", s); i = s; f = 0;
	if (index(s, ".")) { i = substr(s, 1, index(s, ".") - 1); f = substr(s, index(s, ".") + 1);
		f = (length(f) == 1) ? f * 10 : substr(f, 1, 2) + 0 }
	return (neg ? -1 : 1) * (i * 100 + f) }'

# the -v line's numbers
vline() { sed -n "s/.*$1 \([0-9]*\).*/\1/p" "$T/err"; }

# ---- beneficiary summaries: months = min(HI,SMI) - HMO, cut at death --------
for f in "$DATA"/desynpuf/*Beneficiary*.csv.gz "$DATA"/desynpuf-sample0/*Beneficiary*.csv; do
	name=${f##*/}
	year=$(echo "$name" | sed -n 's/^DE1_0_\([0-9]\{4\}\)_Beneficiary.*/\1/p')
	case_ "desynpuf-beneficiary $name"
	want=$( (gzip -dc "$f" 2>/dev/null || cat "$f") | awk -F, -v year="$year" '
		NR > 1 { sub(/\r$/, "");
			n = ($9 < $10 ? $9 : $10) - $11
			if ($3 != "") { dy = substr($3, 1, 4) + 0; dm = substr($3, 5, 2) + 0
				if (dy < year) n = 0; else if (dy == year && n > dm) n = dm }
			if (n > 0) { months += n } else { none++ }
			rows++ }
		END { printf "%d %d %d", rows, months, none }')
	run ingest -v --profile desynpuf-beneficiary "$f"
	expect_status 0
	set -- $want
	expect_eq "$(vline read)" "$1" "rows read"
	expect_eq "$(vline written)" "$2" "member months written"
	expect_eq "$(($(wc -l <"$T/out") - 1))" "$2" "member months in the output"
	if [ "$3" -gt 0 ]; then
		expect_err_has "no month with Part A and B outside an HMO: $3"
	fi
	expect_err_has "rejected 0"
	done_case
done

# ---- inpatient claims: every row accounted for, paid summed to the cent -----
# Independent rule check: a row with a blank CLM_FROM_DT is kept when its
# CLM_ID has a dated row anywhere in the file; otherwise it is rejected.
inpatient_expect() {
	(gzip -dc "$1" 2>/dev/null || cat "$1") | awk -F, "$CENTS"'
		NR > 1 { sub(/\r$/, ""); n++; id[n] = $2; dated[n] = ($4 != ""); pay[n] = cents($7)
			 if ($4 != "") has_date[$2] = 1 }
		END {
			for (i = 1; i <= n; i++) {
				if (dated[i] || (id[i] in has_date)) { w++; s += pay[i] } else rej++
			}
			printf "%d %d %d %.0f", n, w, rej, s
		}'
}
out_paid() { awk -F'\t' "$CENTS"' NR == 1 { for (i = 1; i <= NF; i++) if ($i == "paid") c = i }
	NR > 1 { s += cents($c) } END { printf "%.0f", s }' "$T/out"; }

for f in "$DATA"/desynpuf/*Inpatient*.csv.gz "$DATA"/desynpuf-sample0/*Inpatient*.csv \
	 "$DATA"/desynpuf-sample0/*Outpatient*.csv; do
	name=${f##*/}
	case $name in *Outpatient*) prof=desynpuf-outpatient ;; *) prof=desynpuf-inpatient ;; esac
	case_ "$prof $name: rows = written + rejected; paid sum exact"
	set -- $(inpatient_expect "$f")
	run ingest -v --profile $prof --rejects "$T/rej.tsv" --max-rejects 100000 "$f"
	expect_status 0
	expect_eq "$(vline read)" "$1" "rows read"
	expect_eq "$(vline written)" "$2" "claim lines written"
	expect_eq "$(vline rejected)" "$3" "dateless rows of undated claims rejected"
	if [ "$3" -gt 0 ]; then
		expect_eq "$(grep -c 'dateless segment whose claim has no dated row in the input' "$T/rej.tsv")" "$3" "reason"
	fi
	expect_eq "$(out_paid)" "$4" "sum of paid (cents)"
	done_case
done

case_ "desynpuf-inpatient, the 18 samples: 102,933 rows, \$982,056,510.00 paid, every row written"
# the figures of issue 14, counted over the raw files: 102,933 data rows,
# CLM_PMT_AMT summing to $982,056,510.00; 39 dateless rows ($874,000.00)
# have their claim's dated row 2-10 lines away and must not be lost
run ingest -v --profile desynpuf-inpatient "$DATA"/desynpuf/*Inpatient*.csv.gz
expect_status 0
expect_eq "$(vline read) $(vline written) $(vline rejected)" "102933 102933 0" "read, written, rejected"
expect_eq "$(out_paid)" "98205651000" "paid (cents)"
done_case

# ---- carrier: 13 line items unpivoted ---------------------------------------
case_ "desynpuf-carrier sample 0 (A and B): one line per non-empty item, paid exact"
set -- $(cat "$DATA"/desynpuf-sample0/*Carrier_Claims_Sample_0A.csv \
	     "$DATA"/desynpuf-sample0/*Carrier_Claims_Sample_0B.csv | awk -F, "$CENTS"'
	/^"DESYNPUF_ID"/ { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); col[$i] = i }; next }
	{ sub(/\r$/, ""); rows++
	  for (k = 1; k <= 13; k++) {
		empty = 1
		split("PRF_PHYSN_NPI_ TAX_NUM_ HCPCS_CD_ LINE_NCH_PMT_AMT_ LINE_ALOWD_CHRG_AMT_ LINE_ICD9_DGNS_CD_", p, " ")
		for (j = 1; j <= 6; j++) { v = $(col[p[j] k]); if (v != "" && v != "0" && v != "0.00") empty = 0 }
		if (!empty) { lines++; s += cents($(col["LINE_NCH_PMT_AMT_" k])) }
	  } }
	END { printf "%d %d %.0f", rows, lines, s }')
run ingest -v --profile desynpuf-carrier "$DATA"/desynpuf-sample0/*Carrier_Claims_Sample_0A.csv \
	"$DATA"/desynpuf-sample0/*Carrier_Claims_Sample_0B.csv
expect_status 0
expect_eq "$(vline read)" "$1" "rows read"
expect_eq "$(vline written)" "$2" "lines written"
expect_eq "$(out_paid)" "$3" "sum of paid (cents)"
done_case

case_ "desynpuf-pde sample 0: paid = total cost less patient pay, exact"
set -- $(awk -F, "$CENTS"' NR > 1 { sub(/\r$/, ""); n++; a += cents($8); p += cents($8) - cents($7) }
	END { printf "%d %.0f %.0f", n, a, p }' "$DATA"/desynpuf-sample0/*Prescription_Drug_Events*.csv)
run ingest -v --profile desynpuf-pde "$DATA"/desynpuf-sample0/*Prescription_Drug_Events*.csv
expect_status 0
expect_eq "$(vline written)" "$1" "lines written"
expect_eq "$(out_paid)" "$3" "sum of paid (cents)"
expect_eq "$(awk -F'\t' "$CENTS"' NR > 1 { s += cents($5) } END { printf "%.0f", s }' "$T/out")" "$2" "sum of allowed (cents)"
done_case

# ---- Tuva seeds --------------------------------------------------------------
case_ "tuva-medical-claim: 2,075 lines = written + left out (no amount); paid exact"
set -- $(gzip -dc "$DATA/tuva/medical_claim_seed.csv.gz" | awk -F, "$CENTS"'
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ n++; p = $(col["paid_amount"]); if (p == "") lo++; else { w++; s += cents(p) } }
	END { printf "%d %d %d %.0f", n, w, lo, s }')
run ingest -v --profile tuva-medical-claim "$DATA/tuva/medical_claim_seed.csv.gz"
expect_status 0
expect_eq "$1" 2075 "rows in the seed"
expect_eq "$(vline read)" "$1" "rows read"
expect_eq "$(vline written)" "$2" "lines written"
expect_err_has "blank allowed_amount|paid_amount: $3"
expect_eq "$(out_paid)" "$4" "sum of paid (cents)"
done_case

case_ "tuva-pharmacy-claim: every dispensing = written + left out (no amount); paid exact"
set -- $(gzip -dc "$DATA/tuva/pharmacy_claim_seed.csv.gz" | awk -F, "$CENTS"'
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ n++; p = $(col["paid_amount"]); a = $(col["allowed_amount"])
	  if (p == "" && a == "") lo++; else { w++; s += cents(p) } }
	END { printf "%d %d %d %.0f", n, w, lo, s }')
run ingest -v --profile tuva-pharmacy-claim "$DATA/tuva/pharmacy_claim_seed.csv.gz"
expect_status 0
expect_eq "$1" 291 "rows in the seed"
expect_eq "$(vline read)" "$1" "rows read"
expect_eq "$(vline written)" "$2" "lines written"
expect_eq "$(out_paid)" "$4" "sum of paid (cents)"
expect_eq "$(tail -n +2 "$T/out" | cut -f$(head -n 1 "$T/out" | tr '\t' '\n' | grep -n '^category$' | cut -d: -f1) | sort -u)" "pharmacy" "category"
done_case

case_ "tuva-eligibility: every span month written"
set -- $(gzip -dc "$DATA/tuva/eligibility_seed.csv.gz" | awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ s = $(col["enrollment_start_date"]); e = $(col["enrollment_end_date"]); n++
	  m += (substr(e,1,4) * 12 + substr(e,6,2)) - (substr(s,1,4) * 12 + substr(s,6,2)) + 1 }
	END { printf "%d %d", n, m }')
run ingest -v --profile tuva-eligibility "$DATA/tuva/eligibility_seed.csv.gz"
expect_status 0
expect_eq "$(vline read)" "$1" "spans read"
expect_eq "$(vline written)" "$2" "member months written"
expect_eq "$(cut -f1,2 "$T/out" | sort | uniq -d | wc -l)" 0 "duplicate member months"
done_case
