# The sharded nightly on the real engines, on this one machine, started by
# pipelines/local-cluster.sh: GNU parallel over two sshlogins to an sshd on
# 127.0.0.1 (free ports, throwaway keys), and a single-node Slurm cluster
# (munged, slurmctld and slurmd with a minimal slurm.conf). Both must
# publish the one-machine run's bytes, and a failed Slurm task fails the
# night. Everything is stopped at the end. A part skips, saying why, only where its package is not installed
# or it needs root (make deps installs openssh-server, parallel, munge and
# slurm-wlm).
. "$(dirname "$0")/../lib.sh"

M() { make -s --no-print-directory -f "$ROOT/pipelines/reconcile.mk" BIN="$BIN" "$@"; }
cd "$T" || exit 2
LC="$ROOT/pipelines/local-cluster.sh"
trap '"$LC" stop "$T/c" >/dev/null 2>&1; finish_gold; rm -rf "$T"' EXIT

synth --members 300 --seed 5 -o ex >/dev/null
mkdir night
for f in claims eligibility roster factors quality; do gzip -9n -c "ex/$f.tsv" >"night/$f.tsv.gz"; done
{ cat ex/terms.tsv; printf 'paid_through\t2024-09-30\ncompletion_method\tchain_ladder\ncompletion_window\t6\n'; } >terms.tsv
SAME="attribution.tsv claim-sums.tsv cohort.tsv completion.tsv costs.tsv mix.tsv target.tsv settlement.tsv
simulation.tsv draws.tsv"
M EXTRACT=night TERMS=terms.tsv OUT=one ITERATIONS=200 >/dev/null || echo "FAIL - the one-machine run"
same_run() { local f; for f in $SAME; do cmp -s "one/$f" "$1/$f" || { echo "$f"; return 1; }; done; }

# ---- GNU parallel over ssh ----
why=""
command -v parallel >/dev/null || why="GNU parallel is not installed"
command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || why="${why:+$why; }sshd is not installed (openssh-server)"
if [ -n "$why" ]; then
	skip_case "GNU parallel over two sshlogins" "$why"
else
	case_ "GNU parallel over two sshlogins to 127.0.0.1: the one-machine run's bytes"
	# one sshd on two ports (pipelines/local-cluster.sh), hosts a and b
	"$LC" ssh c >/dev/null || bad "the sshd did not start"
	ports=$(sed -n 's/^ListenAddress 127.0.0.1://p' c/sshd_config)
	# the newcomer's command: two sshlogins, one job at a time on each
	run M EXTRACT=night TERMS=terms.tsv OUT=ssh ITERATIONS=200 SHARDS=4 ENGINE=parallel \
		HOSTS="1/ssh -F $T/c/ssh.conf a,1/ssh -F $T/c/ssh.conf b"
	expect_status 0
	d=$(same_run ssh) || bad "over ssh: $d differs from the one-machine run"
	# both "hosts" ran jobs: sessions came to both ports
	for p in $ports; do
		[ "$(grep -c "on 127.0.0.1 port $p" c/sshd.log)" -gt 0 ] || bad "no session on port $p"
	done
	expect_eq "$(sed -n 's/^engine\t//p' ssh/MANIFEST)" parallel "engine in the MANIFEST"
	done_case
fi

# ---- Slurm ----
why=""
for c in sbatch slurmctld slurmd munged scontrol sinfo; do
	command -v "$c" >/dev/null || why="${why:+$why; }$c is not installed"
done
[ "$(id -u)" -eq 0 ] || why="${why:+$why; }slurmd runs jobs as their user: it needs root"
if [ -n "$why" ]; then
	skip_case "a single-node Slurm cluster" "$why"
else
	case_ "a single-node Slurm cluster: a job array, the one-machine run's bytes"
	"$LC" slurm c >/dev/null || bad "the Slurm cluster did not start"
	export SLURM_CONF=$T/c/slurm.conf
	run M EXTRACT=night TERMS=terms.tsv OUT=slurm ITERATIONS=200 SHARDS=3 ENGINE=slurm
	expect_status 0
	d=$(same_run slurm) || bad "on Slurm: $d differs from the one-machine run"
	expect_eq "$(sed -n 's/^engine\t//p' slurm/MANIFEST)" slurm "engine in the MANIFEST"
	# the jobs were Slurm's: 3 array tasks for each of the two rounds
	expect_eq "$(grep -c 'sched: Allocate JobId=[0-9]*_[0-2]' c/slurmctld.log)" 6 \
		"array tasks (3 shards, 2 rounds)"
	# a failed task fails the night: shard 2's attribute exits 65
	link_tools wrap
	fail_on_shard wrap attribute 2
	run M EXTRACT=night TERMS=terms.tsv OUT=sf ITERATIONS=200 SHARDS=3 ENGINE=slurm BIN="$T/wrap"
	expect_status 2
	expect_err_has "reconcile: shard 2 (members) failed with exit status 65:"
	expect_err_has "reconcile: shard 2: attribute: injected failure"
	[ ! -e sf ] || bad "a failed night published"
	done_case
fi
