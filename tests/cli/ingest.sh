# Golden command-line cases for ingest: layouts, formats, archives, the
# DE-SynPUF rules, and every error path with its message and exit status.
. "$(dirname "$0")/../lib.sh"

# ---- a payer CSV through a mapping file --------------------------------
printf '\357\273\277"MBR","CLAIM","SVC_DT","ALLOWED","PAID","NOTE"\r\n' >"$T/payer.csv"
printf 'A1,9001,03/07/2024,"1,000.00",800,"x, ""quoted"""\r\n' >>"$T/payer.csv"
printf 'A1,9002,3/8/2024,12.5,10.005,plain\r\n' >>"$T/payer.csv"
printf 'B2,9003,12/31/2023,20,16,"two\r\nlines"\r\n' >>"$T/payer.csv"
cat >"$T/map.tsv" <<'M'
column	source	convert	if_empty
member_id	MBR		
claim_id	CLAIM		
from_date	SVC_DT	date:MM/DD/YYYY	
allowed	ALLOWED	amount	
paid	PAID	amount	
note	NOTE		
M

case_ "mapping: comma inside an amount is rejected with file:line, column and value"
run ingest --map "$T/map.tsv" "$T/payer.csv"
expect_status 65
expect_err "ingest: $T/payer.csv:2: column 'ALLOWED' (4): invalid amount '1,000.00' for 'allowed'"
done_case

case_ "mapping: --rejects keeps going, writes each record with its reason, exits 65"
run ingest --map "$T/map.tsv" --rejects "$T/rej.tsv" -v "$T/payer.csv"
expect_status 65
expect_out <<'E'
member_id	claim_id	from_date	allowed	paid	note
E
expect_file "$T/rej.tsv" <<E
MBR	CLAIM	SVC_DT	ALLOWED	PAID	NOTE	reject_reason	source	line
A1	9001	03/07/2024	1,000.00	800	x, "quoted"	column 'ALLOWED' (4): invalid amount '1,000.00' for 'allowed'	$T/payer.csv	2
A1	9002	3/8/2024	12.5	10.005	plain	column 'PAID' (5): invalid amount '10.005' for 'paid'	$T/payer.csv	3
B2	9003	12/31/2023	20	16	two lines	column 'NOTE' (6): value holds a TAB or line break, which the stream cannot carry	$T/payer.csv	4
E
expect_err "ingest: read 3, written 0, rejected 3
ingest: 3 records rejected (see $T/rej.tsv)"
done_case

printf 'MBR,CLAIM,SVC_DT,ALLOWED,PAID,NOTE\nA1,1,01/02/2024,12.5,10,ok\n' >"$T/ok.csv"
case_ "mapping: --max-rejects N lets a run with N rejected records succeed"
run ingest --map "$T/map.tsv" --rejects "$T/rej2.tsv" --max-rejects 3 "$T/payer.csv" "$T/ok.csv"
expect_status 0
expect_eq "$(wc -l <"$T/out")" 2 "lines written"
expect_eq "$(wc -l <"$T/rej2.tsv")" 4 "lines in rejects"
done_case

case_ "mapping: operands whose headers differ: exit 65"
printf 'MBR,CLAIM,DOS,ALLOWED,PAID,NOTE\nA1,1,01/02/2024,12.5,10,ok\n' >"$T/other.csv"
run ingest --map "$T/map.tsv" "$T/ok.csv" "$T/other.csv"
expect_status 65
expect_err "ingest: $T/other.csv:1: header differs from the header of $T/ok.csv"
done_case

# ok.csv read twice: its header once, its record twice
ok_twice() {
	expect_out <<'E'
member_id	claim_id	from_date	allowed	paid	note
A1	1	2024-01-02	12.50	10.00	ok
A1	1	2024-01-02	12.50	10.00	ok
E
}

case_ "mapping: several operands with the same header are concatenated"
cp "$T/ok.csv" "$T/ok2.csv"
run ingest --map "$T/map.tsv" "$T/ok.csv" "$T/ok2.csv"
expect_status 0
ok_twice
done_case

case_ "gzip, tar.gz and zip members give the same stream"
gzip -c "$T/ok.csv" >"$T/ok.csv.gz"
(cd "$T" && tar czf ext.tar.gz ok.csv && zip -q ext.zip ok.csv)
run ingest --map "$T/map.tsv" "$T/ok.csv.gz" "$T/ext.tar.gz#ok.csv" "$T/ext.zip#ok.csv"
expect_status 0
expect_eq "$(tail -n +2 "$T/out" | sort -u | wc -l)" 1 "distinct records"
expect_eq "$(wc -l <"$T/out")" 4 "lines"
done_case

