#!/bin/sh
# run.sh — `make bench`: generate the 300,000-member synthetic extract and
# put its claims in the order payers ship them (by paid date, then claim and
# line: the primary files, plain and gzip), keeping synth's member-sorted
# claims beside them; then time, side by side in one run, the lib-based
# reader (bench/sumpaid.c: count records, sum `paid` exactly) against cat,
# zcat, mawk and DuckDB doing the same sum; every claim-reading tool on both
# orders, with its DuckDB SQL on the same files; the nightly reconciliation
# on both orders against the whole reconciliation as DuckDB SQL; simulate.
# Medians of RUNS runs (hyperfine); each ratio the issue bounds also from
# RUNS alternating pairs of runs (the median of the pairs' ratios). BIG=1
# adds the nightly on 3,000,000 members in paid-date order (BIG_RUNS runs,
# each beside a 300,000-member one), with each stage's time and peak
# memory.
# Writes bench/RESULTS.md. Needs hyperfine, mawk, node + npm (DuckDB).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
MEMBERS=${MEMBERS:-300000}
BIG=${BIG:-}
BIG_RUNS=${BIG_RUNS:-5}
D=${BENCH_DATA:-bench/data}
F=$D/paid/claims.tsv            # primary: paid-date order
G=$D/claims.tsv.gz
MF=$D/extract/claims.tsv        # synth's member order
MG=$D/claims-member.tsv.gz
SUMPAID=$BUILD/bench/sumpaid
export LC_ALL=C

for tool in hyperfine mawk node npm gzip /usr/bin/time; do
	command -v $tool >/dev/null || { echo "bench: $tool is missing (make deps; node from the machine)"; exit 1; }
done
[ -d bench/node_modules/@duckdb/node-api ] ||
	(cd bench && npm install --no-audit --no-fund >/dev/null)

# Claims as payers ship them: by paid date, then claim and line (GNU sort,
# bytewise, so the order is the same on every machine).
paid_order() {  # IN OUT
	{ head -n 1 "$1"; tail -n +2 "$1" | sort -t "$(printf '\t')" -k6,6 -k2,2 -k3,3n -S 25% ; } >"$2.tmp"
	mv "$2.tmp" "$2"
}

# the extract is deterministic: regenerate only when absent or of another size
stamp="$MEMBERS members, seed 1, 16 lines/member-year, geometric payment lag, paid-date order"
if [ ! -f "$F" ] || [ "$(cat $D/stamp 2>/dev/null)" != "$stamp" ]; then
	rm -rf $D && mkdir -p $D/paid
	$BUILD/bin/synth --members "$MEMBERS" --lines-per-year 16 --seed 1 -o $D/extract
	paid_order "$MF" "$F"
	gzip -6 -c "$F" >"$G"
	gzip -6 -c "$MF" >"$MG"
	echo "$stamp" >$D/stamp
fi
lines=$(($(wc -l <"$F") - 1))
# how scattered: the share of claim lines whose member is the line before's
repeats() { awk -F'\t' 'NR > 2 && $1 == p { n++ } { p = $1 } END { printf "%.1f", 100 * n / (NR - 1) }' "$1"; }

# every peer must agree on the count and the exact sum
sum_ours=$($SUMPAID "$F")
sum_ours_gz=$($SUMPAID "$G")
sum_mawk=$(mawk -F'\t' -f bench/sum.awk "$F")
sum_duck=$(node bench/duckdb_sum.mjs "$F" 1)
for other in "$sum_ours_gz" "$sum_mawk" "$sum_duck"; do
	[ "$other" = "$sum_ours" ] || { echo "bench: peers disagree: '$sum_ours' vs '$other'"; exit 1; }
done

MAWK="mawk -F'\t' -f bench/sum.awk"
R=$D/extract/roster.tsv
TERMS=$D/extract/terms.tsv
ATTR="$BUILD/bin/attribute --roster $R --terms $TERMS"

# attribute and the DuckDB SQL must agree: attributed rows, sum of basis
attr_ours=$($ATTR "$F" | awk -F'\t' 'NR > 1 { n++; gsub(/\./, "", $5); s += $5 }
	END { printf "%d\t%d.%02d\n", n, s / 100, s % 100 }')
attr_duck=$(node bench/duckdb_attribute.mjs "$F" "$R" 1)
[ "$attr_ours" = "$attr_duck" ] || { echo "bench: attribute and DuckDB disagree: '$attr_ours' vs '$attr_duck'"; exit 1; }
# order does not matter: every claim-reading tool writes the same bytes on
# both orders (the diff is empty, or the bench stops)
same_bytes() {  # WHAT, then the command; FILE is replaced by each order's claims
	what=$1; shift
	for order in paid member; do
		file=$F; [ $order = member ] && file=$MF
		"$@" $file >$D/order.$order 2>/dev/null
	done
	cmp -s $D/order.paid $D/order.member || { echo "bench: $what differs between orders"; diff $D/order.paid $D/order.member | head; exit 1; }
	echo "$what: $(wc -l <$D/order.paid) lines, sha256 $(sha256sum <$D/order.paid | cut -c1-16)…" >>$D/order.txt
}
: >$D/order.txt
same_bytes attribute $ATTR

# a 300,000-member cohort: every member in each period it has months, in one
# of four orgs by the last digit of its number, through cohort-select
awk -F'\t' 'NR == 1 { print "member_id\tperiod\torg_id"; next }
	{ p = substr($2, 1, 4) == "2023" ? "base" : "measure"; k = $1 "\t" p
	  if (!(k in seen)) { seen[k] = 1; print k "\tORG0" (substr($1, length($1)) % 4 + 1) } }' \
	$D/extract/eligibility.tsv >$D/all-attribution.tsv
$BUILD/bin/cohort-select --eligibility $D/extract/eligibility.tsv --terms $TERMS \
	$D/all-attribution.tsv >$D/cohort.tsv
CAP="$BUILD/bin/cap-large-claims --cohort $D/cohort.tsv --terms $TERMS"
$CAP "$F" >$D/costs.tsv
cap_ours=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ n++; v = $c["cost"]; gsub(/\./, "", v); s += v }
	END { printf "%d\t%d.%02d\n", n, s / 100, s % 100 }' $D/costs.tsv)
