# pipelines/reconcile.mk with SHARDS=N on GNU parallel, on this machine:
# the published files are the one-machine run's bytes for N = 2, 3 and 7,
# over a directory and over an archive, with completion, an assignment
# list, excluded diagnoses and rejects; a failed shard fails the night
# (its number, status and messages), nothing is published, and the next
# run redoes only that shard; a lost shard job; a tampered shard refused;
# the audit bundle and rerun of a sharded run; bad settings.
# (tests/cli/engines.sh runs the same over ssh and on Slurm.)
. "$(dirname "$0")/../lib.sh"

M() { make -s --no-print-directory -f "$ROOT/pipelines/reconcile.mk" BIN="$BIN" "$@"; }
cd "$T" || exit 2
if ! command -v parallel >/dev/null; then
	skip_case "sharded runs" "GNU parallel is not installed (make deps installs it)"
	exit 0
fi
synth --members 300 --seed 5 -o ex >/dev/null
mkdir night
for f in claims eligibility roster factors quality; do gzip -9n -c "ex/$f.tsv" >"night/$f.tsv.gz"; done
# an interim contract, completed by the chain ladder: the triangle is a
# round of shard jobs of its own, merged before the claim sums
{ cat ex/terms.tsv; printf 'paid_through\t2024-09-30\ncompletion_method\tchain_ladder\ncompletion_window\t6\n'; } >terms.tsv
# what must be the bytes of the one-machine run; accounting.txt and the
# MANIFEST say how the run was made (its shards) and differ by design
SAME="attribution.tsv claim-sums.tsv cohort.tsv completion.tsv triangle.tsv costs.tsv mix.tsv target.tsv
settlement.tsv simulation.tsv draws.tsv inputs.sha256 statement.txt statement.html"
no_run_header() {
	awk '/Contract and run/ { skip = 1 } /Programme summary|<nav class="contents">/ { skip = 0 } !skip' "$1"
}
# same_run A B: every file of SAME identical (a statement but for the time
# its run started)
same_run() {
	local f
	for f in $SAME; do
		case $f in
		statement.*) [ "$(no_run_header "$1/$f")" = "$(no_run_header "$2/$f")" ] || { echo "$f"; return 1; } ;;
		*) cmp -s "$1/$f" "$2/$f" || { echo "$f"; return 1; } ;;
		esac
	done
}
M EXTRACT=night TERMS=terms.tsv OUT=one ITERATIONS=200 >/dev/null || bad "the one-machine run failed"

case_ "SHARDS=2, 3, 7: the one-machine run's bytes"
for n in 2 3 7; do
	run M EXTRACT=night TERMS=terms.tsv OUT=s$n ITERATIONS=200 SHARDS=$n
	expect_status 0
	d=$(same_run one s$n) || bad "SHARDS=$n: $d differs from the one-machine run"
	expect_eq "$(sed -n 's/^shards\t//p' s$n/MANIFEST)" "$n" "shards in the MANIFEST"
	# every shard ran both rounds, and each input's split adds up: the
	# total row of partition's accounting is the input's rows
	expect_eq "$(grep -c '^shard [0-9]*: cap-large-claims: claim sums rows' s$n/accounting.txt)" "$n" "shard jobs"
	expect_eq "$(grep -c '^shard [0-9]*: complete: read' s$n/accounting.txt)" "$n" "triangle jobs"
	expect_eq "$(sed -n 's/^partition: claims: all shards: rows \([0-9]*\),.*/\1/p' s$n/accounting.txt)" \
		"$(($(gzip -dc night/claims.tsv.gz | wc -l) - 1))" "claim lines split"
	# the shards are gone once published; the run has no link to them
	[ ! -e s$n.runs/shards ] || bad "SHARDS=$n: the shard work directory was kept"
	[ ! -e s$n/shards ] || bad "SHARDS=$n: a link to the shards in the run"
done
# the percentile cap is the whole cohort's: the same thresholds
expect_eq "$(grep -o 'base threshold [0-9.]*' s7/accounting.txt)" "$(grep -o 'base threshold [0-9.]*' one/accounting.txt)" "threshold"
done_case