case_ "plain tar member and standard input"
(cd "$T" && tar cf ext.tar ok.csv)
run sh -c "cat '$T/ok.csv' | ingest --map '$T/map.tsv' '$T/ext.tar#ok.csv' -"
expect_status 0
ok_twice
done_case

case_ "missing archive member: exit 66"
run ingest --map "$T/map.tsv" "$T/ext.zip#claims.csv"
expect_status 66
expect_err_has "no member 'claims.csv'"
done_case

case_ "truncated gzip: exit 74, naming the file"
i=0; : >"$T/big.csv"; echo "MBR,CLAIM,SVC_DT,ALLOWED,PAID,NOTE" >"$T/big.csv"
awk 'BEGIN{for(i=0;i<60000;i++) printf "M%d,%d,01/02/2024,%d.%02d,1,n%d\n", i, i, i%977, i%100, i*7}' >>"$T/big.csv"
gzip -c "$T/big.csv" >"$T/big.csv.gz"
head -c 100000 "$T/big.csv.gz" >"$T/trunc.csv.gz"
run ingest --map "$T/map.tsv" "$T/trunc.csv.gz"
expect_status 74
expect_err_has "$T/trunc.csv.gz: truncated gzip data"
done_case

case_ "missing input file: exit 66"
run ingest --map "$T/map.tsv" "$T/nope.csv"
expect_status 66
expect_err "ingest: $T/nope.csv: cannot open: No such file or directory"
done_case

case_ "output to /dev/full: exit 74"
run sh -c "ingest --map '$T/map.tsv' '$T/big.csv' >/dev/full"
expect_status 74
expect_err_has "write error: No space left on device"
done_case

case_ "usage errors: exit 64"
run ingest "$T/ok.csv"
expect_status 64
expect_err_has "give exactly one of --profile and --map"
run ingest --profile desynpuf-claims "$T/ok.csv"
expect_status 64
expect_err_has "unknown profile 'desynpuf-claims'"
run ingest --map "$T/map.tsv" --kind claim "$T/ok.csv"
expect_status 64
done_case

case_ "an option ingest does not take (--terms): exit 64 naming it"
# ingest reads no contract terms, so --terms is not among its options
run ingest --map "$T/map.tsv" --terms "$T/terms.tsv" "$T/ok.csv"
expect_status 64
expect_err_has "ingest: --terms: unknown option"
done_case

case_ "bad mapping file: exit 64 naming the line"
printf 'column\tsource\tconvert\nmember_id\tMBR\t\nclaim_id\tCLAIM\tupper\n' >"$T/badmap.tsv"
run ingest --map "$T/badmap.tsv" "$T/ok.csv"
expect_status 64
expect_err "ingest: $T/badmap.tsv:3: column 'claim_id': unknown convert 'upper'"
done_case

case_ "--help and --version"
run ingest --help
expect_status 0
expect_err ""
grep -q '^usage: ingest --profile NAME | --map FILE' "$T/out" || bad "usage text"
run ingest --version
expect_status 0
expect_out <<'E'
ingest (vbr) 0.1.0
E
done_case

# ---- DE-SynPUF rules, on hand-made rows --------------------------------
H='"DESYNPUF_ID","BENE_BIRTH_DT","BENE_DEATH_DT","BENE_SEX_IDENT_CD","BENE_RACE_CD","BENE_ESRD_IND","SP_STATE_CODE","BENE_COUNTY_CD","BENE_HI_CVRAGE_TOT_MONS","BENE_SMI_CVRAGE_TOT_MONS","BENE_HMO_CVRAGE_TOT_MONS","PLAN_CVRG_MOS_NUM"'
{
	printf '%s\r\n' "$H"
	printf 'FULL,19400101,,1,1,0,10,100,12,12,0,12\r\n'       # 12 months
	printf 'PARTB,19500615,,2,1,0,10,100,12,6,2,0\r\n'        # min(12,6)-2 = 4
	printf 'DIED,19300301,20090315,2,1,Y,11,200,12,12,0,12\r\n' # died March: 3
	printf 'HMO,19400101,,1,1,0,10,100,12,12,12,12\r\n'       # 0: left out
	printf 'BAD,19401301,,1,1,0,10,100,12,12,0,12\r\n'        # month 13
} >"$T/DE1_0_2009_Beneficiary_Summary_File_Sample_99.csv"