cap_duck=$(node bench/duckdb_cap.mjs "$F" $D/cohort.tsv 1)
[ "$cap_ours" = "$cap_duck" ] || { echo "bench: cap-large-claims and DuckDB disagree: '$cap_ours' vs '$cap_duck'"; exit 1; }
printf 'dx\nI509\nE119\n' >$D/exclude-dx.tsv
COHORT_DX="$BUILD/bin/cohort-select --eligibility $D/extract/eligibility.tsv --terms $TERMS --exclude-dx $D/exclude-dx.tsv $D/all-attribution.tsv --claims"
same_bytes cap-large-claims $CAP
same_bytes "cap-large-claims --sum-only" $BUILD/bin/cap-large-claims --sum-only --terms $TERMS
cp $D/order.paid $D/sum-only.tsv
# attribute --claim-sums: its claim sums (written to descriptor 3, its
# attribution dropped) are --sum-only's bytes, on both orders
attr_sums() { $ATTR --claim-sums /dev/fd/3 "$1" 3>&1 >/dev/null; }
same_bytes "attribute --claim-sums (the claim sums)" attr_sums
cmp -s $D/order.paid $D/sum-only.tsv || { echo "bench: attribute --claim-sums and cap-large-claims --sum-only differ"; exit 1; }
echo "attribute --claim-sums: the claim sums are cap-large-claims --sum-only's bytes (cmp)" >>$D/order.txt
same_bytes "cohort-select --exclude-dx" $COHORT_DX
cohort_rows=$(($(wc -l <$D/cohort.tsv) - 1))
cohort_bytes=$(wc -c <$D/cohort.tsv)

# the nightly reconciliation (pipelines/reconcile.mk, make -j2) over the
# gzipped extract, and the same reconciliation as DuckDB SQL
# (bench/sql/*.sql): they must agree to the cent on every org's target PMPM,
# actual total and net settlement
N=$D/night
NM=$D/night-member
mkdir -p $N $NM
for f in eligibility roster factors quality; do
	[ -f $N/$f.tsv.gz ] || gzip -6n -c $D/extract/$f.tsv >$N/$f.tsv.gz
	ln -sf ../night/$f.tsv.gz $NM/$f.tsv.gz
done
ln -sf ../claims.tsv.gz $N/claims.tsv.gz
ln -sf ../claims-member.tsv.gz $NM/claims.tsv.gz
NIGHTLY="make -s -j2 -f pipelines/reconcile.mk BIN=$BUILD/bin EXTRACT=$N TERMS=$TERMS OUT=$D/nightly"
NIGHTLY_M="make -s -j2 -f pipelines/reconcile.mk BIN=$BUILD/bin EXTRACT=$NM TERMS=$TERMS OUT=$D/nightly-member"
$NIGHTLY >/dev/null
$NIGHTLY_M >/dev/null
# the published outputs of the two orders: the same bytes, except the
# MANIFEST and run log (times, input hashes) and what records them
for f in $(cd $D/nightly && ls | grep -v -e MANIFEST -e run.log -e SHA256SUMS -e inputs.sha256 -e '^statement' -e '^contract$'); do
	cmp -s $D/nightly/$f $D/nightly-member/$f || { echo "bench: nightly $f differs between orders"; exit 1; }
done
echo "nightly: $(cd $D/nightly && ls | grep -v -e MANIFEST -e run.log -e SHA256SUMS -e inputs.sha256 -e '^statement' -e '^contract$' | wc -l) outputs identical" >>$D/order.txt
nightly_ours=$(awk -F'\t' 'NR > 1 && $1 != "*" { t = $4; a = $7; n = $21; gsub(/\./, "", t); gsub(/\./, "", a)
	gsub(/\./, "", n); printf "%s\t%.0f\t%.0f\t%.0f\n", $1, t, a, n }' $D/nightly/settlement.tsv)
