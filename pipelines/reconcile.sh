#!/bin/bash
# reconcile.sh — the night around the stages of reconcile.mk: the lock, the
# run's own directory, publishing, the audit bundle and the rerun
# (vbr-pipelines(7)). reconcile.mk calls it; every value arrives in the
# environment (VBR_EXTRACT, VBR_TERMS, VBR_OUT, VBR_TITLE, ...) and is only
# ever used as "$VAR": no value, file name or MANIFEST field is parsed by a
# shell.
#
#   reconcile.sh nightly | audit | rerun | clean
#   reconcile.sh hash-inputs | check-run | manifest | sha256   (stage helpers)
#   reconcile.sh fan-out ROUND | shard-accounting   (a sharded run's helpers)
#
# Exit status: the failing stage's (64 usage or terms, 65 data, 66 a missing
# input, 74 I/O such as a full disk), 75 when another run holds OUT's lock,
# 65 for an altered or forged bundle, 69 when a shard job was lost (the
# engine ended without its result); never 0 on failure.
set -uo pipefail
umask 022

me=reconcile
die() { local st=$1; shift; printf '%s: %s\n' "$me" "$*" >&2; exit "$st"; }
say() { printf '%s: %s\n' "$me" "$*" >&2; }
tell() { printf '%s: %s\n' "$me" "$*"; }      # a result: standard output
now() { TZ=UTC0 printf '%(%Y-%m-%dT%H:%M:%SZ)T' -1; }    # bash's: no date(1) to start

# an absolute path for a relative one (the stages run in the run directory)
abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }

# a value that goes into the MANIFEST, one TAB-separated line per field
one_line() {
	case $2 in *$'\t'* | *$'\n'* | *$'\r'*) die 64 "$1: holds a TAB or a line break" ;; esac
}
count() { case $2 in '' | *[!0-9]*) die 64 "$1: '$2' is not a count" ;; esac; }