case_ "desynpuf-beneficiary: months = min(HI,SMI) - HMO from January, cut at death"
run ingest --profile desynpuf-beneficiary --rejects "$T/brej.tsv" --max-rejects 1 -v \
	"$T/DE1_0_2009_Beneficiary_Summary_File_Sample_99.csv"
expect_status 0
expect_eq "$(grep -c '^FULL' "$T/out")" 12 "FULL months"
expect_eq "$(grep '^PARTB' "$T/out" | cut -f2 | tr '\n' ' ')" "2009-01 2009-02 2009-03 2009-04 " "PARTB months"
expect_eq "$(grep '^DIED' "$T/out" | cut -f2,4,5,8 | tail -n 1)" "2009-03	2009-03-15	F	esrd" "DIED last month"
expect_eq "$(grep -c '^HMO' "$T/out")" 0 "HMO months"
expect_eq "$(sed -n 2p "$T/out")" "FULL	2009-01	1940-01-01		M	10	100	aged_nondual" "first row"
expect_eq "$(grep '^PARTB' "$T/out" | head -n 1 | cut -f8)" "disabled" "under 65 on Jan 1"
expect_err_has "read 5, written 19, rejected 1; left out: no month with Part A and B outside an HMO: 1"
done_case

case_ "desynpuf-beneficiary: the year comes from the name or --year"
cp "$T/DE1_0_2009_Beneficiary_Summary_File_Sample_99.csv" "$T/bene.csv"
run ingest --profile desynpuf-beneficiary "$T/bene.csv"
expect_status 64
expect_err_has "cannot tell the year from the file name; give --year"
run ingest --profile desynpuf-beneficiary --year 2010 --rejects "$T/x.tsv" --max-rejects 1 "$T/bene.csv"
expect_status 0
expect_eq "$(sed -n 2p "$T/out" | cut -f2)" "2010-01" "month"
done_case

IH='"DESYNPUF_ID","CLM_ID","SEGMENT","CLM_FROM_DT","CLM_THRU_DT","PRVDR_NUM","CLM_PMT_AMT","NCH_PRMRY_PYR_CLM_PD_AMT","AT_PHYSN_NPI","OP_PHYSN_NPI","OT_PHYSN_NPI","CLM_ADMSN_DT","ADMTNG_ICD9_DGNS_CD","CLM_PASS_THRU_PER_DIEM_AMT","NCH_BENE_IP_DDCTBL_AMT","NCH_BENE_PTA_COINSRNC_LBLTY_AM","NCH_BENE_BLOOD_DDCTBL_LBLTY_AM","CLM_UTLZTN_DAY_CNT","NCH_BENE_DSCHRG_DT","CLM_DRG_CD","ICD9_DGNS_CD_1","ICD9_DGNS_CD_2","ICD9_DGNS_CD_3","ICD9_DGNS_CD_4","ICD9_DGNS_CD_5","ICD9_DGNS_CD_6","ICD9_DGNS_CD_7","ICD9_DGNS_CD_8","ICD9_DGNS_CD_9","ICD9_DGNS_CD_10"'
{
	printf '%s\r\n' "$IH"
	printf 'M1,C1,1,20090101,20090105,P1,1000.00,0,N1,,,20090101,D,0,1068.00,0,0,4,20090105,1,A,,,,,,,,,\r\n'
	printf 'M1,C1,2,,,P1,500.00,0,N1,,,,D,0,0,0,0,0,,1,A,,,,,,,,,\r\n'   # after: inherits
	printf 'M2,C2,2,,,P1,300.00,0,N1,,,,D,0,0,0,0,0,,1,A,,,,,,,,,\r\n'   # before: inherits
	printf 'M2,C2,1,20090301,20090302,P1,700.00,10.00,N1,,,20090301,D,0,0,5.00,0,1,20090302,1,A,,,,,,,,,\r\n'
	printf 'M3,C3,2,,,P1,900.00,0,N1,,,,D,0,0,0,0,0,,1,A,,,,,,,,,\r\n'   # alone: rejected
	printf 'M5,C5,3,,,P1,40.00,0,N1,,,,D,0,0,0,0,0,,1,A,,,,,,,,,\r\n'    # dated 2 rows later
	printf 'M4,C4,1,20090401,20090401,P1,-300.00,0,N1,,,20090401,D,0,0,0,0,1,20090401,1,A,,,,,,,,,\r\n'
	printf 'M5,C5,1,20090501,20090503,P1,60.00,0,N1,,,20090501,D,0,0,0,0,1,20090503,1,A,,,,,,,,,\r\n'
	printf 'M4,C4,2,,,P1,25.00,0,N1,,,,D,0,0,0,0,0,,1,A,,,,,,,,,\r\n'    # dated 1 row before, not adjacent
} >"$T/ip.csv"