case_ "an archive, an assignment list, excluded diagnoses, rejects"
tar -C night -czf night.tar.gz claims.tsv.gz eligibility.tsv.gz roster.tsv.gz factors.tsv.gz quality.tsv.gz
run M EXTRACT=night.tar.gz TERMS=terms.tsv OUT=a1 ITERATIONS=200
run M EXTRACT=night.tar.gz TERMS=terms.tsv OUT=a3 ITERATIONS=200 SHARDS=3
expect_status 0
d=$(same_run a1 a3) || bad "archive: $d differs"
# the payer's list in place of attribute: partitioned like the claims
cut -f1-4 one/attribution.tsv >assigned.tsv
printf 'dx\nI509\n' >dx.tsv
run M EXTRACT=night TERMS=terms.tsv ASSIGNMENT=assigned.tsv EXCLUDE_DX=dx.tsv OUT=x1 ITERATIONS=200
expect_status 0
run M EXTRACT=night TERMS=terms.tsv ASSIGNMENT=assigned.tsv EXCLUDE_DX=dx.tsv OUT=x3 ITERATIONS=200 SHARDS=3
expect_status 0
d=$(same_run x1 x3) || bad "assignment and excluded diagnoses: $d differs"
cmp -s x1/cohort.tsv one/cohort.tsv && bad "EXCLUDE_DX changed nothing"
expect_eq "$(grep -c '^partition: assignment: all shards' x3/accounting.txt)" 1 "the list split"
# a claim line with a letter in its amount: rejected in its shard, kept
# in the run's rejects/shard-K/, and MAX_REJECTS counts all shards
with_bad_amounts night rej 2
run M EXTRACT=rej TERMS=terms.tsv OUT=r1 ITERATIONS=200 MAX_REJECTS=5
expect_status 0
run M EXTRACT=rej TERMS=terms.tsv OUT=r3 ITERATIONS=200 MAX_REJECTS=5 SHARDS=3
expect_status 0
# partition rejects the two lines before any shard sees them
expect_eq "$(grep -c '^partition: claims: read [0-9]*, written [0-9]*, rejected 2$' r3/accounting.txt)" 1 "rejected by the split"
expect_eq "$(tail -n +2 r3/rejects/partition-claims.tsv | wc -l)" 2 "the split's rejects"
d=$(same_run r1 r3) || bad "rejects: $d differs"
run M EXTRACT=rej TERMS=terms.tsv OUT=r3 ITERATIONS=200 SHARDS=3
[ "$status" -ne 0 ] || bad "a rejected line passed without MAX_REJECTS"
done_case

case_ "a failed shard fails the night; the next run redoes only that shard"
# the tools through a wrapper that fails attribute on shard 1's claims
# while the file 'broken' exists
link_tools wrap
rm wrap/attribute
cat >wrap/attribute <<EOF
#!/bin/sh
case "\$*" in *"/1/claims.tsv.gz"*) [ ! -e "$T/broken" ] || { echo "attribute: injected failure" >&2; exit 65; } ;; esac
exec "$BIN/attribute" "\$@"
EOF
chmod +x wrap/attribute
touch broken
run M EXTRACT=night TERMS=terms.tsv OUT=f ITERATIONS=200 SHARDS=3 BIN="$T/wrap"
expect_status 2
expect_err_has "reconcile: shard 1 (members) failed with exit status 65:"
expect_err_has "reconcile: shard 1: attribute: injected failure"
expect_err_has "reconcile: shard 1 failed with exit status 65; nothing published"
[ ! -e f ] || bad "a failed night published"
[ -f f.runs/shards/0/members.done ] && [ -f f.runs/shards/2/members.done ] || bad "the shards done were not kept"
rm broken
run M EXTRACT=night TERMS=terms.tsv OUT=f ITERATIONS=200 SHARDS=3 BIN="$T/wrap"
expect_status 0
expect_eq "$(grep -c 'members: 1 of 3 shards' f/run.log)" 1 "only shard 1 ran again"
expect_eq "$(grep -c 'triangle: ' f/run.log)" 0 "no triangle job ran again"
d=$(same_run one f) || bad "after the rerun: $d differs"
done_case

