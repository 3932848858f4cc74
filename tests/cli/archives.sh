# Archive members a stranger's bundle may hold: a name given twice (which
# one is meant is ambiguous: 65), a symbolic link (never followed: 65), a
# truncated compressed archive (an I/O error, 74, like a truncated gzip).
. "$(dirname "$0")/../lib.sh"

printf 'column\tsource\tconvert\nmember_id\tMBR\t\nclaim_id\tCLM\t\nfrom_date\tDOS\tdate:YYYY-MM-DD\nallowed\tA\tamount\npaid\tA\tamount\n' >"$T/map.tsv"
cd "$T" || exit 2

case_ "two members of one name: exit 65, ambiguous"
printf 'MBR,CLM,DOS,A\nM1,1,2024-01-05,12.50\n' >c.csv
tar cf two.tar c.csv
printf 'MBR,CLM,DOS,A\nM2,2,2024-01-05,1.00\n' >c.csv
tar rf two.tar c.csv            # appended: the tar now holds c.csv twice
run ingest --map map.tsv 'two.tar#c.csv'
expect_status 65
expect_err "ingest: two.tar#c.csv: the archive has two members named 'c.csv': which one is meant is ambiguous"
done_case

case_ "a symbolic link member: exit 65, not followed"
ln -s c.csv link.csv
tar cf link.tar link.csv c.csv
run ingest --map map.tsv 'link.tar#link.csv'
expect_status 65
expect_err "ingest: link.tar#link.csv: member 'link.csv' is a link to 'c.csv', not a file; vbr reads regular members only"
done_case

case_ "a truncated .tgz: exit 74, like a truncated gzip"
tar czf whole.tgz c.csv map.tsv
head -c 60 whole.tgz >cut.tgz
run ingest --map map.tsv 'cut.tgz#c.csv'
expect_status 74
expect_err "ingest: cut.tgz#c.csv: cannot read archive: truncated gzip input"
done_case