case_ "desynpuf-inpatient: dateless segments take their claim's dates wherever they stand; allowed adds the shares"
# 9 rows: C1's segment follows its dated row, C2's precedes it, C5's comes
# two rows before its dated row (held until then), C4's comes after a row
# of another claim; C3 has no dated row anywhere: rejected, not dropped.
# Written 8; paid 1000 + 500 + 700 + 300 + 60 + 40 - 300 + 25 = 2325.00
run ingest --profile desynpuf-inpatient -v --rejects "$T/iprej.tsv" --max-rejects 1 "$T/ip.csv"
expect_status 0
expect_eq "$(cut -f1-7 "$T/out")" "member_id	claim_id	line	from_date	thru_date	allowed	paid
M1	C1	1	2009-01-01	2009-01-05	2068.00	1000.00
M1	C1	2	2009-01-01	2009-01-05	500.00	500.00
M2	C2	1	2009-03-01	2009-03-02	715.00	700.00
M2	C2	2	2009-03-01	2009-03-02	300.00	300.00
M4	C4	1	2009-04-01	2009-04-01	-300.00	-300.00
M5	C5	1	2009-05-01	2009-05-03	60.00	60.00
M5	C5	3	2009-05-01	2009-05-03	40.00	40.00
M4	C4	2	2009-04-01	2009-04-01	25.00	25.00" "claim lines"
expect_eq "$(tail -n +2 "$T/out" | awk -F'\t' '{ v = $7; sub(/\./, "", v); s += v } END { print s }')" 232500 "paid (cents)"
expect_err "ingest: read 9, written 8, rejected 1"
expect_eq "$(tail -n +2 "$T/iprej.tsv" | cut -f1,2 | tr '\t' ' ')" "M3 C3" "rejected row"
expect_eq "$(grep -c 'dateless segment whose claim has no dated row in the input' "$T/iprej.tsv")" 1 "reason"
done_case

# carrier: two line items on one row, the rest empty
CH='DESYNPUF_ID,CLM_ID,CLM_FROM_DT,CLM_THRU_DT,ICD9_DGNS_CD_1'
for n in 1 2 3; do CH="$CH,PRF_PHYSN_NPI_$n,TAX_NUM_$n,HCPCS_CD_$n,LINE_NCH_PMT_AMT_$n,LINE_ALOWD_CHRG_AMT_$n,LINE_ICD9_DGNS_CD_$n"; done
for n in 2 3 4 5 6 7 8; do CH="$CH,ICD9_DGNS_CD_$n"; done
{
	echo "$CH"
	echo "M1,K1,20080229,20080229,401,N1,T1,99213,80,100,401,N2,T1,80053,10,12.50,250,,,,0,0,,,,,,,,"
	echo "M2,K2,20080301,20080301,401,,,,0,0,,,,,0,0,,,,,0,0,,,,,,,,"
} >"$T/car.csv"

case_ "desynpuf-carrier: each non-empty line item is a claim line"
run ingest --profile desynpuf-carrier -v "$T/car.csv"
expect_status 0
expect_eq "$(cut -f1-10 "$T/out" | tail -n +2)" "M1	K1	1	2008-02-29	2008-02-29	100.00	80.00	N1	T1	99213
M1	K1	2	2008-02-29	2008-02-29	12.50	10.00	N2	T1	80053" "lines"
expect_err "ingest: read 2, written 2, rejected 0; left out: rows with no line items: 1, empty line items (not rows): 1"
done_case

case_ "tuva-eligibility: spans become member months; status codes become enrollment types"
cat >"$T/elig.csv" <<'E'
person_id,gender,birth_date,death_date,enrollment_start_date,enrollment_end_date,state,plan,medicare_status_code,dual_status_code,hospice_flag,long_term_institutional_flag
7,female,1950-02-03,,2017-11-01,2018-01-31,Ohio,p,10,02,0,1
8,male,1980-01-01,,2018-05-01,2018-05-31,Ohio,p,21,,1,0
9,male,1980-01-01,,2018-05-01,2018-04-30,Ohio,p,20,,0,0
E
run ingest --profile tuva-eligibility --rejects "$T/erej.tsv" --max-rejects 1 "$T/elig.csv"
expect_status 0
expect_out <<'E'
member_id	month	birth_date	death_date	sex	region	plan	enrollment_type	hospice	institutional
7	2017-11	1950-02-03		F	Ohio	p	aged_dual	N	Y
7	2017-12	1950-02-03		F	Ohio	p	aged_dual	N	Y
7	2018-01	1950-02-03		F	Ohio	p	aged_dual	N	Y
8	2018-05	1980-01-01		M	Ohio	p	esrd	Y	N
E
expect_eq "$(cut -f13 "$T/erej.tsv" | tail -n 1)" "enrollment span ends before it starts" "reject reason"
done_case

