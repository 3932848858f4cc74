# Broken pipes: a tool whose standard output's reader goes away (| head)
# stops quietly with status 0, as vbr(7) says; any other output that breaks
# (--rejects, --draws into a pipe whose reader left) loses records, so it
# is a write error, status 74, with a message.
. "$(dirname "$0")/../lib.sh"

# 200,000 good claims of a payer layout: ingest writes ~10 MB, far more
# than a pipe and the writer's 256 KiB buffer hold
printf 'column\tsource\tconvert\nmember_id\tMBR\t\nclaim_id\tCLM\t\nfrom_date\tDOS\tdate:YYYY-MM-DD\nallowed\tA\tamount\npaid\tA\tamount\n' >"$T/map.tsv"
awk 'BEGIN { print "MBR,CLM,DOS,A"; for (i = 1; i <= 200000; i++) printf "M%d,%d,2024-01-05,12.50\n", i, i }' >"$T/good.csv"
# the same rows with a bad amount each: every one goes to --rejects
awk 'BEGIN { print "MBR,CLM,DOS,A"; for (i = 1; i <= 200000; i++) printf "M%d,%d,2024-01-05,12,50\n", i, i }' >"$T/bad.csv"

case_ "stdout's reader goes away: exit 0, nothing on stderr"
# status of ingest itself, not of the pipeline
run sh -c '{ ingest --map "$1" "$2"; echo "ingest $?" >&2; } | head -n 1' sh "$T/map.tsv" "$T/good.csv"
expect_status 0
expect_out <<'E'
member_id	claim_id	from_date	allowed	paid
E
expect_err "ingest 0"
done_case

case_ "--rejects into a pipe whose reader went away: exit 74, a message"
mkfifo "$T/fifo"
(head -c 1 <"$T/fifo" >/dev/null) &
run ingest --map "$T/map.tsv" --rejects "$T/fifo" --max-rejects 1000000 "$T/bad.csv"
wait
expect_status 74
expect_err "ingest: $T/fifo: write error: Broken pipe"
done_case

case_ "--draws into a pipe whose reader went away: exit 74, a message"
# 200,000 iterations of one org: 200,000 draw lines, ~10 MB
printf 'member_id\tperiod\torg_id\tmember_months\tcost\nA\tmeasure\tX\t12\t1000.00\nB\tmeasure\tX\t12\t2000.00\n' >"$T/costs.tsv"
printf 'org_id\ttarget_pmpm\nX\t150.00\n' >"$T/target.tsv"
mkfifo "$T/draws"
(head -c 1 <"$T/draws" >/dev/null) &
run simulate --total --target "$T/target.tsv" --iterations 200000 --draws "$T/draws" "$T/costs.tsv"
wait
expect_status 74
expect_err "simulate: $T/draws: write error: Broken pipe"
done_case
