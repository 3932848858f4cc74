#!/bin/bash
# shard.sh — one shard's job in a sharded reconciliation (vbr-pipelines(7)):
# the per-member stages on shard K of the shard work directory WORK. GNU
# parallel runs it, on this machine or over ssh, or Slurm runs it as an
# array task. It reads and writes only under WORK and runs the tools in BIN;
# both, and the extract's roster, are at the same path on every host (a
# shared file system).
#
#   shard.sh BIN WORK ROUND [K]
#
# ROUND is triangle (complete(1)'s lag triangle of the shard's claims) or
# members (attribute, cohort-select, cap-large-claims --sum-only; without
# completion factors attribute makes the claim sums in its own pass over
# the shard's claims, --claim-sums, so they are read once). K is the
# shard; a Slurm array task takes it from SLURM_ARRAY_TASK_ID. WORK/settings
# holds the run's settings as "name<TAB>value" lines (shards, extract,
# roster, max_rejects), read as data; WORK/contract/ the contract's files.
#
# Each output of shard K is written as WORK/K/NAME.tsv.gz with its label,
# by partition --shard K, which refuses a record of another shard. The last
# thing the job does is write WORK/K/ROUND.done, a copy of the label of the
# shard's claims it ran on; on failure it writes WORK/K/ROUND.status (the
# exit status) and WORK/K/ROUND.err (what the stage printed) instead.
set -uo pipefail
umask 022

[ $# -ge 3 ] || { echo "usage: shard.sh BIN WORK ROUND [K]" >&2; exit 64; }
BIN=$1 W=$2 ROUND=$3 K=${4:-${SLURM_ARRAY_TASK_ID:-}}
case $K in '' | *[!0-9]*) echo "shard.sh: '$K' is not a shard number" >&2; exit 64 ;; esac
case $ROUND in triangle | members) ;; *) echo "shard.sh: '$ROUND' is not a round" >&2; exit 64 ;; esac
S="$W/$K"
[ -f "$S/claims.shard" ] || { echo "shard.sh: $S: no such shard" >&2; exit 66; }

setting() { awk -F'\t' -v k="$1" '$1 == k { print substr($0, length(k) + 2); exit }' "$W/settings"; }
N=$(setting shards) KEY=$(setting extract) ROSTER=$(setting roster) MAX=$(setting max_rejects)
C="$W/contract"
rm -f -- "$S/$ROUND.done" "$S/$ROUND.status" "$S/$ROUND.err"
[ -z "$MAX" ] || mkdir -p -- "$S/rejects"

# fail LOG STATUS TOOL: keep what the stage said (LOG.log) and its status,
# and exit with it
fail() {
	cp -- "$S/$1.log" "$S/$ROUND.err" 2>/dev/null
	printf '%s\n' "$2" >"$S/$ROUND.status"
	echo "shard $K: ${3:-$1} failed with exit status $2 (its messages: $S/$ROUND.err)" >&2
	exit "$2"
}

# label NAME: standard input, a tool's output, labelled as shard K's
# NAME.tsv.gz (partition refuses a record of another shard); its
# accounting in NAME.accounting, its messages in NAME.partition.err
label() {
	"$BIN/partition" --shards "$N" --shard "$K" --extract "$KEY" --name "$1" -o "$W" \
		>"$S/$1.accounting" 2>"$S/$1.partition.err"
}

# labelled NAME STATUS: partition's status for NAME's output; a failure's
# messages join NAME.log and end the job
labelled() {
	if [ "$2" -ne 0 ]; then
		cat -- "$S/$1.partition.err" >>"$S/$1.log"
		fail "$1" "$2" partition
	fi
	rm -f -- "$S/$1.partition.err"
}

# run NAME TOOL ARGS...: the tool on this shard with -v, its accounting and
# messages in NAME.log; its output labelled as shard K's NAME.tsv.gz
run() {
	local name=$1
	shift
	"$@" -v 2>"$S/$name.log" | label "$name"
	local st=("${PIPESTATUS[@]}")
	[ "${st[0]}" -eq 0 ] || fail "$name" "${st[0]}" "${1##*/}"
	labelled "$name" "${st[1]}"
}