case_ "--list-profiles names every built-in layout"
run ingest --list-profiles
expect_status 0
expect_eq "$(cut -d' ' -f1 "$T/out" | tr '\n' ' ')" "desynpuf-beneficiary desynpuf-inpatient desynpuf-outpatient desynpuf-carrier desynpuf-pde tuva-medical-claim cclf8 cclf1 cclf2 cclf5 tuva-pharmacy-claim tuva-eligibility " "profiles"
done_case

# ---- fixed-width input through a layout ------------------------------------
printf 'name\tstart\tlength\nCLM\t1\t5\nMBR\t6\t4\nDOS\t10\t8\nPAID\t18\t10\n' >"$T/layout.tsv"
printf 'column\tsource\tconvert\nmember_id\tMBR\t\nclaim_id\tCLM\t\nfrom_date\tDOS\tdate:YYYYMMDD\nallowed\tPAID\tamount\npaid\tPAID\tamount\n' >"$T/fwmap.tsv"
{
	printf 'C0001M001202401150000012.50\n'          # 27 bytes
	printf 'C0002M002202402010000100.00\r\n'        # CRLF: the CR is not data
	printf 'C0003M00320240301     1x.00\n'          # not an amount, bytes 18-27
	printf 'C0004M004202404\n'                      # 15 bytes: short
	printf 'C0005  M5202405010000001.01\n'          # padded ids are trimmed
} >"$T/fixed.txt"

case_ "fixed-width: a layout cuts records by bytes; bad length and bad amount are located"
# written: 12.50 + 100.00 + 1.01 = 113.51 paid; 2 rejected
run ingest -v --map "$T/fwmap.tsv" --layout "$T/layout.tsv" --rejects "$T/fwrej.tsv" --max-rejects 2 "$T/fixed.txt"
expect_status 0
expect_out <<'O'
member_id	claim_id	from_date	allowed	paid
M001	C0001	2024-01-15	12.50	12.50
M002	C0002	2024-02-01	100.00	100.00
M5	C0005	2024-05-01	1.01	1.01
O
expect_err "ingest: read 5, written 3, rejected 2"
expect_eq "$(cut -f5- "$T/fwrej.tsv" | sed "s|$T|\$T|")" "reject_reason	source	line
column 'PAID' (bytes 18-27): invalid amount '1x.00' for 'allowed'	\$T/fixed.txt	3
record length 15, the layout's is 27	\$T/fixed.txt	4" "rejects"
run ingest --map "$T/fwmap.tsv" --layout "$T/layout.tsv" "$T/fixed.txt"
expect_status 65
expect_err_has "$T/fixed.txt:3: column 'PAID' (bytes 18-27): invalid amount '1x.00' for 'allowed'"
done_case

case_ "fixed-width: a bad layout is a usage error with its place"
printf 'name\tstart\tlength\nCLM\t0\t5\n' >"$T/badlayout.tsv"
run ingest --map "$T/fwmap.tsv" --layout "$T/badlayout.tsv" "$T/fixed.txt"
expect_status 64
expect_err "ingest: $T/badlayout.tsv:2: column 'start': '0' is not a byte position (1 to 100000)"
run ingest --profile desynpuf-pde --layout "$T/layout.tsv" "$T/fixed.txt"
expect_status 64
expect_err_has "--layout goes with --map"
done_case