# sha256 in sha256sum(1)'s format, of the files named on standard input,
# one per line: one OpenSSL for them all (several times faster than
# sha256sum here, and no process per file), its lines in the names' order,
# each hash the first 64 characters of its line (the name after it is
# ours, as read). With a directory SIDE (SHA256SUMS: .sha256), a name that
# has SIDE/NAME, OpenSSL's line for it made earlier (reconcile.mk), takes
# its hash from there; the line must be for that name.
sha256_of() {
	local -a name=() hash=() todo=()
	local side=${1:-} out i j=0 h f
	mapfile -t name
	[ "${#name[@]}" -gt 0 ] || return 0
	for ((i = 0; i < ${#name[@]}; i++)); do
		[ -n "$side" ] && [ -f "$side/${name[i]}" ] || todo+=("${name[i]}")
	done
	if [ "${#todo[@]}" -gt 0 ]; then
		out=$(openssl dgst -sha256 -r -- "${todo[@]}") || return 74
		mapfile -t hash <<<"$out"
		[ "${#hash[@]}" -eq "${#todo[@]}" ] || return 74
	fi
	for ((i = 0; i < ${#name[@]}; i++)); do
		if [ -n "$side" ] && [ -f "$side/${name[i]}" ]; then
			IFS= read -r h <"$side/${name[i]}" || return 74
			f=${h:65}
			[ "${#h}" -gt 65 ] && [ "${f#\*}" = "${name[i]}" ] || return 74
		else
			h=${hash[j]}
			j=$((j + 1))
		fi
		printf '%s  %s\n' "${h:0:64}" "${name[i]}"
	done
}

# manifest_field FILE NAME: the value of a MANIFEST field (one per line,
# NAME<TAB>value), read as data
manifest_field() { awk -F'\t' -v k="$2" '$1 == k { print substr($0, length(k) + 2); exit }' "$1"; }

VBR_BIN=${VBR_BIN:-}
VBR_OUT=${VBR_OUT:-out/reconcile}
VBR_SHARDS=${VBR_SHARDS:-1}
VBR_ENGINE=${VBR_ENGINE:-parallel}

# ---- the stage helpers (run inside the run directory) ----

# the extract's files as the stages read them: DIR/name.EXT or ARCHIVE#name.EXT
inputs_of_extract() {
	local n
	for n in claims eligibility roster factors quality; do
		if [ -d "$VBR_EXTRACT" ]; then
			export "VBR_IN_${n^^}=$VBR_EXTRACT/$n.$VBR_EXT"
		else
			export "VBR_IN_${n^^}=$VBR_EXTRACT#$n.$VBR_EXT"
		fi
	done
}

# the sha256 of what the extract is: each file of a directory, or the archive
hash_inputs() {
	if [ -d "$VBR_EXTRACT" ]; then
		cd -- "$VBR_EXTRACT" || exit 66
		local n
		for n in claims eligibility roster factors quality; do
			[ ! -e "$n.$VBR_EXT" ] || printf '%s\n' "$n.$VBR_EXT"
		done | LC_ALL=C sort | sha256_of
	else
		local h
		h=$(openssl dgst -sha256 -r "$VBR_EXTRACT") || exit 74
		printf '%s  %s\n' "${h%% *}" "$(basename -- "$VBR_EXTRACT")"
	fi
}

# A run that measured nothing is not published: no org settled, or a
# period with no member or no claim cost (a header-only roster, eligibility
# or claims file gives exactly that). Read from the per-org outputs, which
# are small: target.tsv for the base period, settle's programme row for
# the measurement period.
check_run() {
	local why
	why=$(awk -F'\t' '
		FNR == 1 { delete c; for (i = 1; i <= NF; i++) c[$i] = i; next }
		FILENAME == "target.tsv" { bm += $c["base_members"]; if ($c["base_pmpm"] + 0 != 0) bc = 1 }
		FILENAME == "settlement.tsv" && $1 != "*" { orgs++ }
		FILENAME == "settlement.tsv" && $1 == "*" { mm = $c["members"]; if ($c["actual_total"] + 0 != 0) mc = 1 }
		END {
			if (!orgs) print "no organisation was settled"
			else if (!bm) print "no member in the cohort in the base period"
			else if (!bc) print "no claim cost in the base period"
			else if (!mm) print "no member in the cohort in the measure period"
			else if (!mc) print "no claim cost in the measure period"
		}' target.tsv settlement.tsv) || exit 74
	if [ -n "$why" ]; then
		say "$why: the extract measured nothing; nothing published"
		echo "check-run 65" >&7 || :
		exit 65
	fi
}

# ---- a sharded run (SHARDS > 1) ----

# fan-out ROUND: run ROUND's job (pipelines/shard.sh) for every shard that
# has not written its ROUND.done — all of them, or on a rerun only those a
# failed night left undone — on the ENGINE, and wait. A shard without its
# ROUND.done afterwards fails the run: its number, its exit status and
# what it printed, on standard error and as "shard K STATUS" on
# descriptor 7; nothing is published. A done marker must be the label of
# that shard of this partitioning (written by the job from its input).
fan_out() {
	local round=$1 k todo=() work rc=0 failed=0 st first=""
	[ -d shards ] || die 70 "fan-out: no shard work directory"
	work=$(cd shards && pwd -P)
	for ((k = 0; k < VBR_SHARDS; k++)); do
		[ -e "shards/$k/$round.done" ] || todo+=("$k")
	done
	[ ${#todo[@]} -gt 0 ] || return 0
	printf '%s %s: %s of %s shards on %s\n' "$(now)" "$round" "${#todo[@]}" "$VBR_SHARDS" "$VBR_ENGINE" >>run.log
	case $VBR_ENGINE in
	parallel)
		local hosts=()
		[ -z "${VBR_HOSTS:-}" ] || hosts=(--sshlogin "$VBR_HOSTS")
		parallel --halt never -q "${hosts[@]}" "$VBR_PIPELINES/shard.sh" "$VBR_BIN" "$work" "$round" \
			::: "${todo[@]}" || rc=$?
		;;
	slurm)
		local ids
		ids=$(IFS=,; printf '%s' "${todo[*]}")
		# sbatch's file names take % as a pattern: a literal one is %%
		sbatch --wait --quiet --array="$ids" --job-name="vbr-$round" --chdir="$work" \
			--output="${work//%/%%}/%a/$round.slurm" "$VBR_PIPELINES/shard.sh" "$VBR_BIN" "$work" \
			"$round" >/dev/null || rc=$?
		;;
	esac
	for k in "${todo[@]}"; do
		if [ -e "shards/$k/$round.done" ] && cmp -s "shards/$k/$round.done" "shards/$k/claims.shard"; then
			continue
		fi
		failed=$((failed + 1))
		if [ -f "shards/$k/$round.status" ]; then
			st=$(cat "shards/$k/$round.status")
			say "shard $k ($round) failed with exit status $st:"
			sed "s/^/reconcile: shard $k: /" "shards/$k/$round.err" >&2 2>/dev/null
		else
			st=69
			say "shard $k ($round) was lost: the $VBR_ENGINE job ended without a result (engine status $rc)"
			[ ! -s "shards/$k/$round.slurm" ] || sed "s/^/reconcile: shard $k: /" "shards/$k/$round.slurm" >&2
		fi
		[ -n "$first" ] || first="shard $k $st"
	done
	if [ "$failed" -gt 0 ]; then
		say "$failed of $VBR_SHARDS shards failed ($round); the shards done are kept: the same command again redoes only the rest"
		echo "$first" >&7 || :
		exit "${first##* }"
	fi
	[ "$rc" -eq 0 ] || { say "the $VBR_ENGINE engine failed (status $rc) though every shard is done"; echo "engine 69" >&7 || :; exit 69; }
}

# shard-accounting: for accounting.txt, each input's split (partition's
# line, then each shard's rows and money and the total, which is the
# input's) and each shard job's stages' lines, "shard K: LINE", in shard
# order; and MAX_REJECTS over all the shards of a stage, as the one-machine
# run counts it.
shard_accounting() {
	local f k name
	for name in claims eligibility assignment; do
		f=shards/$name.tsv
		[ -f "$f" ] || continue
		sed "s/^partition: /partition: $name: /" "$f.log"
		awk -F'\t' -v name="$name" 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
			{ printf "partition: %s: %s", name, $1 == "*" ? "all shards" : "shard " $1
			  for (i = 2; i <= NF; i++) printf "%s %s %s", i == 2 ? ":" : ",", h[i], $i
			  print "" }' "$f"
	done
	for ((k = 0; k < VBR_SHARDS; k++)); do
		for name in complete attribution cohort claim-sums; do
			[ ! -f "shards/$k/$name.log" ] || sed "s/^/shard $k: /" "shards/$k/$name.log"
		done
	done
	if [ -n "${VBR_MAX_REJECTS:-}" ]; then
		local over
		over=$(for ((k = 0; k < VBR_SHARDS; k++)); do cat shards/"$k"/{complete,attribution,cohort,claim-sums}.log 2>/dev/null; done |
			awk -v max="$VBR_MAX_REJECTS" '
				match($0, /rejected [0-9]+/) { t = $1; n[t] += substr($0, RSTART + 9, RLENGTH - 9) }
				END { for (t in n) if (n[t] > max) printf "%s %d rejects in all shards\n", t, n[t] }')
		if [ -n "$over" ]; then
			say "$over: more than MAX_REJECTS $VBR_MAX_REJECTS"
			echo "shard-accounting 65" >&7 || :
			exit 65
		fi
		mkdir -p rejects
		for ((k = 0; k < VBR_SHARDS; k++)); do
			[ ! -d "shards/$k/rejects" ] || cp -R -- "shards/$k/rejects" "rejects/shard-$k"
		done
	fi
}

# The shard work directory's key: the sha256 of everything a shard job's
# output follows from — the extract (inputs.sha256), the contract's files,
# the settings and the tools. A failed night's shards are kept and reused
# only under the same key.
shard_key() {
	local f
	{
		printf 'vbr shards 1\nshards %s\nmax_rejects %s\nroster %s\n' "$VBR_SHARDS" \
			"${VBR_MAX_REJECTS:-}" "$VBR_IN_ROSTER"
		cat inputs.sha256
		for f in contract/*; do printf '%s\n' "$f"; done | LC_ALL=C sort | sha256_of
		for f in attribute cohort-select cap-large-claims complete partition; do
			printf '%s\n' "$VBR_BIN/$f"
		done | sha256_of | sed 's/  .*\//  /'
		printf '%s\n' "$VBR_PIPELINES/shard.sh" | sha256_of | sed 's/  .*\//  /'
	} | openssl dgst -sha256 -r | cut -c1-64
}

# Set up the run directory RUN for a sharded night: the inputs' hash first
# (the key needs it), then the work directory $RUNS/shards — kept when its
# key is this night's, else made anew — linked as RUN/shards.
shard_setup() {
	local run=$1 key work="$RUNS/shards"
	(hash_inputs) >"$run/inputs.sha256.tmp" && mv -- "$run/inputs.sha256.tmp" "$run/inputs.sha256" ||
		die 74 "$run: cannot hash the inputs"
	key=$(cd -- "$run" && shard_key) || die 74 "cannot compute the shards' key"
	if [ "$(cat -- "$work/KEY" 2>/dev/null)" != "$key" ]; then
		rm -rf -- "$work"
		mkdir -p -- "$work" && cp -R -- "$run/contract" "$work/contract" &&
			printf 'shards\t%s\nextract\t%s\nroster\t%s\nmax_rejects\t%s\n' "$VBR_SHARDS" "$key" \
				"$VBR_IN_ROSTER" "${VBR_MAX_REJECTS:-}" >"$work/settings" &&
			printf '%s\n' "$key" >"$work/KEY" || die 74 "$work: cannot make the shard work directory"
	else
		say "resuming the shards of a failed night in $work"
	fi
	ln -s -- "$(cd -- "$work" && pwd -P)" "$run/shards" || die 74 "$run: cannot link the shards"
	export VBR_SHARD_KEY=$key
}

# MANIFEST: what the run was, one "field<TAB>value" per line
manifest() {
	local v
	v=$("$VBR_BIN/settle" --version) || exit 70
	printf 'tool\tvbr %s\n' "${v##* }"
	printf 'started\t%s\n' "$VBR_STARTED"
	printf 'finished\t%s\n' "$(now)"
	printf 'extract\t%s\n' "$(basename -- "$VBR_EXTRACT")"
	printf 'extract_kind\t%s\n' "$([ -d "$VBR_EXTRACT" ] && echo directory || echo archive)"
	printf 'extract_path\t%s\n' "$VBR_EXTRACT"
	printf 'ext\t%s\n' "$VBR_EXT"
	printf 'seed\t%s\n' "$VBR_SEED"
	printf 'iterations\t%s\n' "$VBR_ITERATIONS"
	printf 'scenarios\t%s\n' "$VBR_SCENARIOS"
	printf 'max_rejects\t%s\n' "${VBR_MAX_REJECTS:-}"
	printf 'title\t%s\n' "$VBR_TITLE"
	printf 'shards\t%s\n' "$VBR_SHARDS"
	[ "$VBR_SHARDS" = 1 ] || printf 'engine\t%s\n' "$VBR_ENGINE"
	for v in contract/*; do printf 'contract\t%s\n' "${v#contract/}"; done
	while IFS= read -r v; do printf 'input\t%s\t%s\n' "${v%%  *}" "${v#*  }"; done <inputs.sha256
}

# ---- the night ----

# The side files a run may have: variable and the name of its copy in the
# run's contract/ directory (EXTRACT_ACCOUNTING: how the extract was made,
# put first in accounting.txt).
SIDE_FILES="TERMS:terms.tsv ORG_TERMS:org-terms.tsv CODES:codes.tsv HISTORY:history.tsv
PRIOR:prior.tsv PRICING:pricing.tsv EXCLUDE_DX:exclude-dx.tsv EXTRACT_ACCOUNTING:extract-accounting.txt
ASSIGNMENT:assignment.tsv"

check_settings() {
	[ -n "${VBR_EXTRACT:-}" ] && [ -n "${VBR_TERMS:-}" ] ||
		die 64 "give EXTRACT=DIR-OR-ARCHIVE and TERMS=FILE"
	[ -e "$VBR_EXTRACT" ] || die 66 "$VBR_EXTRACT: no such extract"
	case $VBR_EXT in tsv | tsv.gz) ;; *) die 64 "EXT: '$VBR_EXT' is not tsv or tsv.gz" ;; esac
	count SEED "$VBR_SEED"
	count ITERATIONS "$VBR_ITERATIONS"
	count SCENARIOS "$VBR_SCENARIOS"
	count KEEP "$VBR_KEEP"
	[ "$VBR_KEEP" -ge 1 ] || die 64 "KEEP: keep at least the published run (1)"
	[ -z "${VBR_MAX_REJECTS:-}" ] || count MAX_REJECTS "$VBR_MAX_REJECTS"
	count SHARDS "$VBR_SHARDS"
	VBR_SHARDS=$((10#$VBR_SHARDS))
	[ "$VBR_SHARDS" -ge 1 ] && [ "$VBR_SHARDS" -le 1024 ] || die 64 "SHARDS: $VBR_SHARDS is not from 1 to 1024"
	if [ "$VBR_SHARDS" -gt 1 ]; then
		case $VBR_ENGINE in
		parallel) command -v parallel >/dev/null || die 69 "ENGINE=parallel: GNU parallel is not installed (Debian package parallel)" ;;
		slurm) command -v sbatch >/dev/null || die 69 "ENGINE=slurm: sbatch is not installed (Debian package slurm-wlm)" ;;
		*) die 64 "ENGINE: '$VBR_ENGINE' is not parallel or slurm" ;;
		esac
		[ -z "${VBR_HOSTS:-}" ] || [ "$VBR_ENGINE" = parallel ] || die 64 "HOSTS: only for ENGINE=parallel"
		one_line HOSTS "${VBR_HOSTS:-}"
	fi
	one_line TITLE "$VBR_TITLE"
	one_line EXTRACT "$VBR_EXTRACT"
	local e v
	for e in $SIDE_FILES; do
		v=VBR_${e%%:*}
		[ -z "${!v:-}" ] || [ -r "${!v}" ] || die 66 "${e%%:*}: ${!v}: cannot read it"
	done
	[ -x "$VBR_BIN/settle" ] || die 66 "BIN: $VBR_BIN/settle: no such tool (build with make)"
	# the whole terms file, against every term's type, choices and range,
	# before any data is read
	"$VBR_BIN/settle" --check-terms --terms "$VBR_TERMS" \
		${VBR_ORG_TERMS:+--org-terms "$VBR_ORG_TERMS"} || exit $?
}

# Take OUT's lock or exit 75 naming its holder. The lock is held by file
# descriptor 9 of this process and every stage it starts, and ends with
# them (flock(1)): a run killed with -9 leaves no stale lock.
take_lock() {
	exec 9>>"$VBR_OUT.lock" || die 74 "$VBR_OUT.lock: cannot open the lock file"
	if ! flock -n 9; then
		die 75 "$VBR_OUT is being written by another run ($(cat -- "$VBR_OUT.lock" 2>/dev/null || echo '?')); try again later"
	fi
	printf 'pid %s on %s, started %s\n' "$$" "$(uname -n)" "$(now)" >"$VBR_OUT.lock" 2>/dev/null || :
}

# Point OUT at runs/ID: a new symlink renamed over the old one (rename(2)),
# so OUT is at every instant either last night's run or tonight's, whole.
publish() {
	local id=$1 link
	link="$VBR_OUT.link.$$"
	rm -f -- "$link"
	ln -s -- "$(basename -- "$VBR_OUT").runs/$id" "$link" || return 74
	if [ -d "$VBR_OUT" ] && [ ! -L "$VBR_OUT" ]; then
		# OUT from before runs/: set aside, never pruned (not a run of ours)
		mv -- "$VBR_OUT" "$RUNS/previous-$(date -u +%Y%m%dT%H%M%SZ)" || return 74
	fi
	mv -T -- "$link" "$VBR_OUT" || { rm -f -- "$link"; return 74; }
}

# Remove published runs beyond the KEEP newest (IDs begin with the start
# time to the nanosecond, so a reversed name order is newest first; two runs
# in one second used to sort by pid, which wraps), never the one OUT shows,
# and failed runs' logs beyond the 10 newest.
prune() {
	local current keep=$VBR_KEEP n=0 d
	current=$(readlink -- "$VBR_OUT")
	current=${current##*/}
	for d in $(ls -1r -- "$RUNS" | grep -v '\.partial$\|\.failed\.log$\|^previous-\|^shards$'); do
		[ "$d" = "$current" ] && { n=$((n + 1)); continue; }
		n=$((n + 1))
		[ "$n" -gt "$keep" ] && rm -rf -- "${RUNS:?}/$d"
	done
	n=0
	for d in $(ls -1r -- "$RUNS" | grep '\.failed\.log$'); do
		n=$((n + 1))
		[ "$n" -gt 10 ] && rm -f -- "${RUNS:?}/$d"
	done
	:
}

nightly() {
	check_settings
	VBR_EXTRACT=$(abs "$VBR_EXTRACT")
	VBR_BIN=$(abs "$VBR_BIN")
	export VBR_PIPELINES
	VBR_PIPELINES=$(abs "${VBR_PIPELINES%/}")
	RUNS="$VBR_OUT.runs"
	mkdir -p -- "$RUNS" || die 74 "$RUNS: cannot create it"
	take_lock
	# we hold the lock: any staging directory left is a killed run's
	rm -rf -- "$RUNS"/*.partial
	local id run rc st failed
	id="$(date -u +%Y%m%dT%H%M%S.%NZ)-$$"
	run="$RUNS/$id.partial"
	export VBR_STARTED
	# a rerun re-derives the statement as of the run it checks (its MANIFEST)
	VBR_STARTED=${VBR_RERUN_STARTED:-$(now)}
	mkdir -p -- "$run/contract" || die 74 "$run: cannot create the run directory"
	# the stages read copies of the contract's files, which the run keeps
	local e v
	for e in $SIDE_FILES; do
		v=VBR_${e%%:*}
		if [ -n "${!v:-}" ]; then
			cp -- "${!v}" "$run/contract/${e#*:}" || { rm -rf -- "$run"; die 74 "$run: cannot copy ${!v}"; }
			export "$v=$(abs "$run")/contract/${e#*:}"
		fi
	done
	[ -z "${VBR_MAX_REJECTS:-}" ] || mkdir -p -- "$run/rejects"
	# completion_method chain_ladder in the terms file: complete(1) runs,
	# and cap-large-claims multiplies by its development factors
	export VBR_COMPLETE
	VBR_COMPLETE=$(awk -F'\t' '$1 == "completion_method" && $2 == "chain_ladder" { print 1 }' \
		"$VBR_TERMS")
	inputs_of_extract
	export VBR_EXTRACT VBR_BIN VBR_EXT VBR_SEED VBR_ITERATIONS VBR_SCENARIOS VBR_TITLE VBR_SHARDS \
		VBR_ENGINE VBR_HOSTS
	[ "$VBR_SHARDS" = 1 ] || shard_setup "$run"
	printf '%s nightly: started, extract %s\n' "$VBR_STARTED" "$VBR_EXTRACT" >"$run/run.log" 2>/dev/null
	# the stages; a failing one writes "NAME STATUS" to descriptor 7, a
	# pipe into this shell's memory, so it is heard on a full disk too
	rc=0
	failed=$(VBR_STAGE=1 "${VBR_MAKE:-make}" --no-print-directory -C "$run" \
		-f "$VBR_PIPELINES/reconcile.mk" stage 7>&1 >&2) || rc=$?
	if [ "$rc" -ne 0 ]; then
		failed=${failed%%$'\n'*}
		case $failed in *' '[1-9]*) ;; *) failed="a stage $rc" ;; esac
		st=${failed##* }
		# keep the failed run's log if the disk lets us, then free its space
		printf '%s nightly: %s failed with exit status %s\n' "$(now)" "${failed% *}" "$st" \
			>>"$run/run.log" 2>/dev/null &&
			mv -- "$run/run.log" "$RUNS/$id.failed.log" 2>/dev/null
		rm -rf -- "$run"
		[ "$VBR_SHARDS" = 1 ] || say "the shards done are kept in $RUNS/shards for the next run"
		if [ -L "$VBR_OUT" ]; then
			say "${failed% *} failed with exit status $st; nothing published; $VBR_OUT still holds $(readlink -- "$VBR_OUT")"
		else
			say "${failed% *} failed with exit status $st; nothing published"
		fi
		exit "$st"
	fi
	rm -f -- "$run/shards"
	mv -T -- "$run" "$RUNS/$id" || { rm -rf -- "$run"; die 74 "$RUNS/$id: cannot finish the run"; }
	if ! publish "$id"; then
		rm -rf -- "${RUNS:?}/$id"
		die 74 "$VBR_OUT: cannot publish the run; $VBR_OUT is as it was"
	fi
	printf '%s nightly: published as %s\n' "$(now)" "$VBR_OUT" >>"$RUNS/$id/run.log" 2>/dev/null
	# published: the shards are intermediate, and the next night splits anew
	rm -rf -- "$RUNS/shards"
	prune
	tell "published $VBR_OUT ($(($(wc -l <"$RUNS/$id/settlement.tsv") - 1)) settlement rows)"
}

# ---- the audit bundle: what OUT published ----

# One tar.gz: audit/MANIFEST, audit/contract/ (the terms and side files the
# run read), audit/inputs/NAME (the extract, checked against the sha256 the
# run recorded), audit/outputs/ (the published run), audit/SHA256SUMS over
# all of them and, with SIGNING_KEY, audit/SIGNATURE (Ed25519 over
# SHA256SUMS). Sorted members, no owner, no date: the same run bundles to
# the same bytes.
audit() {
	local out audit d name path kind
	[ -e "$VBR_OUT/MANIFEST" ] || die 66 "$VBR_OUT: no published run to bundle (run the nightly first)"
	out=$(cd -- "$VBR_OUT" && pwd -P) || die 66 "$VBR_OUT: cannot read it"
	audit=${VBR_AUDIT:-$VBR_OUT.audit.tar.gz}
	get() { manifest_field "$out/MANIFEST" "$1"; }
	name=$(get extract)
	path=$(get extract_path)
	kind=$(get extract_kind)
	d="$audit.d"
	rm -rf -- "$d" && mkdir -p -- "$d/audit/inputs" || die 74 "$d: cannot create it"
	cp -R -- "$out" "$d/audit/outputs" && rm -f -- "$d/audit/outputs/MANIFEST" &&
		cp -- "$out/MANIFEST" "$d/audit/MANIFEST" &&
		mv -- "$d/audit/outputs/contract" "$d/audit/contract" || { rm -rf -- "$d"; die 74 "$d: cannot copy the run"; }
	if [ "$kind" = directory ]; then
		mkdir -p -- "$d/audit/inputs/$name"
		local n
		while IFS= read -r n; do
			case $n in '' | */* | . | ..) continue ;; esac
			cp -- "$path/$n" "$d/audit/inputs/$name/" ||
				{ rm -rf -- "$d"; die 66 "$path: the extract the run read is gone"; }
		done < <(awk -F'\t' '$1 == "input" { print $3 }' "$out/MANIFEST")
	else
		cp -- "$path" "$d/audit/inputs/$name" || { rm -rf -- "$d"; die 66 "$path: the extract the run read is gone"; }
	fi
	# the extract must be the bytes the run read
	local want got
	want=$(awk -F'\t' '$1 == "input" { print $2 "  " $3 }' "$out/MANIFEST")
	if [ "$kind" = directory ]; then
		got=$(cd -- "$d/audit/inputs/$name" && ls -1 | LC_ALL=C sort | sha256_of)
	else
		got=$(cd -- "$d/audit/inputs" && printf '%s\n' "$name" | sha256_of)
	fi
	if [ "$(printf '%s\n' "$want" | LC_ALL=C sort)" != "$(printf '%s\n' "$got" | LC_ALL=C sort)" ]; then
		rm -rf -- "$d"
		die 65 "$path: the extract changed since the run published in $VBR_OUT; nothing bundled"
	fi
	(cd -- "$d/audit" && find . -type f -printf '%P\n' | LC_ALL=C sort | sha256_of >../SHA256SUMS) &&
		mv -- "$d/SHA256SUMS" "$d/audit/SHA256SUMS" || { rm -rf -- "$d"; die 74 "$d: cannot write SHA256SUMS"; }
	if [ -n "${VBR_SIGNING_KEY:-}" ]; then
		openssl pkeyutl -sign -inkey "$VBR_SIGNING_KEY" -rawin -in "$d/audit/SHA256SUMS" \
			-out "$d/audit/SIGNATURE" 2>"$d/err" ||
			{ sed 's/^/reconcile: signing: /' "$d/err" >&2; rm -rf -- "$d"; die 64 "SIGNING_KEY: cannot sign with $VBR_SIGNING_KEY (an Ed25519 private key in PEM)"; }
		rm -f -- "$d/err"
	fi
	tar -C "$d" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -czf "$audit.tmp" audit ||
		{ rm -rf -- "$d" "$audit.tmp"; die 74 "$audit: cannot write the bundle"; }
	rm -rf -- "$d"
	mv -- "$audit.tmp" "$audit" || die 74 "$audit: cannot write the bundle"
	tell "audit bundle $audit ($(tar -tzf "$audit" | grep -vc '/$') files, $([ -n "${VBR_SIGNING_KEY:-}" ] && echo signed || echo unsigned))"
}

# ---- the audit rerun: only the bundle is needed ----

# A bundle is a stranger's file: before anything is unpacked, every member
# must be a regular file or a directory under audit/, with no '..'.
check_members() {
	tar -tvzf "$1" >"$2" 2>/dev/null || return 1
	awk '{ t = substr($1, 1, 1); n = $6; for (i = 7; i <= NF; i++) n = n " " $i
	       if ((t != "-" && t != "d") || n !~ /^audit(\/|$)/ || n ~ /(^|\/)\.\.(\/|$)/) bad++ }
	     END { exit bad > 0 }' "$2"
}

rerun() {
	local audit=${VBR_AUDIT:-} rr m v trust
	[ -n "$audit" ] && [ -f "$audit" ] || die 66 "rerun needs AUDIT=FILE (an audit bundle)"
	rr="$audit.rerun"
	rm -rf -- "$rr" && mkdir -p -- "$rr" || die 74 "$rr: cannot create it"
	RERUN_DIR=$rr
	trap 'rm -rf -- "$RERUN_DIR"' EXIT
	check_members "$audit" "$rr/list" ||
		die 65 "$audit: not an audit bundle (a member that is not a plain file under audit/)"
	tar -xzf "$audit" -C "$rr" --no-same-owner --no-same-permissions 2>"$rr/err" ||
		die 74 "$audit: not a readable audit bundle"
	# 1. every file is listed in SHA256SUMS, with the sum it has
	(cd -- "$rr/audit" && [ -f SHA256SUMS ] && sha256sum --quiet --strict -c SHA256SUMS) >"$rr/check" 2>&1 ||
		{ sed 's/^/reconcile: bundle altered: /' "$rr/check" >&2; die 65 "$audit: bundle altered"; }
	local extra
	extra=$(cd -- "$rr/audit" && find . -type f ! -name SHA256SUMS ! -name SIGNATURE -printf '%P\n' | LC_ALL=C sort |
		LC_ALL=C comm -23 - <(sed 's/^[0-9a-f]*  //' SHA256SUMS | LC_ALL=C sort))
	[ -z "$extra" ] || die 65 "$audit: bundle altered: files not in SHA256SUMS: $(printf '%s' "$extra" | tr '\n' ' ')"
	# 2. the signature, when a public key is given
	if [ -n "${VBR_PUBKEY:-}" ]; then
		[ -f "$rr/audit/SIGNATURE" ] || die 65 "$audit: not signed, and PUBKEY asks for a signature"
		openssl pkeyutl -verify -pubin -inkey "$VBR_PUBKEY" -rawin -in "$rr/audit/SHA256SUMS" \
			-sigfile "$rr/audit/SIGNATURE" >/dev/null 2>&1 ||
			die 65 "$audit: the signature does not verify with $VBR_PUBKEY: not the bundle its signer made"
		trust="signed: the signature verifies with $VBR_PUBKEY"
	elif [ -f "$rr/audit/SIGNATURE" ]; then
		trust="signed, but no PUBKEY was given to verify it: consistent with itself only"
	else
		trust="unsigned: consistent with itself only"
	fi
	# 3. the run again, from the bundle's inputs and contract, its settings
	m="$rr/audit/MANIFEST"
	get() { manifest_field "$m" "$1"; }
	v=$("$VBR_BIN/settle" --version)
	[ "$(get tool)" = "vbr ${v##* }" ] || say "bundled by $(get tool), rerun by vbr ${v##* }"
	local name
	name=$(get extract)
	case $name in '' | . | .. | */*) die 65 "$audit: MANIFEST: extract '$name' is not a file name" ;; esac
	export VBR_EXTRACT="$rr/audit/inputs/$name" VBR_EXT VBR_SEED VBR_ITERATIONS VBR_SCENARIOS VBR_TITLE
	VBR_EXT=$(get ext) VBR_SEED=$(get seed) VBR_ITERATIONS=$(get iterations)
	VBR_SCENARIOS=$(get scenarios) VBR_TITLE=$(get title) VBR_MAX_REJECTS=$(get max_rejects)
	# a sharded run is re-derived with as many shards, here, on GNU parallel
	export VBR_SHARDS VBR_ENGINE=parallel
	VBR_SHARDS=$(get shards)
	VBR_SHARDS=${VBR_SHARDS:-1}
	unset VBR_HOSTS
	export VBR_RERUN_STARTED
	VBR_RERUN_STARTED=$(get started)
	local e
	for e in $SIDE_FILES; do
		v=VBR_${e%%:*}
		if [ -f "$rr/audit/contract/${e#*:}" ]; then
			export "$v=$rr/audit/contract/${e#*:}"
		else
			unset "$v"
		fi
	done
	[ -n "${VBR_TERMS:-}" ] || die 65 "$audit: no contract/terms.tsv"
	VBR_OUT="$rr/rederived" VBR_KEEP=1
	(nightly) >/dev/null 2>"$rr/log" || { v=$?; cat "$rr/log" >&2; die "$v" "the rerun failed"; }
	# 4. every output re-derived equals the bundled one, byte for byte
	local f n=0 diffs=""
	while IFS= read -r f; do
		n=$((n + 1))
		if ! cmp -s -- "$rr/audit/outputs/$f" "$rr/rederived/$f"; then
			diffs="$diffs $f"
			diff -- "$rr/audit/outputs/$f" "$rr/rederived/$f" 2>&1 | head -n 10 |
				while IFS= read -r v; do say "differs: $f: $v"; done
		fi
	done < <(cd -- "$rr/audit/outputs" && find . -type f ! -name SHA256SUMS ! -name run.log -printf '%P\n' |
		LC_ALL=C sort)
	[ -z "$diffs" ] || die 65 "$audit: re-derived outputs differ:$diffs"
	tell "rerun of $audit: $n outputs re-derived, every byte identical; $trust"
}

clean() {
	rm -rf -- "$VBR_OUT" "$VBR_OUT.runs" "$VBR_OUT.lock" "${VBR_AUDIT:-$VBR_OUT.audit.tar.gz}"
}

# claims-once N ATTRIBUTE... COHORT-SELECT...: the first stages of the
# one-machine run, the claims read once. attribute (its N words) makes
# attribution.tsv and, in the same pass over the claims, claim-sums.tsv
# (cap-large-claims --sum-only's bytes, --claim-sums); cohort-select
# reads the eligibility meanwhile (--eligibility-first: both cores work),
# then the attribution as attribute writes it, through tee(1), which also
# writes attribution.tsv (tee -p: a cohort-select that stopped does not
# stop it). cohort-select runs at a lower priority (nice 10): it takes
# mostly the cycles attribute's threads leave, so attribute is hardly
# slowed and cohort-select is done soon after it (nightly on the bench's
# extract: 3.00 s → 2.78 s, medians of 8; nice 19 gained about as much,
# but beside other work at nice 0 on a busy machine it would get about
# 1.5% of a core, nice 10 about 10%). Each stage as the stage macro of
# reconcile.mk runs it: -v, each output through OUT.tmp, started and done
# in run.log, the messages held in memory. Each tool's accounting lines go
# to its output's .log: the claim sums' are cap-large-claims' (its name,
# its words), so the run's accounting is the same bytes as when the stages
# ran one after another. The cohort is kept only if attribute and the
# copy succeeded and cohort-select read every row attribute wrote (its
# "read" count is attribute's "written"): never a cohort of part of an
# attribution. A stage that fails: its messages on standard error,
# "NAME STATUS" on descriptor 7, and no output moved into place (make
# removes a grouped target's outputs when its recipe fails).
claims_once() {
	local n=$1 e st sa sw sc written taken LC_ALL=C
	shift
	local attribute=("${@:1:n}") order=()
	shift "$n"
	# attribute writes in member order: cohort-select writes each member's
	# rows as they come (not with --exclude-dx, whose claims come after)
	[ -n "${VBR_EXCLUDE_DX:-}" ] || order=(--in-member-order)
	printf '%s attribute: started\n' "$(now)" >>run.log
	printf '%s cohort-select: started\n' "$(now)" >>run.log
	# the statuses, attribute's, the copy's and cohort-select's, as the
	# last line
	e=$( { "${attribute[@]}" --claim-sums claim-sums.tsv.tmp -v |
		tee -p attribution.tsv.tmp |
		nice -n 10 -- "$@" --eligibility-first "${order[@]}" -v - >cohort.tsv.tmp
		echo "status ${PIPESTATUS[0]} ${PIPESTATUS[1]} ${PIPESTATUS[2]}"; } 2>&1 )
	st=${e##*$'\n'}
	e=${e%"$st"}
	e=${e%$'\n'}
	read -r _ sa sw sc <<<"$st"
	if [ "$sa" -eq 0 ] && [ "$sw" -ne 0 ]; then
		sa=74                           # tee said why
	fi
	if [ "$sa" -ne 0 ]; then
		printf '%s\n' "$e" | grep -v '^cohort-select: ' >&2 || :
		echo "attribute $sa" >&7 || :
		exit "$sa"
	fi
	written=$(printf '%s\n' "$e" | sed -n 's/^attribute: read [0-9]*, written \([0-9]*\),.*/\1/p')
	taken=$(printf '%s\n' "$e" | sed -n 's/^cohort-select: read \([0-9]*\),.*/\1/p')
	if [ "$sc" -eq 0 ] && [ "$taken" != "$written" ]; then
		e+=$'\n'"cohort-select: read ${taken:-no} attribution rows of the ${written:-?} attribute wrote"
		sc=70
	fi
	if [ "$sc" -ne 0 ]; then
		printf '%s\n' "$e" | grep '^cohort-select: ' >&2 || :
		echo "cohort-select $sc" >&7 || :
		exit "$sc"
	fi
	printf '%s\n' "$e" | grep -v '^cap-large-claims: \|^cohort-select: ' >attribution.tsv.log || :
	printf '%s\n' "$e" | grep '^cap-large-claims: ' >claim-sums.tsv.log || :
	printf '%s\n' "$e" | grep '^cohort-select: ' >cohort.tsv.log || :
	mv -- attribution.tsv.tmp attribution.tsv
	mv -- claim-sums.tsv.tmp claim-sums.tsv
	printf '%s attribute: done\n' "$(now)" >>run.log
	mv -- cohort.tsv.tmp cohort.tsv
	printf '%s cohort-select: done\n' "$(now)" >>run.log
}

case ${1:-} in
nightly) nightly ;;
audit) audit ;;
rerun) rerun ;;
clean) clean ;;
hash-inputs) hash_inputs ;;
check-run) check_run ;;
manifest) manifest ;;
sha256) sha256_of "${2:-}" ;;
fan-out) fan_out "${2:-}" ;;
shard-accounting) shard_accounting ;;
claims-once) shift; claims_once "$@" ;;
*) die 64 "usage: reconcile.sh nightly|audit|rerun|clean (run by pipelines/reconcile.mk)" ;;
esac