nightly_duck=$(node bench/duckdb_reconcile.mjs $N 0)
[ "$nightly_ours" = "$nightly_duck" ] || { echo "bench: reconcile.mk and DuckDB disagree: '$nightly_ours' vs '$nightly_duck'"; exit 1; }
SIM="$BUILD/bin/simulate --terms $TERMS --target $D/nightly/target.tsv --quality $N/quality.tsv.gz --iterations 1000 $D/costs.tsv"
sim_members=$(awk -F'\t' 'NR > 1 && $2 == "measure"' $D/costs.tsv | wc -l)
# complete: the lag triangle and chain ladder over every claim, against the
# one-pass sum of cap-large-claims --sum-only on the same file; and the
# estimator against synth's known truth (synth(1): a month's claims are
# paid within d months with probability 1 - 0.35^(d+1)), paid through
# mid-2024, every month with 3 or more months of development
COMPLETE="$BUILD/bin/complete --terms $TERMS --paid-through 2024-06-30 --set completion_window=6"
SUMONLY="$BUILD/bin/cap-large-claims --sum-only --terms $TERMS"
same_bytes complete $COMPLETE
truth=$($COMPLETE "$F" 2>/dev/null | awk -F'\t' 'NR > 1 && $2 != "*" && $4 >= 3 { n++; t = 1 - 0.35 ^ ($4 + 1); r = ($5 - t) / t; if (r < 0) r = -r; if (r > w) w = r; if (r > 0.02) bad++ }
	END { printf "%d %d %.2f", n, bad, 100 * w }')
truth_months=${truth%% *} truth_worst=${truth##* } truth_bad=${truth#* }
truth_bad=${truth_bad%% *}

# peak resident memory (KiB): attribute on the full extract, and on its
# first member's lines only (the fixed part: code, buffers, tables)
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
head -n 2 "$F" >$D/one.tsv
gzip -c $D/one.tsv >$D/one.tsv.gz
rss_fixed=$(rss $ATTR $D/one.tsv)
rss_fixed_gz=$(rss $ATTR $D/one.tsv.gz)
rss_plain=$(rss $ATTR "$F")
rss_gzip=$(rss $ATTR "$G")
members=$(tail -n +2 "$MF" | cut -f1 | uniq | wc -l)
rss_cap_plain=$(rss $CAP "$F")
rss_cap_gzip=$(rss $CAP "$G")
# wall COMMAND...: the seconds COMMAND took (its output discarded)
wall() {
	t0=$(date +%s.%N)
	"$@" >/dev/null
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}
# median COLUMN FILE: the median of a column of numbers
median() { sort -k"$1","$1"n "$2" | awk -v c="$1" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'; }
hyperfine --style basic --runs "$RUNS" --warmup 1 --export-csv $D/times.csv \
	-n "cat plain" "cat $F >/dev/null" \
	-n "zcat gzip" "zcat $G >/dev/null" \
	-n "zcat gzip (member order)" "zcat $MG >/dev/null" \
	-n "vbr plain" "$SUMPAID $F" \
	-n "vbr gzip" "$SUMPAID $G" \
	-n "mawk plain" "$MAWK $F" \
	-n "zcat+mawk gzip" "zcat $G | $MAWK" \
	-n "duckdb 1 thread plain" "node bench/duckdb_sum.mjs $F 1" \
	-n "duckdb default threads plain" "node bench/duckdb_sum.mjs $F 0" \
	-n "duckdb 1 thread gzip" "node bench/duckdb_sum.mjs $G 1" \
	-n "attribute plain" "$ATTR $F >/dev/null" \
	-n "attribute plain (member order)" "$ATTR $MF >/dev/null" \
	-n "attribute gzip" "$ATTR $G >/dev/null" \
	-n "attribute gzip (member order)" "$ATTR $MG >/dev/null" \
	-n "attribute --claim-sums plain" "$ATTR --claim-sums $D/sums.tsv $F >/dev/null" \
	-n "attribute --claim-sums plain (member order)" "$ATTR --claim-sums $D/sums.tsv $MF >/dev/null" \
	-n "attribute --claim-sums gzip" "$ATTR --claim-sums $D/sums.tsv $G >/dev/null" \
	-n "attribute --claim-sums gzip (member order)" "$ATTR --claim-sums $D/sums.tsv $MG >/dev/null" \
	-n "duckdb attribution SQL 1 thread plain" "node bench/duckdb_attribute.mjs $F $R 1" \
	-n "duckdb attribution SQL 1 thread plain (member order)" "node bench/duckdb_attribute.mjs $MF $R 1" \
	-n "duckdb attribution SQL default threads plain" "node bench/duckdb_attribute.mjs $F $R 0" \
	-n "cap-large-claims plain" "$CAP $F >/dev/null" \
	-n "cap-large-claims plain (member order)" "$CAP $MF >/dev/null" \
	-n "cap-large-claims gzip" "$CAP $G >/dev/null" \
	-n "cap-large-claims gzip (member order)" "$CAP $MG >/dev/null" \
	-n "duckdb cap SQL 1 thread plain" "node bench/duckdb_cap.mjs $F $D/cohort.tsv 1" \
	-n "duckdb cap SQL 1 thread plain (member order)" "node bench/duckdb_cap.mjs $MF $D/cohort.tsv 1" \
	-n "duckdb cap SQL default threads plain" "node bench/duckdb_cap.mjs $F $D/cohort.tsv 0" \
	-n "cap-large-claims --sum-only plain" "$SUMONLY $F >/dev/null" \
	-n "cap-large-claims --sum-only plain (member order)" "$SUMONLY $MF >/dev/null" \
	-n "cohort-select --exclude-dx plain" "$COHORT_DX $F >/dev/null" \
	-n "cohort-select --exclude-dx plain (member order)" "$COHORT_DX $MF >/dev/null" \
	-n "complete plain" "$COMPLETE $F >/dev/null" \
	-n "complete plain (member order)" "$COMPLETE $MF >/dev/null" \
	-n "mix-factor" "$BUILD/bin/mix-factor --factors $D/extract/factors.tsv $D/costs.tsv >/dev/null" \
	-n "vbr plain cost rows" "$SUMPAID $D/costs.tsv" \
	-n "nightly reconcile.mk -j2 gzip" "$NIGHTLY" \
	-n "nightly reconcile.mk -j2 gzip (member order)" "$NIGHTLY_M" \
	-n "duckdb reconcile SQL default threads gzip" "node bench/duckdb_reconcile.mjs $N 0" \
	-n "duckdb reconcile SQL default threads gzip (member order)" "node bench/duckdb_reconcile.mjs $NM 0" \
	-n "duckdb reconcile SQL 1 thread gzip" "node bench/duckdb_reconcile.mjs $N 1" \
	-n "simulate 1000 iterations" "$SIM >/dev/null" \
	>$D/hyperfine.log

# The ratios the issue bounds, measured as the issue measured them: RUNS
# pairs, the two commands of a pair run one right after the other, and the
# median of the pairs' ratios. This shared machine's speed drifts from
# minute to minute, and hyperfine's runs of one command, then of the
# other, can fall in different minutes: a ratio of the table's medians
# measures the drift as much as the tools.
# pair_ratios NAME CMD_A CMD_B: NAME's pairs appended to $D/pairs.tsv
# (name, seconds a, seconds b, a ÷ b); paired NAME: the median ratio
: >$D/pairs.tsv
pair_ratios() {  # (sh has no locals: its names are its own)
	for pair_run in $(seq 1 "$RUNS"); do
		pair_a=$(wall sh -c "$2") pair_b=$(wall sh -c "$3")
		printf '%s\t%s\t%s\t%s\n' "$1" "$pair_a" "$pair_b" \
			"$(awk -v a="$pair_a" -v b="$pair_b" 'BEGIN { printf "%.3f", a / b }')" >>$D/pairs.tsv
	done
}
paired() { awk -F'\t' -v n="$1" '$1 == n { print $4 }' $D/pairs.tsv | median 1 /dev/stdin | awk '{ printf "%.2f", $1 }'; }
for fmt in plain gzip; do
	by_paid=$F by_member=$MF; [ $fmt = gzip ] && by_paid=$G by_member=$MG
	pair_ratios "attribute $fmt" "$ATTR $by_paid" "$ATTR $by_member"
	pair_ratios "attribute --claim-sums $fmt" "$ATTR --claim-sums $D/sums.tsv $by_paid" \
		"$ATTR --claim-sums $D/sums.tsv $by_member"
	pair_ratios "cap-large-claims $fmt" "$CAP $by_paid" "$CAP $by_member"
done
pair_ratios "cap-large-claims --sum-only plain" "$SUMONLY $F" "$SUMONLY $MF"
pair_ratios "cohort-select --exclude-dx plain" "$COHORT_DX $F" "$COHORT_DX $MF"
pair_ratios "complete plain" "$COMPLETE $F" "$COMPLETE $MF"
pair_ratios "nightly ÷ zcat" "$NIGHTLY" "zcat $G"
pair_ratios "nightly ÷ zcat (member order)" "$NIGHTLY_M" "zcat $MG"
pair_ratios "nightly ÷ DuckDB" "$NIGHTLY" "node bench/duckdb_reconcile.mjs $N 0"
pair_ratios "nightly ÷ DuckDB (member order)" "$NIGHTLY_M" "node bench/duckdb_reconcile.mjs $NM 0"

med() { awk -F, -v n="$1" '$1 == n { printf "%.3f", $4 }' $D/times.csv; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
r_plain=$(ratio "$(med 'vbr plain')" "$(med 'duckdb 1 thread plain')")
r_gzip=$(ratio "$(med 'vbr gzip')" "$(med 'zcat gzip')")
r_attr_gzip=$(ratio "$(med 'attribute gzip')" "$(med 'zcat gzip')")
r_attr_plain=$(ratio "$(med 'attribute plain')" "$(med 'duckdb attribution SQL 1 thread plain')")
r_cap_gzip=$(ratio "$(med 'cap-large-claims gzip')" "$(med 'zcat gzip')")
r_cap_plain=$(ratio "$(med 'cap-large-claims plain')" "$(med 'duckdb cap SQL 1 thread plain')")
# attribute and cap-large-claims read a plain file on two threads: against
# DuckDB on its default threads too
r_attr_plain2=$(ratio "$(med 'attribute plain')" "$(med 'duckdb attribution SQL default threads plain')")
r_cap_plain2=$(ratio "$(med 'cap-large-claims plain')" "$(med 'duckdb cap SQL default threads plain')")
r_mix=$(awk -v a="$(med 'mix-factor')" -v b="$(med 'cap-large-claims plain')" 'BEGIN { printf "%.1f", 100 * a / b }')
r_night_zcat=$(ratio "$(med 'nightly reconcile.mk -j2 gzip')" "$(med 'zcat gzip')")
r_night_duck=$(ratio "$(med 'nightly reconcile.mk -j2 gzip')" "$(med 'duckdb reconcile SQL default threads gzip')")
r_night_duck1=$(ratio "$(med 'nightly reconcile.mk -j2 gzip')" "$(med 'duckdb reconcile SQL 1 thread gzip')")
r_read_costs=$(awk -v a="$(med 'vbr plain cost rows')" -v b="$(med 'cap-large-claims plain')" 'BEGIN { printf "%.1f", 100 * a / b }')
r_mix_gz=$(awk -v a="$(med 'mix-factor')" -v b="$(med 'cap-large-claims gzip')" 'BEGIN { printf "%.1f", 100 * a / b }')
cap_budget=$(awk -v c="$cohort_bytes" -v n="$cohort_rows" 'BEGIN { printf "%.0f", (c + 64 * n) / 1024 + 16384 }')
per_member() { awk -v r="$1" -v f="$2" -v m="$members" 'BEGIN { printf "%.0f", (r - f) * 1024 / m }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "met" : "MISSED" }'; }
# paid-date order ÷ member order, per tool (the 1.3 bound)
order_row() {  # NAME
	r=$(paired "$1")
	echo "| $1: paid-date order ≤ 1.3 × member order | $r × (pairs; the table's medians: $(med "$1") s ÷ $(med "$1 (member order)") s = $(ratio "$(med "$1")" "$(med "$1 (member order)")") ×) | $(verdict "$r" 1.3) |"
}
r_night_zcat_m=$(ratio "$(med 'nightly reconcile.mk -j2 gzip (member order)')" "$(med 'zcat gzip (member order)')")
r_night_duck_m=$(ratio "$(med 'nightly reconcile.mk -j2 gzip (member order)')" "$(med 'duckdb reconcile SQL default threads gzip (member order)')")
p_night_zcat=$(paired "nightly ÷ zcat") p_night_zcat_m=$(paired "nightly ÷ zcat (member order)")
p_night_duck=$(paired "nightly ÷ DuckDB") p_night_duck_m=$(paired "nightly ÷ DuckDB (member order)")

# Shards: the nightly on the paid-order gzip extract with SHARDS=1, 2, 4, 8
# on GNU parallel on this machine (its two cores), RUNS runs each: the wall
# time, and from GNU time around every tool the peak RSS of the largest
# shard job stage (a tool reading a shard) and of the largest whole-run
# stage (the split, the merges, cap-large-claims --from-sums, the per-org
# stages). The published files must be the one-machine run's bytes.
abs_path() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
# timed_bin DIR LOG: a directory of wrappers, one per tool, that run the
# tool under GNU time and append "tool where seconds peak-RSS-KiB" to LOG;
# where is "merge" for partition --merge, "shard" for a tool of a shard job
# (reading a path .../shards/K/..., or partition --shard), else "run"
timed_bin() {
	rm -rf "$1" && mkdir -p "$1"
	for t in $BUILD/bin/*; do
		printf '#!/bin/sh\ncase "$*" in *--merge*) w=merge ;; *"--shard "* | */shards/[0-9]*) w=shard ;; *) w=run ;; esac\nexec /usr/bin/time -a -o "%s" -f "%s $w %%e %%M" "%s" "$@"\n' \
			"$(abs_path "$2")" "$(basename "$t")" "$(abs_path "$t")" >"$1/$(basename "$t")"
		chmod +x "$1/$(basename "$t")"
	done
}
SW=$D/shard-bin
timed_bin $SW $D/shard-stages.txt
: >$D/shards.txt
for n in 1 2 4 8; do
	for r in $(seq 1 "$RUNS"); do
		: >$D/shard-stages.txt
		rm -rf $D/sharded $D/sharded.runs
		t=$(wall make -s -j2 -f pipelines/reconcile.mk BIN=$SW EXTRACT=$N TERMS=$TERMS OUT=$D/sharded SHARDS=$n)
		# wall, then the largest shard-job stage's and whole-run stage's RSS,
		# and seconds: the split (partition reading the inputs), all shard
		# jobs' tools together (not partition --shard, which labels a tool's
		# output as it comes, beside it), the merges
		awk -v n="$n" -v t="$t" '$2 == "shard" && $4 > s { s = $4; sn = $1 } $2 != "shard" && $4 > w { w = $4; wn = $1 }
			$2 == "run" && $1 == "partition" { split_s += $3 } $2 == "shard" && $1 != "partition" { job_s += $3 }
			$2 == "merge" { merge_s += $3 }
			END { printf "%s %s %s %s %s %s %.2f %.2f %.2f\n", n, t, s + 0, sn ? sn : "-", w + 0, wn, split_s, job_s, merge_s }' \
			$D/shard-stages.txt >>$D/shards.txt
	done
	for f in attribution.tsv claim-sums.tsv cohort.tsv costs.tsv mix.tsv target.tsv settlement.tsv simulation.tsv draws.tsv; do
		cmp -s $D/nightly/$f $D/sharded/$f || { echo "bench: SHARDS=$n: $f differs from the one-machine run"; exit 1; }
	done
done
rm -rf $D/sharded $D/sharded.runs
# medians per shard count: wall time, shard-stage RSS, whole-run-stage RSS
shard_rows=$(sort -k1,1n -k2,2n $D/shards.txt | awk -v runs="$RUNS" '
	{ k = $1; i = ++c[k]; t[k, i] = $2; s[k, i] = $3; sn[k] = $4; w[k, i] = $5; wn[k] = $6; r[k, i] = $7 " " $8 " " $9 }
	END { for (k = 1; k <= 8; k *= 2) { m = int((c[k] + 1) / 2)
		printf "%s %s %s %s %s %s %s\n", k, t[k, m], s[k, m], sn[k], w[k, m], wn[k], r[k, m] } }')

# BIG=1: ten times the members through the nightly, in paid-date order;
# each stage's wall time and peak RSS from GNU time around every tool
# (a directory of wrappers given to reconcile.mk as BIN)
if [ -n "$BIG" ]; then
	BM=$((MEMBERS * 10))
	B=$D/big
	bstamp="$BM members, seed 1, 16 lines/member-year, geometric payment lag, paid-date order"
	if [ ! -f $B/night/claims.tsv.gz ] || [ "$(cat $B/stamp 2>/dev/null)" != "$bstamp" ]; then
		rm -rf $B && mkdir -p $B/night
		$BUILD/bin/synth --members "$BM" --lines-per-year 16 --seed 1 -o $B/extract
		paid_order $B/extract/claims.tsv $B/paid.tsv
		rm $B/extract/claims.tsv
		gzip -6 -c $B/paid.tsv >$B/night/claims.tsv.gz
		rm $B/paid.tsv
		for f in eligibility roster factors quality; do gzip -6n -c $B/extract/$f.tsv >$B/night/$f.tsv.gz; done
		rm $B/extract/eligibility.tsv
		echo "$bstamp" >$B/stamp
	fi
	W=$B/timed-bin
	timed_bin $W $B/stages.txt
	rm -f $B/stages.*.txt
	BIG_NIGHTLY="make -s -j2 -f pipelines/reconcile.mk BIN=$W EXTRACT=$B/night TERMS=$TERMS OUT=$B/nightly"
	# timed as the rows above are: the inputs in the page cache and one
	# untimed run first (hyperfine's warm-up); then BIG_RUNS runs, each
	# beside a run of the 300,000-member nightly, so that the two sizes are
	# compared on the same minutes of this shared machine (its load varies
	# from minute to minute); medians, and the stages of the median run
	cat $B/night/* >/dev/null
	$BIG_NIGHTLY >/dev/null
	: >$B/times.txt
	for r in $(seq 1 "$BIG_RUNS"); do
		small=$(wall $NIGHTLY)
		: >$B/stages.txt
		big=$(wall $BIG_NIGHTLY)
		cp $B/stages.txt $B/stages.$r.txt
		echo "$r $big $small $(ratio "$big" "$small")" >>$B/times.txt
	done
	big_time=$(median 2 $B/times.txt)
	big_small=$(median 3 $B/times.txt)
	# the bound: the median of each run's ratio to the run beside it
	r_big=$(median 4 $B/times.txt)
	big_run=$(sort -k2,2n $B/times.txt | awk -v m=$(((BIG_RUNS + 1) / 2)) 'NR == m { print $1 }')
	cp $B/stages.$big_run.txt $B/stages.txt
	big_lines=$(zcat $B/night/claims.tsv.gz | wc -l)
	big_lines=$((big_lines - 1))
	big_gz=$(wc -c <$B/night/claims.tsv.gz)
	big_peak=$(awk '$4 > m { m = $4 } END { print m }' $B/stages.*.txt)
	r_big_hf=$(ratio "$big_time" "$(med 'nightly reconcile.mk -j2 gzip')")
fi

{
	echo "# Benchmarks"
	echo
	echo "Generated by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d). Do not edit by hand."
	echo
	echo "## Machine"
	echo
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
	echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "- kernel: $(uname -sr); $(cc --version | head -n 1)"
	echo "- peers: $(gzip --version | head -n 1) (zcat); mawk $(mawk -W version 2>&1 | head -n 1 | awk '{print $2}'); DuckDB $(node bench/duckdb_sum.mjs --version) via @duckdb/node-api on node $(node --version); $(hyperfine --version)"
	echo
	echo "## Data"
	echo
	echo "- \`$F\`: synthetic claims, $MEMBERS members, $lines claim lines, $(wc -c <"$F") bytes, in paid-date order (then claim, line) as payers ship them: $(repeats "$F")% of lines have the member of the line before"
	echo "- \`$G\`: the same, gzip -6, $(wc -c <"$G") bytes"
	echo "- \`$MF\` and \`$MG\`: the same lines in synth's member order ($(repeats "$MF")% repeat the member before), \"(member order)\" below"
	echo "- every peer computed the same result: \`$(echo "$sum_ours" | tr '\t' ' ')\` (records, sum of paid)"
	echo
	echo "## Times"
	echo
	echo "Wall-clock seconds, $RUNS runs each after one warm-up (hyperfine), files in the page cache."
	echo "attribute and cap-large-claims read a claims file of 4 MiB or more on one thread and sum its lines on a second (lib/handoff.h);"
	echo "a gzip file is inflated on a third (ISA-L). The DuckDB SQL runs on 1 thread and on its default threads ($(nproc))."
	echo
	echo "| command | median | mean | min | max |"
	echo "|---|---:|---:|---:|---:|"
	awk -F, 'NR > 1 { printf "| %s | %.3f | %.3f | %.3f | %.3f |\n", $1, $4, $2, $7, $8 }' $D/times.csv
	echo
	echo "Commands (\`$SUMPAID\` is bench/sumpaid.c, the minimal lib-based reader):"
	echo
	echo '```'
	echo "cat plain:                     cat $F >/dev/null"
	echo "zcat gzip:                     zcat $G >/dev/null"
	echo "vbr plain / gzip:              $SUMPAID FILE"
	printf '%s\n' "mawk plain:                    $MAWK $F"
	printf '%s\n' "zcat+mawk gzip:                zcat $G | $MAWK"
	echo "duckdb N thread(s):            node bench/duckdb_sum.mjs FILE N   (N = 0: DuckDB's default)"
	echo "attribute plain / gzip:        $ATTR FILE >/dev/null"
	echo "attribute --claim-sums:        $ATTR --claim-sums $D/sums.tsv FILE >/dev/null"
	echo "duckdb attribution SQL:        node bench/duckdb_attribute.mjs FILE $R THREADS (1, or 0: default threads)"
	echo "cap-large-claims plain / gzip: $CAP FILE >/dev/null"
	echo "duckdb cap SQL:                node bench/duckdb_cap.mjs FILE $D/cohort.tsv THREADS (1, or 0: default threads)"
	echo "mix-factor:                    $BUILD/bin/mix-factor --factors $D/extract/factors.tsv $D/costs.tsv >/dev/null"
	echo "nightly reconcile.mk:          $NIGHTLY"
	echo "duckdb reconcile SQL:          node bench/duckdb_reconcile.mjs $N N   (sql/claims.sql + sql/attribution.sql + sql/reconcile.sql)"
	echo "simulate:                      $SIM"
	echo "complete:                      $COMPLETE FILE >/dev/null"
	echo "cap-large-claims --sum-only:   $SUMONLY FILE >/dev/null"
	echo "cohort-select --exclude-dx:    $COHORT_DX FILE >/dev/null"
	echo "paid-date order:               sort -t TAB -k6,6 -k2,2 -k3,3n (after the header), LC_ALL=C"
	echo "FILE:                          $F or $G; (member order) $MF or $MG; nightly: EXTRACT=$N or $NM"
	echo '```'
	echo
	echo "## Ratios from pairs"
	echo
	echo "Each ratio that a target below bounds, from $RUNS pairs of runs: the two commands of a pair (the ones timed in the table) run one right"
	echo "after the other, so both meet the same minute of this shared machine, whose speed drifts; the target is judged on the median of the"
	echo "pairs' ratios. Each pair's seconds, first ÷ second: for a tool, its run on the paid-date order ÷ its run on member order;"
	echo "for the nightly, the nightly ÷ the command named (of the same order)."
	echo
	echo "| ratio | pairs (a s ÷ b s) | median |"
	echo "|---|---|---:|"
	awk -F'\t' '{ if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
		l[$1] = l[$1] (l[$1] == "" ? "" : "; ") sprintf("%.2f ÷ %.2f = %.2f", $2, $3, $4) }
		END { for (i = 1; i <= n; i++) print order[i] "\t" l[order[i]] }' $D/pairs.tsv |
	while IFS="$(printf '\t')" read -r name list; do
		echo "| $name | $list | $(paired "$name") × |"
	done
	echo
	echo "Order does not matter: each tool wrote the same bytes on both orders (compared with cmp in this run):"
	echo
	echo '```'
	cat $D/order.txt
	echo '```'
	echo
	echo "attribute and the DuckDB SQL agree: \`$(echo "$attr_ours" | tr '\t' ' ')\` (attributed member-periods, sum of basis_allowed)."
	echo
	echo "cap-large-claims and the DuckDB SQL agree: \`$(echo "$cap_ours" | tr '\t' ' ')\` (cost rows, sum of capped cost), on a cohort of every member: $cohort_rows member-periods, $cohort_bytes bytes (\`$D/cohort.tsv\`, 99th-percentile cap on allowed)."
	echo
	echo "The nightly reconciliation (attribute, making in the same pass the claim sums of cap-large-claims --sum-only (--claim-sums: the claims are read once), with cohort-select reading the eligibility beside it (--eligibility-first) and the attribution once attribute is done → cap-large-claims --from-sums → mix-factor → target → settle → simulate, 1,000 iterations → report, text and html → sha256 of every output; all or nothing, published by rename) and the DuckDB SQL of the same reconciliation (attribution, cohort, capped costs, mix, target, settlement; no simulation or statement) agree to the cent on every org's target PMPM, actual total and net settlement:"
	echo
	echo '```'
	echo "$nightly_ours"
	echo '```'
	echo
	echo "simulate: 1,000 iterations over the $sim_members measurement members of the every-member cohort (\`$D/costs.tsv\`), 4 orgs."
	echo
	echo "## Memory"
	echo
	echo "Peak RSS of attribute (GNU time %M), $members members:"
	echo
	echo "| input | peak RSS | bytes per member above the fixed part |"
	echo "|---|---:|---:|"
	echo "| one member's lines, plain (the fixed part) | $rss_fixed KiB | |"
	echo "| one member's lines, gzip (the fixed part) | $rss_fixed_gz KiB | |"
	echo "| plain, all members | $rss_plain KiB | $(per_member "$rss_plain" "$rss_fixed") |"
	echo "| gzip, all members | $rss_gzip KiB | $(per_member "$rss_gzip" "$rss_fixed_gz") |"
	echo
	echo "Peak RSS of cap-large-claims: plain $rss_cap_plain KiB, gzip $rss_cap_gzip KiB; the budget (cohort file + 64 bytes per cohort member-period + 16 MiB) is $cap_budget KiB."
	echo
	echo "## Targets"
	echo
	echo "| target | measured | |"
	echo "|---|---:|---|"
	for t in "attribute plain" "attribute gzip" "attribute --claim-sums plain" \
		"attribute --claim-sums gzip" "cap-large-claims plain" "cap-large-claims gzip" \
		"cap-large-claims --sum-only plain" "cohort-select --exclude-dx plain" "complete plain"; do
		order_row "$t"
	done
	echo "| nightly pipeline, paid-date order, gzip ≤ 1.0 × \`zcat file >/dev/null\` | $p_night_zcat × (pairs; member order $p_night_zcat_m ×; the table's medians: $r_night_zcat ×, member order $r_night_zcat_m ×) | $(verdict "$p_night_zcat" 1.0) |"
	echo "| nightly pipeline, paid-date order ≤ 0.3 × the DuckDB SQL (default threads) | $p_night_duck × (pairs; member order $p_night_duck_m ×; the table's medians: $r_night_duck ×, member order $r_night_duck_m ×) | $(verdict "$p_night_duck" 0.3) |"
	if [ -n "$BIG" ]; then
		echo "| nightly, $BM members (paid-date order) within 11 × the $MEMBERS-member run (each run against the one beside it, median) | $r_big × (medians $big_time s and $big_small s; ÷ the table's $(med 'nightly reconcile.mk -j2 gzip') s: $r_big_hf ×) | $(verdict "$r_big" 11) |"
		echo "| nightly, $BM members: peak RSS of every stage ≤ 1 GiB | $big_peak KiB | $(verdict "$big_peak" 1048576) |"
	fi
	echo "| reader: plain TSV ≤ 0.35 × DuckDB single-threaded | $r_plain × | $(verdict "$r_plain" 0.35) |"
	echo "| reader: gzip input ≤ 1.15 × \`zcat file >/dev/null\` | $r_gzip × | $(verdict "$r_gzip" 1.15) |"
	echo "| attribute: gzip ≤ 1.3 × \`zcat file >/dev/null\` | $r_attr_gzip × | $(verdict "$r_attr_gzip" 1.3) |"
	echo "| attribute: plain ≤ 0.5 × DuckDB single-threaded SQL | $r_attr_plain × | $(verdict "$r_attr_plain" 0.5) |"
	echo "| attribute: plain (two threads: a plain file is read on one and summed on the other) against the DuckDB SQL on its default threads | $r_attr_plain2 × | |"
	pm=$(per_member "$rss_gzip" "$rss_fixed_gz"); pp=$(per_member "$rss_plain" "$rss_fixed")
	echo "| cap-large-claims: gzip ≤ 1.2 × \`zcat file >/dev/null\` | $r_cap_gzip × | $(verdict "$r_cap_gzip" 1.2) |"
	echo "| cap-large-claims: plain ≤ 0.4 × DuckDB single-threaded SQL | $r_cap_plain × | $(verdict "$r_cap_plain" 0.4) |"
	echo "| cap-large-claims: plain (two threads, as attribute) against the DuckDB SQL on its default threads | $r_cap_plain2 × | |"
	rc=$(( rss_cap_plain > rss_cap_gzip ? rss_cap_plain : rss_cap_gzip ))
	echo "| cap-large-claims: peak RSS ≤ cohort + 64 B/member-period + 16 MiB | $rc KiB of $cap_budget KiB | $(verdict "$rc" "$cap_budget") |"
	echo "| mix-factor: < 5% of cap-large-claims' time, on gzip input | $r_mix_gz % | $(verdict "$r_mix_gz" 4.999) |"
	echo "| mix-factor: < 5% of cap-large-claims' time, on plain input | $r_mix % | $(verdict "$r_mix" 4.999) |"
	echo "| nightly pipeline ≤ 0.5 × the DuckDB SQL (default threads; at least 2× faster) | $p_night_duck × (pairs) | $(verdict "$p_night_duck" 0.5) |"
	echo "| nightly pipeline against the DuckDB SQL on 1 thread | $r_night_duck1 × | |"
	echo "| simulate: 1,000 iterations × $sim_members members < 10 s | $(med 'simulate 1000 iterations') s | $(verdict "$(med 'simulate 1000 iterations')" 9.999) |"
	echo "| complete: claims per second (against cap-large-claims --sum-only on the same file) | $(awk -v n="$lines" -v t="$(med 'complete plain')" 'BEGIN { printf "%.1f M", n / t / 1e6 }') ($(med 'complete plain') s; --sum-only $(med 'cap-large-claims --sum-only plain') s) | |"
	echo "| complete: within 2% of the true completion, every month with ≥ 3 months of development | $truth_months months, $truth_bad off, worst $truth_worst % | $(verdict "$truth_bad" 0) |"
	echo "| attribute: peak RSS ≤ 200 bytes per member + fixed | $pp (plain), $pm (gzip) | $(verdict "$(( pp > pm ? pp : pm ))" 200) |"
	echo
	echo "## Shards"
	echo
	echo "The nightly (\`make -j2 -f pipelines/reconcile.mk SHARDS=N\`, ENGINE=parallel on this machine's $(nproc) cores) on \`$G\`, $RUNS runs each, medians;"
	echo "peak RSS from GNU time around every tool: the largest stage of a shard job (attribute, cohort-select or"
	echo "cap-large-claims --sum-only on one shard; it falls as 1/N) and the largest stage run once for the whole"
	echo "run (partition's split and merges, cap-large-claims --from-sums, the per-org stages; SHARDS=1 is the one-machine run,"
	echo "whose every stage is whole). Every published file is the one-machine run's bytes (cmp)."
	echo
	echo "The last three columns are from the run at the median wall time: seconds of the split (partition on the claims and"
	echo "the eligibility, run side by side, their times added), of every shard job's tools added together (attribute, cohort-select,"
	echo "cap-large-claims --sum-only: the work that spreads over machines; partition --shard runs beside each, labelling its output),"
	echo "and of the merges."
	echo
	echo "| shards | wall seconds | largest shard stage, peak RSS KiB | largest whole-run stage, peak RSS KiB | split s | shard jobs s (sum) | merges s |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	echo "$shard_rows" | awk '{ printf "| %s | %s | %s | %s (%s) | %s | %s | %s |\n", $1, $2, $1 == 1 ? "—" : $3 " (" $4 ")", $5, $6,
		$1 == 1 ? "—" : $7, $1 == 1 ? "—" : $8, $1 == 1 ? "—" : $9 }'
	echo
	if [ -n "$BIG" ]; then
		echo "## Ten times the members"
		echo
		echo "BIG=1: synth with $BM members, claims in paid-date order: $big_lines lines, gzip $big_gz bytes;"
		echo "the nightly (\`make -j2 -f pipelines/reconcile.mk\`), inputs in the page cache, after one untimed run,"
		echo "$BIG_RUNS runs, each beside a run of the $MEMBERS-member nightly (the two sizes timed on the same minutes:"
		echo "this shared machine's load varies from minute to minute). Each run's time over the time of the $MEMBERS-member run beside it:"
		echo "$(sort -n $B/times.txt | awk '{ printf "%s%s s ÷ %s s = %s ×", (NR > 1 ? "; " : ""), $2, $3, $4 }');"
		echo "the median ratio is $r_big ×. Medians: $big_time s and $big_small s (against the table's $MEMBERS-member median, $r_big_hf ×)."
		echo "Each stage of the median run, from GNU time around every tool (wall seconds, peak RSS KiB; the first and last settle are the terms check and the empty-run check; attribute makes the claim sums too, cohort-select runs beside it from the start (--eligibility-first, nice 10: its seconds include the wait for the attribution), cap-large-claims is --from-sums):"
		echo
		echo "| stage | seconds | peak RSS KiB |"
		echo "|---|---:|---:|"
		awk '{ printf "| %s | %s | %s |\n", $1, $3, $4 }' $B/stages.txt
		echo
	fi
	echo "mix-factor reads the $cohort_rows cost rows (16 columns, $(wc -c <$D/costs.tsv) bytes) as two"
	echo "halves on two threads; the bare reader (\`vbr plain cost rows\`, one thread) alone takes"
	echo "$r_read_costs% of cap-large-claims' plain time on them."
	echo
	echo "How: input is read in 512 KiB blocks and each record is split in one SSE2"
	echo "pass that finds TABs and the LF together; gzip is inflated by Intel ISA-L's"
	echo "inflate (Debian libisal) on a second thread into a ring of 1 MiB blocks while"
	echo "the first thread parses, and ISA-L checks each member's CRC-32 and length."
	echo "It is several times as fast as gzip(1)'s own inflate, which \`zcat\` uses:"
	echo "compare the \`vbr gzip\` row (the bare reader: inflate and split every line)"
	echo "with \`zcat gzip\`."
} >bench/RESULTS.md
cat bench/RESULTS.md