# ---- CMS CCLF1 and CCLF5: fixed width, claim versions netted -------------
# c5 CLAIMID LINE MBI DATE NPI HCPCS PAID ALLOWED TYPE EFFECTIVE CONTROL:
# one CCLF5 record (388 bytes) at the Information Packet's positions
c5() {
	printf '388|1:13:%s|14:10:%s|24:11:%s|46:2:71|48:10:%s|58:10:%s|78:10:%s|88:10:%s|73:2:08|76:2:11|98:5:%s|103:r15:%s|126:10:900000001|136:10:%s|150:r2:%s|152:10:%s|172:40:%s|223:r17:%s|276:7:I10\n' \
		"$1" "$2" "$3" "$4" "$4" "$4" "$4" "$6" "$7" "$5" "$9" "${10}" "${11}" "$8"
}
{
	c5 1001 1 1AA0AA0AA01 2024-01-10 1000000001 99213 80.00 100.00 0 2024-01-20 CN001
	c5 1002 1 1AA0AA0AA01 2024-01-10 1000000001 99213 96.00 120.00 2 2024-02-15 CN001
	c5 1003 1 1AA0AA0AA02 2024-02-01 1000000002 99214 120.00 150.00 0 2024-02-05 CN002
	c5 1004 1 1AA0AA0AA02 2024-02-01 1000000002 99214 120.00 150.00 1 2024-03-01 CN002
	c5 1005 1 1AA0AA0AA03 2024-03-03 1000000003 99212 40.00 50.00 0 2024-03-10 CN003
	c5 1006 1 1AA0AA0AA03 2024-03-04 1000000003 99212 44.00 55.00 0 2024-03-11 CN003
	c5 1007 2 1AA0AA0AA01 2024-01-10 1000000001 36415 8.00 10.00 0 2024-01-20 CN001
} | awk -f "$ROOT/tests/cli/fixed.awk" >"$T/cclf5.txt"

case_ "cclf5: an adjustment replaces its original, a cancellation leaves nothing, originals stay distinct"
# CN001 line 1: original 80.00 paid, adjusted later to 96.00 → 96.00 (1 superseded)
# CN002: original 120.00, cancelled later → nothing (1 superseded, 1 cancelled)
# CN003: two originals of one key, no adjustment → both (40.00, 44.00)
# CN001 line 2: 8.00. Written 4; paid 96 + 40 + 44 + 8 = 188.00; 7 = 4 + 2 + 1
run ingest -v --profile cclf5 "$T/cclf5.txt"
expect_status 0
expect_eq "$(tail -n +2 "$T/out" | cut -f2,3,7 | tr '\t\n' ': ')" "CN001:1:96.00 CN003:1:40.00 CN003:1:44.00 CN001:2:8.00 " "claim lines"
expect_eq "$(tail -n +2 "$T/out" | awk -F'\t' '{ v = $7; sub(/\./, "", v); s += v } END { print s }')" 18800 "paid (cents)"
expect_err "ingest: read 7, written 4, rejected 0; left out: claim versions superseded by a later one: 2, claim lines cancelled: 1"
done_case

case_ "cclf5: a short record, a bad adjustment type and a bad amount are located"
{ head -n 1 "$T/cclf5.txt"; head -n 1 "$T/cclf5.txt" | cut -c1-200
  head -n 1 "$T/cclf5.txt" | sed 's/^\(.\{149\}\) 0/\1 7/'
  head -n 1 "$T/cclf5.txt" | sed 's/^\(.\{112\}\)80\.00/\18x.00/'; } >"$T/bad5.txt"
run ingest --profile cclf5 --rejects "$T/rej5.tsv" --max-rejects 3 -v "$T/bad5.txt"
expect_status 0
expect_err "ingest: read 4, written 1, rejected 3"
expect_eq "$(tail -n +2 "$T/rej5.tsv" | awk -F'\t' '{ print $(NF - 2) }')" "record length 200, the layout's is 388
column 'CLM_ADJSMT_TYPE_CD': adjustment type '7' is not 0, 1 or 2
column 'CLM_LINE_CVRD_PD_AMT' (bytes 103-117): invalid amount '8x.00' for 'paid'" "reasons"
done_case