# claims_once ATTRIBUTE ARGS...: attribute with the claim sums of
# cap-large-claims --sum-only made in the same pass (--claim-sums, to a
# file of the shard's, then labelled: they are a few rows a member), each
# output labelled as run labels one; the claim sums' accounting lines are
# cap-large-claims' (its name, its words) and go to claim-sums.log, the
# rest to attribution.log, as when cap-large-claims summed (reconcile.sh
# claims-once splits them the same way)
claims_once() {
	local st LC_ALL=C
	"$@" --claim-sums "$S/claim-sums.raw" -v 2>"$S/claims-once.log" | label attribution
	st=("${PIPESTATUS[@]}")
	grep -v '^cap-large-claims: ' "$S/claims-once.log" >"$S/attribution.log"
	grep '^cap-large-claims: ' "$S/claims-once.log" >"$S/claim-sums.log"
	if [ "${st[0]}" -ne 0 ]; then
		cp -- "$S/claims-once.log" "$S/attribution.log"
		fail attribution "${st[0]}" attribute
	fi
	rm -f -- "$S/claims-once.log"
	labelled attribution "${st[1]}"
	label claim-sums <"$S/claim-sums.raw"
	labelled claim-sums $?
	rm -f -- "$S/claim-sums.raw"
}

# rejects NAME: --rejects and --max-rejects when MAX_REJECTS was given
rejects() { [ -z "$MAX" ] || printf '%s\n' --rejects "$S/rejects/$1.tsv" --max-rejects "$MAX"; }
mapfile -t RA < <(rejects attribute)
mapfile -t RC < <(rejects cohort-select)
mapfile -t RS < <(rejects cap-large-claims-sums)
mapfile -t RT < <(rejects complete)
T=(--terms "$C/terms.tsv")

case $ROUND in
triangle)
	"$BIN/complete" "${T[@]}" --triangle "$S/triangle.tsv.tmp" "${RT[@]}" "$S/claims.tsv.gz" -v \
		>/dev/null 2>"$S/complete.log" || fail complete $?
	mv -- "$S/triangle.tsv.tmp" "$S/triangle.tsv" || fail complete 74
	;;
members)
	if [ -f "$C/assignment.tsv" ]; then
		ATTRIBUTION="$S/assignment.tsv.gz"
	else
		CODES=()
		[ ! -f "$C/codes.tsv" ] || CODES=(--codes "$C/codes.tsv")
		ATTRIBUTE=("$BIN/attribute" --roster "$ROSTER" "${CODES[@]}" "${T[@]}" "${RA[@]}")
		if [ ! -f "$W/completion.tsv" ]; then
			RCS=()
			[ -z "$MAX" ] || RCS=(--claim-sums-rejects "$S/rejects/cap-large-claims-sums.tsv")
			claims_once "${ATTRIBUTE[@]}" "${RCS[@]}" "$S/claims.tsv.gz"
			SUMMED=1
		else
			run attribution "${ATTRIBUTE[@]}" "$S/claims.tsv.gz"
		fi
		ATTRIBUTION="$S/attribution.tsv.gz"
	fi
	DX=()
	[ ! -f "$C/exclude-dx.tsv" ] || DX=(--exclude-dx "$C/exclude-dx.tsv" --claims "$S/claims.tsv.gz")
	run cohort "$BIN/cohort-select" --eligibility "$S/eligibility.tsv.gz" "${DX[@]}" "${T[@]}" \
		"${RC[@]}" "$ATTRIBUTION"
	COMPLETION=()
	[ ! -f "$W/completion.tsv" ] || COMPLETION=(--completion "$W/completion.tsv")
	[ -n "${SUMMED:-}" ] || run claim-sums "$BIN/cap-large-claims" --sum-only "${T[@]}" \
		"${COMPLETION[@]}" "${RS[@]}" "$S/claims.tsv.gz"
	;;
esac
cp -- "$S/claims.shard" "$S/$ROUND.done.tmp" && mv -- "$S/$ROUND.done.tmp" "$S/$ROUND.done" ||
	{ echo 74 >"$S/$ROUND.status"; echo "shard $K: cannot write $S/$ROUND.done" >&2; exit 74; }