case_ "a lost shard job, a tampered shard, another extract's shards"
# the job itself killed (a lost node): no status from it at all
cat >wrap/attribute <<EOF
#!/bin/sh
case "\$*" in *"/2/claims.tsv.gz"*) [ ! -e "$T/broken" ] || kill -9 \$PPID ;; esac
exec "$BIN/attribute" "\$@"
EOF
touch broken
run M EXTRACT=night TERMS=terms.tsv OUT=l ITERATIONS=200 SHARDS=3 BIN="$T/wrap"
expect_status 2
expect_err_has "reconcile: shard 2 (members) was lost: the parallel job ended without a result"
expect_err_has "shard 2 failed with exit status 69; nothing published"
rm broken
run M EXTRACT=night TERMS=terms.tsv OUT=l ITERATIONS=200 SHARDS=3 BIN="$T/wrap"
expect_status 0
expect_eq "$(grep -c 'members: 1 of 3 shards' l/run.log)" 1 "only shard 2 ran again"
mkdir -p tamper && cp night/* tamper/
# a sharded night stopped before its merge, then shard 2's sums replaced
# by shard 0's (its label says shard 0): the merge refuses the set
rm wrap/partition wrap/attribute
ln -s "$BIN/attribute" wrap/attribute
cat >wrap/partition <<EOF
#!/bin/sh
case "\$*" in *--merge*) [ ! -e "$T/broken" ] || exit 70 ;; esac
exec "$BIN/partition" "\$@"
EOF
chmod +x wrap/partition
touch broken
run M EXTRACT=tamper TERMS=terms.tsv OUT=t ITERATIONS=200 SHARDS=3 BIN="$T/wrap"
expect_status 2
rm broken
cp t.runs/shards/0/claim-sums.tsv.gz t.runs/shards/2/claim-sums.tsv.gz
cp t.runs/shards/0/claim-sums.shard t.runs/shards/2/claim-sums.shard
run M EXTRACT=tamper TERMS=terms.tsv OUT=t ITERATIONS=200 SHARDS=3 BIN="$T/wrap"
expect_status 2
expect_err_has "claim-sums.shard: shard '0', not '2': a shard given twice, or moved"
[ ! -e t ] || bad "a tampered set was published"
# another extract: the kept shards are not this night's and are made anew
gzip -dc night/eligibility.tsv.gz | head -n 3000 | gzip -9n >tamper/eligibility.tsv.gz
run M EXTRACT=tamper TERMS=terms.tsv OUT=t ITERATIONS=200 SHARDS=3 BIN="$T/wrap"
expect_status 0
expect_eq "$(grep -c 'members: 3 of 3 shards' t/run.log)" 1 "every shard made anew"
done_case

case_ "the audit bundle and rerun of a sharded run"
run M audit OUT=s3 AUDIT=s3.tar.gz
expect_status 0
run M rerun AUDIT=s3.tar.gz
expect_status 0
expect_out <<'E'
reconcile: rerun of s3.tar.gz: 15 outputs re-derived, every byte identical; unsigned: consistent with itself only
E
done_case

case_ "bad settings"
run M EXTRACT=night TERMS=terms.tsv OUT=b SHARDS=0
expect_status 2
expect_err_has "SHARDS: 0 is not from 1 to 1024"
run M EXTRACT=night TERMS=terms.tsv OUT=b SHARDS=x
expect_err_has "SHARDS: 'x' is not a count"
run M EXTRACT=night TERMS=terms.tsv OUT=b SHARDS=2 ENGINE=pbs
expect_err_has "ENGINE: 'pbs' is not parallel or slurm"
run M EXTRACT=night TERMS=terms.tsv OUT=b SHARDS=2 ENGINE=slurm HOSTS=a,b
expect_err_has "HOSTS: only for ENGINE=parallel"
[ ! -e b ] || bad "a run with bad settings published"
done_case

case_ "without the chain ladder a shard job reads its claims once"
# terms without completion: each shard's claim sums come from attribute's
# own pass (--claim-sums), not from cap-large-claims --sum-only, which a
# wrapper would note
M EXTRACT=night TERMS=ex/terms.tsv OUT=p1 ITERATIONS=200 >/dev/null || bad "the one-machine run failed"
link_tools wrap1
rm wrap1/cap-large-claims
cat >wrap1/cap-large-claims <<EOF
#!/bin/sh
case "\$*" in *--sum-only*) echo "\$*" >>"$T/sum-only.calls" ;; esac
exec "$BIN/cap-large-claims" "\$@"
EOF
chmod +x wrap1/cap-large-claims
run M EXTRACT=night TERMS=ex/terms.tsv OUT=p3 ITERATIONS=200 SHARDS=3 BIN="$T/wrap1"
expect_status 0
d=$(SAME="attribution.tsv claim-sums.tsv cohort.tsv costs.tsv mix.tsv target.tsv settlement.tsv
simulation.tsv draws.tsv inputs.sha256 statement.txt statement.html" same_run p1 p3) ||
	bad "claims read once: $d differs from the one-machine run"
[ ! -e sum-only.calls ] || bad "a shard job ran cap-large-claims --sum-only: $(cat sum-only.calls)"
# each shard's accounting: attribute's line, cohort-select's, then the
# claim sums' two in cap-large-claims' words, which add up to every line
for k in 0 1 2; do
	expect_eq "$(grep "^shard $k: " p3/accounting.txt | cut -d' ' -f3 | uniq | tr '\n' ' ')" \
		"attribute: cohort-select: cap-large-claims: " "shard $k's stages"
done
expect_eq "$(sed -n 's/^shard [0-9]*: cap-large-claims: read \([0-9]*\),.*/\1/p' p3/accounting.txt | awk '{ n += $1 } END { print n }')" \
	"$(($(gzip -dc night/claims.tsv.gz | wc -l) - 1))" "claim lines summed in the shards"
# attribute failing on shard 1 fails the job with its status and words
fail_on_shard wrap1 attribute 1
run M EXTRACT=night TERMS=ex/terms.tsv OUT=p4 ITERATIONS=200 SHARDS=3 BIN="$T/wrap1"
expect_status 2
expect_err_has "reconcile: shard 1 (members) failed with exit status 65:"
expect_err_has "reconcile: shard 1: attribute: injected failure"
[ ! -e p4 ] || bad "a failed night published"
done_case