case_ "cclf1: Part A headers net by billing provider, dates and beneficiary"
# c1 CLAIMID MBI FROM THRU TYPE PAID ADJUSTMENT EFFECTIVE BILLING-CCN CONTROL
c1() {
	printf '437|1:13:%s|14:6:%s|20:11:%s|42:2:%s|44:10:%s|54:10:%s|66:7:I509|82:r17:%s|104:4:0291|129:10:1000000009|149:r2:%s|151:10:%s|293:20:%s|353:40:%s\n' \
		"$1" "$9" "$2" "$5" "$3" "$4" "$6" "$7" "$8" "$9" "${10}"
}
# stay A: original 9000.00, adjusted to 9500.00 (same provider, dates, MBI;
# a new control number): 9500.00. Stay B: original 7000.00, cancelled: 0.
# Outpatient C: 300.00. Written 2, paid 9800.00; 5 = 2 + 2 superseded + 1 cancelled
{
	c1 2001 1BB0BB0BB01 2024-01-03 2024-01-08 60 9000.00 0 2024-01-20 050001 CA1
	c1 2002 1BB0BB0BB01 2024-01-03 2024-01-08 60 9500.00 2 2024-03-02 050001 CA2
	c1 2003 1BB0BB0BB02 2024-02-11 2024-02-14 60 7000.00 0 2024-02-20 050002 CB1
	c1 2004 1BB0BB0BB02 2024-02-11 2024-02-14 60 7000.00 1 2024-04-01 050002 CB2
	c1 2005 1BB0BB0BB03 2024-03-05 2024-03-05 40 300.00 0 2024-03-09 050003 CC1
} | awk -f "$ROOT/tests/cli/fixed.awk" >"$T/cclf1.txt"
run ingest -v --profile cclf1 "$T/cclf1.txt"
expect_status 0
expect_eq "$(tail -n +2 "$T/out" | cut -f1,2,4,7 | tr '\t\n' ': ')" "1BB0BB0BB01:CA2:2024-01-03:9500.00 1BB0BB0BB03:CC1:2024-03-05:300.00 " "claims"
expect_eq "$(tail -n +2 "$T/out" | awk -F'\t' '{ print $NF == "I509" }' | sort -u)" 1 "dx1"
expect_err "ingest: read 5, written 2, rejected 0; left out: claim versions superseded by a later one: 2, claim lines cancelled: 1"
done_case

case_ "cclf2: revenue-center lines joined to their final header; the header's rest is line 0"
# c2 CLAIMID LINE MBI DATE REVENUE HCPCS PAID: one CCLF2 record (199 bytes)
c2() {
	printf '199|1:13:%s|14:10:%s|24:11:%s|46:2:60|48:10:%s|58:10:%s|68:4:%s|82:5:%s|98:6:050001|104:10:%s|114:10:%s|148:r17:%s\n' \
		"$1" "$2" "$3" "$4" "$4" "$5" "$6" "$4" "$4" "$7"
}
# the headers: cclf1's five (final: 2002, stay A 9500.00, and 2005,
# outpatient C 300.00) and 2006, a SNF stay of 1200.00 with no lines
{ cat "$T/cclf1.txt"
  c1 2006 1BB0BB0BB04 2024-04-01 2024-04-20 20 1200.00 0 2024-05-01 050004 CD1 |
  awk -f "$ROOT/tests/cli/fixed.awk"; } >"$T/heads.txt"
# lines: stay A's final version 2002 has two lines paid 0.00 (the DRG pays
# on the header): its line 0 is 9500.00 - 0 = 9500.00. Outpatient 2005 has
# lines of 180.00 and 100.00: line 0 is 300.00 - 280.00 = 20.00. SNF 2006:
# line 0 is the whole 1200.00. The lines of 2001 (superseded) and 2004 (a
# cancellation) are left out; 9999 has no header: rejected.
# Paid: 0 + 0 + 180 + 100 + 9500 + 20 + 1200 = 11000.00, cclf1's 9800.00
# plus the SNF stay. Read 6 headers + 7 lines = 13; written 7; rejected 1;
# left out 2 superseded + 1 cancelled headers, 2 lines of them.
{
	c2 2001 0000000001 1BB0BB0BB01 2024-01-03 0120 "" 0.00
	c2 2002 0000000001 1BB0BB0BB01 2024-01-03 0120 "" 0.00
	c2 2002 0000000002 1BB0BB0BB01 2024-01-05 0250 "" 0.00
	c2 2004 0000000001 1BB0BB0BB02 2024-02-11 0120 "" 0.00
	c2 2005 0000000001 1BB0BB0BB03 2024-03-05 0450 99283 180.00
	c2 2005 0000000002 1BB0BB0BB03 2024-03-05 0300 80053 100.00
	c2 9999 0000000001 1BB0BB0BB09 2024-03-05 0300 80053 55.00
} | awk -f "$ROOT/tests/cli/fixed.awk" >"$T/cclf2.txt"
run ingest -v --profile cclf2 --headers "$T/heads.txt" --rejects "$T/rej2.tsv" --max-rejects 1 "$T/cclf2.txt"
expect_status 0
expect_out <<'O'
member_id	claim_id	line	from_date	thru_date	allowed	paid	provider_id	facility_id	drg	category	dx1	revenue_code	hcpcs
1BB0BB0BB01	CA2	0000000001	2024-01-03	2024-01-03	0.00	0.00	1000000009	050001	0291	inpatient	I509	0120	
1BB0BB0BB01	CA2	0000000002	2024-01-05	2024-01-05	0.00	0.00	1000000009	050001	0291	inpatient	I509	0250	
1BB0BB0BB03	CC1	0000000001	2024-03-05	2024-03-05	180.00	180.00	1000000009	050003	0291	outpatient	I509	0450	99283
1BB0BB0BB03	CC1	0000000002	2024-03-05	2024-03-05	100.00	100.00	1000000009	050003	0291	outpatient	I509	0300	80053
1BB0BB0BB01	CA2	0	2024-01-03	2024-01-08	9500.00	9500.00	1000000009	050001	0291	inpatient	I509		
1BB0BB0BB03	CC1	0	2024-03-05	2024-03-05	20.00	20.00	1000000009	050003	0291	outpatient	I509		
1BB0BB0BB04	CD1	0	2024-04-01	2024-04-20	1200.00	1200.00	1000000009	050004	0291	snf	I509		
O
expect_err "ingest: read 13, written 7, rejected 1; left out: claim versions superseded by a later one: 2, claim lines cancelled: 1, lines of superseded or cancelled claim versions: 2"
expect_eq "$(tail -n +2 "$T/rej2.tsv" | awk -F'\t' '{ print $(NF - 2) }')" "column 'CUR_CLM_UNIQ_ID': no accepted header in $T/heads.txt has claim '9999'" "reason"
# the same dollars as cclf1 reads from the headers alone
run ingest --profile cclf1 "$T/heads.txt"
expect_eq "$(tail -n +2 "$T/out" | awk -F'\t' '{ v = $7; sub(/\./, "", v); s += v } END { print s }')" 1100000 "cclf1 paid (cents)"
done_case

