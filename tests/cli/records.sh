# Memory does not follow line length: a record longer than --max-record
# (default 1 MiB) stops the tool with status 65 and its line, and a CSV
# quote that is never closed cannot swallow the rest of a file.
. "$(dirname "$0")/../lib.sh"

printf 'org_id\ttarget_pmpm\nX\t1.00\n' >"$T/target.tsv"
# line 3 holds a 64 MiB member id (2^26 bytes), gzip-compressed to ~300 KB
{ printf 'member_id\tperiod\torg_id\tmember_months\tcost\nA\tmeasure\tX\t12\t1.00\n'
  head -c 67108864 /dev/zero | tr '\0' 'B'; printf '\tmeasure\tX\t12\t1.00\n'; } | gzip -1 >"$T/long.tsv.gz"

case_ "a 64 MiB line: exit 65 with its line, in little memory"
run /usr/bin/time -o "$T/rss" -f '%M' settle --total --target "$T/target.tsv" "$T/long.tsv.gz"
expect_status 65
expect_eq "$(head -n 1 "$T/err")" "settle: $T/long.tsv.gz:3: a record longer than 1048576 bytes (--max-record)" "message"
# the reader's buffer stops growing at about 2 MiB: far below 64 MiB
rss=$(tail -n 1 "$T/rss")
[ "$rss" -lt 32768 ] || bad "peak RSS $rss KiB, expected under 32 MiB"
done_case

case_ "--max-record raised: the same file is read"
# 64 MiB + the rest of the line < 2^27 = 134217728
run settle --total --max-record 134217728 --target "$T/target.tsv" "$T/long.tsv.gz"
expect_status 0
done_case

case_ "a CSV quote never closed cannot swallow the file"
# line 2 opens a quote that no later line closes; 40,000 lines of 50 bytes
# follow (2 MB): the record would grow past 1 MiB, so the tool stops at the
# line the record began on
printf 'column\tsource\tconvert\nmember_id\tMBR\t\nclaim_id\tCLM\t\nfrom_date\tDOS\tdate:YYYY-MM-DD\nallowed\tA\tamount\npaid\tA\tamount\n' >"$T/map.tsv"
{ printf 'MBR,CLM,DOS,A\nM1,"1,2024-01-05,12.50\n'
  awk 'BEGIN { for (i = 0; i < 40000; i++) printf "M%08d,%08d,2024-01-05,12.50,xxxxxxxxxx\n", i, i }'; } >"$T/open.csv"
run ingest --map "$T/map.tsv" "$T/open.csv"
expect_status 65
expect_eq "$(head -n 1 "$T/err")" "ingest: $T/open.csv:2: a record longer than 1048576 bytes (--max-record; a quote that is never closed?)" "message"
done_case

case_ "a claims profile: a quote open at the end of its line rejects that line only"
# desynpuf-pde, CSV; line 3 opens a quote it never closes. Lines 2, 4, 5
# are claims: 4 records read (lines 2-5), 1 rejected, 3 written,
# and the rejects file holds line 3 with its reason.
{ printf 'DESYNPUF_ID,PDE_ID,SRVC_DT,PROD_SRVC_ID,QTY_DSPNSD_NUM,DAYS_SUPLY_NUM,PTNT_PAY_AMT,TOT_RX_CST_AMT\n'
  printf 'A1,P1,20090105,00001,30,30,10.00,50.00\n'
  printf 'A2,"P2,20090106,00002,30,30,10.00,60.00\n'
  printf 'A3,P3,20090107,00003,30,30,10.00,70.00\n'
  printf 'A4,P4,20090108,00004,30,30,5.00,80.00\n'; } >"$T/pde.csv"
run ingest --profile desynpuf-pde --rejects "$T/rej.tsv" --max-rejects 5 -v "$T/pde.csv"
expect_status 0
expect_eq "$(tail -n +2 "$T/out" | cut -f1 | tr '\n' ' ')" "A1 A3 A4 " "members written"
expect_err_has "read 4, written 3, rejected 1"
expect_eq "$(grep -c 'a quote that is not closed on its line' "$T/rej.tsv")" 1 "reason in the rejects"
done_case

case_ "a NUL byte in a stream field is rejected with its place (65)"
printf 'member_id\tperiod\torg_id\tmember_months\tcost\nA\tmeasure\tX\t12\t1.00\nB\000C\tmeasure\tX\t12\t2.00\n' >"$T/nul.tsv"
run settle --total --target "$T/target.tsv" "$T/nul.tsv"
expect_status 65
expect_err_has "$T/nul.tsv:3: a NUL byte in the record (vbr(7): text fields hold no NUL)"
done_case

case_ "a NUL byte in a CSV field is rejected with its place (65)"
printf 'DESYNPUF_ID,PDE_ID,SRVC_DT,PROD_SRVC_ID,QTY_DSPNSD_NUM,DAYS_SUPLY_NUM,PTNT_PAY_AMT,TOT_RX_CST_AMT\nA\0001,P1,20090105,00001,30,30,10.00,50.00\n' >"$T/nul.csv"
run ingest --profile desynpuf-pde "$T/nul.csv"
expect_status 65
expect_err_has "$T/nul.csv:2"
expect_err_has "a NUL byte in the record"
done_case
