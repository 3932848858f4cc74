# Order does not matter: claims in the order payers ship them (by paid
# date, then claim: one member's lines scattered through the file) and
# eligibility by month give byte-identical output to the member-sorted
# extract synth writes, for every tool that reads claims or eligibility,
# plain and gzip. The plain claims (over 4 MiB) are read on one thread and
# summed on another by attribute and cap-large-claims (handoff.h), the gzip
# ones (under 4 MiB) on one thread: the two paths agree too.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C

S=$T/x
synth --members 3000 --seed 5 -o "$S"
TAB=$(printf '\t')
{ head -n 1 "$S/claims.tsv"; tail -n +2 "$S/claims.tsv" | sort -t "$TAB" -k6,6 -k2,2 -k3,3n; } >"$T/paid.tsv"
{ head -n 1 "$S/eligibility.tsv"; tail -n +2 "$S/eligibility.tsv" | sort -t "$TAB" -k2,2 -k1,1; } >"$T/month.tsv"
gzip -c "$T/paid.tsv" >"$T/paid.tsv.gz"
TERMS="--terms $S/terms.tsv"
printf 'dx\nI509\nE119\n' >"$T/dx.tsv"

# A tool run as "$2 CLAIMS ELIGIBILITY" on the member-sorted files and on
# the scattered ones (plain and gzip claims) writes the same bytes.
same_output() {  # WHAT FUNCTION
	"$2" "$S/claims.tsv" "$S/eligibility.tsv" >"$T/sorted.out" 2>"$T/err" ||
		bad "$1: member order failed: $(cat "$T/err")"
	for claims in "$T/paid.tsv" "$T/paid.tsv.gz"; do
		"$2" "$claims" "$T/month.tsv" >"$T/scattered.out" 2>"$T/err" ||
			bad "$1: scattered order failed: $(cat "$T/err")"
		cmp -s "$T/sorted.out" "$T/scattered.out" || bad "$1: output differs on $claims"
	done
	[ "$(wc -l <"$T/sorted.out")" -gt 1 ] || bad "$1: no rows"
}

case_ "the scattered extract holds the same lines, in another order"
[ "$(wc -c <"$T/paid.tsv")" -gt 4194304 ] || bad "the plain claims are too small for two threads"
expect_eq "$(wc -l <"$T/paid.tsv")" "$(wc -l <"$S/claims.tsv")" "lines"
cmp -s "$T/paid.tsv" "$S/claims.tsv" && bad "the order did not change"
# consecutive claim lines of one member: nearly all in member order, few by paid date
repeats() { awk -F'\t' 'NR > 2 && $1 == p { n++ } { p = $1 } END { printf "%d\n", 100 * n / (NR - 1) }' "$1"; }
expect_eq "$(repeats "$S/claims.tsv" | awk '$1 > 80 { print "sorted" }')" sorted "member order repeats"
expect_eq "$(repeats "$T/paid.tsv" | awk '$1 < 5 { print "scattered" }')" scattered "paid order scatters"
done_case

attribute $TERMS --roster "$S/roster.tsv" "$S/claims.tsv" >"$T/attr.tsv"
cohort-select $TERMS --eligibility "$S/eligibility.tsv" "$T/attr.tsv" >"$T/cohort.tsv"

case_ "attribute"
by_attribute() { attribute $TERMS --roster "$S/roster.tsv" "$1"; }
same_output attribute by_attribute
done_case

case_ "cap-large-claims, with a cohort and --sum-only"
by_cap() { cap-large-claims $TERMS --cohort "$T/cohort.tsv" "$1"; }
by_sum_only() { cap-large-claims $TERMS --sum-only "$1"; }
same_output cap by_cap
same_output sum-only by_sum_only
done_case

case_ "cohort-select: eligibility by month, claims with --exclude-dx"
by_cohort() { cohort-select $TERMS --eligibility "$2" "$T/attr.tsv"; }
by_exclude_dx() { cohort-select $TERMS --exclude-dx "$T/dx.tsv" --claims "$1" --eligibility "$2" "$T/attr.tsv"; }
same_output cohort by_cohort
same_output exclude-dx by_exclude_dx
done_case

case_ "complete"
by_complete() { complete $TERMS --paid-through 2024-09-30 "$1"; }
same_output complete by_complete
done_case