case_ "cclf2: --headers is required, and only with it; a short line is located"
run ingest --profile cclf2 "$T/cclf2.txt"
expect_status 64
expect_err_has "--headers FILE: profile 'cclf2' joins each line to its claim's header (CCLF1)"
run ingest --profile cclf5 --headers "$T/heads.txt" "$T/cclf5.txt"
expect_status 64
expect_err_has "--headers goes with a line profile (cclf2)"
head -n 2 "$T/cclf2.txt" | sed '2s/.\{9\}$//' >"$T/short2.txt"
run ingest --profile cclf2 --headers "$T/heads.txt" "$T/short2.txt"
expect_status 65
expect_err_has "$T/short2.txt:2: record length 190, the layout's is 199"
done_case

case_ "cclf8: a month's snapshot of the beneficiaries, one member month each"
# c8 MBI STATE COUNTY DOB SEX STATUS DUAL DEATH: one CCLF8 record (549 bytes)
c8() {
	printf '549|1:11:%s|23:2:%s|25:3:%s|33:10:%s|43:1:%s|48:2:%s|50:2:%s|52:10:%s|541:5:02139\n' "$@"
}
# aged non-dual (10, NA), aged dual (10, 02), disabled (20), ESRD (31)
{
	c8 1CC0CC0CC01 25 017 1950-04-02 1 10 NA ""
	c8 1CC0CC0CC02 25 017 1948-11-30 2 10 02 ""
	c8 1CC0CC0CC03 36 061 1970-01-15 2 20 NA ""
	c8 1CC0CC0CC04 36 061 1960-06-01 1 31 NA 2024-03-09
} | awk -f "$ROOT/tests/cli/fixed.awk" >"$T/cclf8.txt"
run ingest -v --profile cclf8 --month 2024-03 "$T/cclf8.txt"
expect_status 0
expect_out <<'O'
member_id	month	birth_date	death_date	sex	region	county	enrollment_type
1CC0CC0CC01	2024-03	1950-04-02		M	25	017	aged_nondual
1CC0CC0CC02	2024-03	1948-11-30		F	25	017	aged_dual
1CC0CC0CC03	2024-03	1970-01-15		F	36	061	disabled
1CC0CC0CC04	2024-03	1960-06-01	2024-03-09	M	36	061	esrd
O
expect_err "ingest: read 4, written 4, rejected 0"
run ingest --profile cclf8 "$T/cclf8.txt"
expect_status 64
expect_err_has "--month YYYY-MM: profile 'cclf8' is one month's snapshot"
run ingest --profile cclf8 --month 2024-3 "$T/cclf8.txt"
expect_status 64
expect_err_has "--month: '2024-3' is not a month (YYYY-MM)"
done_case
