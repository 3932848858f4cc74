# pipelines/reconcile.mk: the nightly run over a directory and over an
# archive of gzipped extracts, make -j2, the MANIFEST and run log, the
# audit bundle of what was published and its rerun, tampered and forged
# bundles, signatures, hostile names, a failing night, the lock, kill -9,
# a full disk, a run that measured nothing, the terms checked first, and
# the contract's side files passed through.
. "$(dirname "$0")/../lib.sh"

M() { make -s --no-print-directory -f "$ROOT/pipelines/reconcile.mk" BIN="$BIN" "$@"; }
cd "$T" || exit 2
synth --members 300 --seed 5 -o ex >/dev/null
mkdir night
for f in claims eligibility roster factors quality; do gzip -9n -c "ex/$f.tsv" >"night/$f.tsv.gz"; done
cp ex/terms.tsv terms.tsv
# the data outputs of a run: what must be the same bytes from run to run
DATA_OUTPUTS="attribution.tsv claim-sums.tsv cohort.tsv costs.tsv mix.tsv target.tsv settlement.tsv
simulation.tsv draws.tsv statement.txt statement.html accounting.txt inputs.sha256"
same_outputs() {  # DIR1 DIR2: every data output identical (the statements but for their run)
	for f in $DATA_OUTPUTS; do same_file "$1/$f" "$2/$f" || { echo "$f"; return 1; }; done
}
# same_file A B: the same bytes; a statement may differ only in its
# "Contract and run" header, which shows when its run started and the
# inputs' names and SHA-256 (a directory's files, or an archive)
same_file() {
	case $1 in
	*/statement.*) [ "$(no_run_header "$1")" = "$(no_run_header "$2")" ] ;;
	*) cmp -s "$1" "$2" ;;
	esac
}
no_run_header() {
	awk '/Contract and run/ { skip = 1 } /Programme summary|<nav class="contents">/ { skip = 0 } !skip' "$1"
}
# verify DIR: the published run is whole (every file has its recorded sum)
whole() { (cd "$1" && sha256sum --quiet --strict -c SHA256SUMS) >/dev/null 2>&1; }

case_ "nightly over a directory of gzipped extracts publishes every output"
run M EXTRACT=night TERMS=terms.tsv OUT=o ITERATIONS=200
expect_status 0
for f in $DATA_OUTPUTS MANIFEST SHA256SUMS run.log contract/terms.tsv; do
	[ -s "o/$f" ] || bad "no o/$f"
done
[ -L o ] || bad "OUT is not a symlink to its run"
case $(readlink o) in o.runs/[0-9]*T[0-9]*Z-[0-9]*) ;; *) bad "o points to $(readlink o)" ;; esac
expect_eq "$(ls o.runs | grep -c partial)" 0 "staging directories left"
expect_eq "$(find -L o -name '*.tmp' -o -name '*.log' ! -name run.log | wc -l)" 0 "temporary files"
whole o || bad "SHA256SUMS does not match the outputs"
# every file listed (the large outputs' sums were made early, in .sha256/,
# which is gone)
expect_eq "$(cd o && find . -type f ! -name SHA256SUMS ! -name run.log | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' ')" \
	"$(cut -c67- o/SHA256SUMS | tr '\n' ' ')" "the files SHA256SUMS lists"
[ ! -e o/.sha256 ] || bad "o/.sha256 published"
# settle's rows are what settle gives on the same inputs, run by hand
settle --total --terms terms.tsv --target o/target.tsv --quality night/quality.tsv.gz o/costs.tsv >by-hand.tsv
cmp -s by-hand.tsv o/settlement.tsv || bad "settlement.tsv differs from settle run by hand"
# the MANIFEST: tool version, settings, times, the inputs' sha256
expect_eq "$(sed -n 's/^tool\t//p' o/MANIFEST)" "vbr $(settle --version | sed 's/.* //')" "tool version"
expect_eq "$(grep -c '^started	[0-9-]*T[0-9:]*Z$' o/MANIFEST)$(grep -c '^finished	' o/MANIFEST)" 11 "start and end time"
expect_eq "$(sed -n 's/^input\t\([0-9a-f]*\)\tclaims.tsv.gz$/\1/p' o/MANIFEST)" \
	"$(sha256sum <night/claims.tsv.gz | cut -c1-64)" "claims sha256 in the MANIFEST"
cmp -s terms.tsv o/contract/terms.tsv || bad "the terms copy differs"
expect_eq "$(grep -c '^[0-9-]*T[0-9:]*Z settle: done$' o/run.log)" 1 "run log line of settle"
# cap-large-claims in two steps: --sum-only reads the claim lines,
# --from-sums the claim sums; the lines it sums plus those of members not
# in the cohort are every line the first step used
expect_eq "$(grep -c '^cap-large-claims: read' o/accounting.txt)" 2 "accounting lines"
used=$(grep -m1 '^cap-large-claims: read' o/accounting.txt | sed 's/.*used \([0-9]*\),.*/\1/')
split=$(grep 'claim lines summed' o/accounting.txt | sed 's/.*claim lines summed \([0-9]*\), claim lines of members not in the cohort \([0-9]*\).*/\1 + \2/')
expect_eq "$(echo "$split" | awk '{ print $1 + $3 }')" "$used" "claim lines summed + outside the cohort = claim lines used"
expect_eq "$(tail -n +2 o/claim-sums.tsv | awk -F'\t' '{ s += $5 } END { print s }')" "$used" "claims column of claim-sums.tsv"
done_case

case_ "the same extract as a tar archive, with make -j2: the same bytes"
(cd night && tar -cf ../night.tar ./*.tsv.gz)
run M -j2 EXTRACT=night.tar TERMS=terms.tsv OUT=oa ITERATIONS=200
expect_status 0
# inputs.sha256 names the archive, not its members: compare the rest
DATA_OUTPUTS=${DATA_OUTPUTS% inputs.sha256}
d=$(same_outputs o oa) || bad "archive run differs in $d"
DATA_OUTPUTS="$DATA_OUTPUTS inputs.sha256"
expect_eq "$(sed -n 's/^input\t\([0-9a-f]*\)\tnight.tar$/\1/p' oa/MANIFEST)" "$(sha256sum <night.tar | cut -c1-64)" "archive sha256"
done_case

case_ "a second night publishes a new run; the last KEEP runs are kept"
first=$(readlink o)
run M EXTRACT=night TERMS=terms.tsv OUT=o ITERATIONS=200 KEEP=2
expect_status 0
[ "$(readlink o)" != "$first" ] || bad "OUT still points to the first run"
d=$(same_outputs o "$first") || bad "the same inputs gave a different $d"
run M EXTRACT=night TERMS=terms.tsv OUT=o ITERATIONS=200 KEEP=2
expect_eq "$(ls o.runs | wc -l)" 2 "runs kept with KEEP=2"
[ -e "$first" ] && bad "the oldest run was not pruned"
done_case


case_ "audit bundles the published run; the rerun from the bundle alone passes"
run M audit OUT=o AUDIT=audit.tar.gz
expect_status 0
expect_eq "$(tar -tzf audit.tar.gz | grep -c '^audit/\(MANIFEST\|SHA256SUMS\|contract/terms.tsv\|inputs/night/claims.tsv.gz\|outputs/settlement.tsv\|outputs/statement.html\|outputs/run.log\)$')" 7 "bundle members"
# the bundled outputs are the published files, not a second run's
tar -xzOf audit.tar.gz audit/outputs/settlement.tsv | cmp -s - o/settlement.tsv || bad "bundled settlement differs from the published one"
tar -xzOf audit.tar.gz audit/MANIFEST | cmp -s - o/MANIFEST || bad "bundled MANIFEST differs"
mv night night.gone; mv terms.tsv terms.gone      # the rerun needs nothing but the bundle
run M rerun AUDIT=audit.tar.gz
expect_status 0
expect_err ""
expect_eq "$(cat "$T/out")" "reconcile: rerun of audit.tar.gz: 13 outputs re-derived, every byte identical; unsigned: consistent with itself only" "message"
mv night.gone night; mv terms.gone terms.tsv
[ -e audit.tar.gz.rerun ] && bad "the rerun left its directory"
done_case

case_ "audit refuses an extract that changed since the run it published"
cp -R night night2
run M EXTRACT=night2 TERMS=terms.tsv OUT=o2 ITERATIONS=200
gzip -dc night2/claims.tsv.gz | sed '2d' | gzip -9n >c && mv c night2/claims.tsv.gz
run M audit OUT=o2 AUDIT=a2.tar.gz
[ "$status" -ne 0 ] || bad "a changed extract was bundled"
expect_err_has "night2: the extract changed since the run published in o2; nothing bundled"
[ -e a2.tar.gz ] && bad "a bundle was written"
done_case

# tamper EDIT [resum]: unpack the bundle, run EDIT in it, optionally record
# the new sums (a forger who also rewrites SHA256SUMS), pack it as bad.tar.gz
tamper() {
	rm -rf tam && mkdir tam && tar -xzf "${3:-audit.tar.gz}" -C tam
	(cd tam/audit && eval "$1")
	if [ -n "${2:-}" ]; then
		(cd tam/audit && find . -type f ! -name SHA256SUMS ! -name SIGNATURE -printf '%P\n' | LC_ALL=C sort |
			xargs sha256sum >SHA256SUMS)
	fi
	tar -czf bad.tar.gz -C tam audit
}

case_ "a tampered bundle fails the rerun"
# one member-month count of the settlement changed
tamper "sed -i '2s/^\([^\t]*\t[^\t]*\t\)[0-9]*/\19999/' outputs/settlement.tsv"
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "an altered output passed"
expect_err_has "reconcile: bundle altered: outputs/settlement.tsv: FAILED"
# the same, with SHA256SUMS rewritten to match: re-derivation catches it
tamper "sed -i '2s/^\([^\t]*\t[^\t]*\t\)[0-9]*/\19999/' outputs/settlement.tsv" resum
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "an altered output with matching sums passed"
expect_err_has "reconcile: differs: settlement.tsv:"
# an input changed (its first 100 claim lines dropped) and the sums rewritten
tamper "gzip -dc inputs/night/claims.tsv.gz | sed '2,101d' | gzip -9n >c && mv c inputs/night/claims.tsv.gz" resum
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "an altered input with matching sums passed"
expect_err_has "reconcile: differs:"
# a file added that SHA256SUMS does not list
tamper "echo x >outputs/extra.tsv"
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "an unlisted file passed"
expect_err_has "files not in SHA256SUMS: outputs/extra.tsv"
[ -e bad.tar.gz.rerun ] && bad "the failed rerun left its directory"
done_case

case_ "a hostile MANIFEST title is data: no command runs"
# a forger puts a command in the title and rewrites the sums; the rerun
# passes the title to report as text, so the statements differ (65) and
# nothing is executed
export EVIL="x' \`touch owned\` \$(touch owned2) '"
tamper 'awk -F"\t" -v OFS="\t" -v t="$EVIL" "\$1 == \"title\" { \$2 = t } 1" MANIFEST >m && mv m MANIFEST' resum
expect_eq "$(sed -n 's/^title\t//p' tam/audit/MANIFEST)" "$EVIL" "the forged title"
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "a changed title passed"
expect_err_has "reconcile: differs: statement.txt:"
expect_eq "$(find . -name 'owned*' | wc -l)" 0 "files a command made"
# and a MANIFEST extract name that climbs out of the bundle
tamper "sed -i 's/^extract\tnight$/extract\t..\/..\/night/' MANIFEST" resum
run M rerun AUDIT=bad.tar.gz
[ "$status" -ne 0 ] || bad "an extract name with .. passed"
expect_err_has "MANIFEST: extract '../../night' is not a file name"
done_case

case_ "a bundle with a link or a path outside audit/ is not unpacked"
rm -rf tam && mkdir tam && tar -xzf audit.tar.gz -C tam && ln -s /etc tam/audit/inputs/etc
tar -czf bad.tar.gz -C tam audit
run M rerun AUDIT=bad.tar.gz
expect_status 2
expect_err_has "not an audit bundle (a member that is not a plain file under audit/)"
mkdir -p tam2/x && echo owned >tam2/x/evil && tar -czf bad.tar.gz -C tam2 x
run M rerun AUDIT=bad.tar.gz
expect_err_has "not an audit bundle"
[ -e x ] && bad "a member outside audit/ was unpacked"
done_case

case_ "signed bundles: verified with PUBKEY; a forged bundle fails; unsigned is said plainly"
openssl genpkey -algorithm ed25519 -out signer.pem 2>/dev/null
openssl pkey -in signer.pem -pubout -out signer.pub
openssl genpkey -algorithm ed25519 -out forger.pem 2>/dev/null
run M audit OUT=o AUDIT=signed.tar.gz SIGNING_KEY=signer.pem
expect_status 0
expect_eq "$(tar -tzf signed.tar.gz | grep -c '^audit/SIGNATURE$')" 1 "SIGNATURE member"
run M rerun AUDIT=signed.tar.gz PUBKEY=signer.pub
expect_status 0
expect_eq "$(sed 's/.*; //' "$T/out")" "signed: the signature verifies with signer.pub" "verdict"
# a forger regenerates an output and every sum: the old signature fails
tamper "sed -i '2s/^\([^\t]*\t[^\t]*\t\)[0-9]*/\19999/' outputs/settlement.tsv" resum signed.tar.gz
run M rerun AUDIT=bad.tar.gz PUBKEY=signer.pub
[ "$status" -ne 0 ] || bad "a forged bundle passed with PUBKEY"
expect_err_has "the signature does not verify with signer.pub"
# ... and signs it with its own key: still not the signer's
(cd tam/audit && openssl pkeyutl -sign -inkey ../../forger.pem -rawin -in SHA256SUMS -out SIGNATURE)
tar -czf bad.tar.gz -C tam audit
run M rerun AUDIT=bad.tar.gz PUBKEY=signer.pub
[ "$status" -ne 0 ] || bad "a bundle signed by another key passed"
expect_err_has "the signature does not verify with signer.pub"
# an unsigned bundle where a signature is required
run M rerun AUDIT=audit.tar.gz PUBKEY=signer.pub
[ "$status" -ne 0 ] || bad "an unsigned bundle passed with PUBKEY"
expect_err_has "not signed, and PUBKEY asks for a signature"
# signed, but checked without a key
run M rerun AUDIT=signed.tar.gz
expect_status 0
expect_eq "$(sed 's/.*; //' "$T/out")" "signed, but no PUBKEY was given to verify it: consistent with itself only" "verdict"
done_case

case_ "hostile names: quotes, spaces, \$ and backquotes in every value are data"
h="x' \`touch owned\` \$(touch owned2) \$HOME \"q\""
mkdir -p "ex $h" && cp night/* "ex $h/"
cp terms.tsv "terms $h.tsv"
run M "EXTRACT=ex $h" "TERMS=terms $h.tsv" "OUT=out $h" ITERATIONS=200 "TITLE=O'Brien ACO $h"
expect_status 0
expect_eq "$(find . -name 'owned*' | wc -l)" 0 "files a command made"
expect_eq "$(head -n 1 "out $h/statement.txt")" "O'Brien ACO $h" "title"
run M audit "OUT=out $h" "AUDIT=audit $h.tgz"
expect_status 0
run M rerun "AUDIT=audit $h.tgz"
expect_status 0
expect_eq "$(find . -name 'owned*' | wc -l)" 0 "files the rerun's commands made"
run M "EXTRACT=night" "TERMS=terms.tsv" "OUT=o3" "TITLE=a	tab"
[ "$status" -ne 0 ] || bad "a TAB in TITLE passed"
expect_err_has "TITLE: holds a TAB or a line break"
done_case

case_ "a truncated gzip fails the night: its status, stderr, nothing published"
mkdir cut && cp night/* cut/
head -c 4000 night/claims.tsv.gz >cut/claims.tsv.gz
run M EXTRACT=cut TERMS=terms.tsv OUT=oc ITERATIONS=200
[ "$status" -ne 0 ] || bad "the run succeeded"
expect_err_has "truncated gzip data"
expect_err_has "reconcile: attribute failed with exit status 74"
expect_err_has "nothing published"
[ -e oc ] && bad "oc was published"
expect_eq "$(ls oc.runs | grep -vc 'failed.log$')" 0 "runs left"
expect_eq "$(ls oc.runs | grep -c 'failed.log$')" 1 "failed run's log kept"
# last night's run stays published when tonight's fails
before=$(readlink o)
run M EXTRACT=cut TERMS=terms.tsv OUT=o ITERATIONS=200
[ "$status" -ne 0 ] || bad "the run over last night's outputs succeeded"
expect_eq "$(readlink o)" "$before" "OUT"
whole o || bad "last night's run was touched"
expect_err_has "o still holds o.runs/"
done_case

case_ "the claims read once: a claim sum that overflows fails the night, named by attribute"
# attribute makes the claim sums in its pass over the claims: a member's
# paid sum that overflows int64 cents (two lines of 92233720368547758.07)
# stops it (65), and the night names the stage and the line
mkdir over && cp night/* over/
gzip -dc night/claims.tsv.gz | awk -F'\t' -v OFS='\t' '
	NR == 1 { for (i = 1; i <= NF; i++) if ($i == "paid") p = i; print; next }
	{ print } NR == 2 { $p = "92233720368547758.07"; print; print }' | gzip -9n >over/claims.tsv.gz
run M EXTRACT=over TERMS=terms.tsv OUT=ov ITERATIONS=200
[ "$status" -ne 0 ] || bad "the run succeeded"
expect_err_has "a member's sum overflows"
expect_err_has "over/claims.tsv.gz:3: a member's sum overflows"
expect_err_has "reconcile: attribute failed with exit status 65"
expect_err_has "nothing published"
[ -e ov ] && bad "ov was published"
done_case

case_ "a run that measured nothing is not published (65)"
mkdir empty && cp night/* empty/
gzip -dc night/roster.tsv.gz | head -n 1 | gzip -9n >empty/roster.tsv.gz
run M EXTRACT=empty TERMS=terms.tsv OUT=o ITERATIONS=200
expect_status 2
expect_err_has "the extract measured nothing; nothing published"
expect_eq "$(readlink o)" "$before" "OUT"
cp night/roster.tsv.gz empty/ && gzip -dc night/claims.tsv.gz | head -n 1 | gzip -9n >empty/claims.tsv.gz
run M EXTRACT=empty TERMS=terms.tsv OUT=o ITERATIONS=200
expect_err_has "the extract measured nothing"
expect_eq "$(readlink o)" "$before" "OUT"
# members assigned by the payer in both periods, but not one claim: a
# target of 0 stops settle (65) before the run could publish
cut -f1-4 o/attribution.tsv >assigned0.tsv
run M EXTRACT=empty TERMS=terms.tsv ASSIGNMENT=assigned0.tsv OUT=o ITERATIONS=200
[ "$status" -ne 0 ] || bad "a run with no claim published"
expect_err_has "nothing to measure savings against"
expect_err_has "nothing published"
expect_eq "$(readlink o)" "$before" "OUT"
done_case

case_ "the terms are checked before any data is read (64)"
sed 's/^trend\t.*/trend\t5/' terms.tsv >bad-terms.tsv
run M EXTRACT=night TERMS=bad-terms.tsv OUT=ot ITERATIONS=200
expect_status 2
expect_err_has "bad-terms.tsv:"
expect_err_has "write 0.05 for 5%"
[ -e ot.runs ] && bad "a run directory was made"
done_case

case_ "the contract's side files reach their tools"
# ORG_TERMS: ORG01 shares 0.9 instead of the contract's rate; settle run
# by hand with the same --org-terms gives the same rows
org=$(awk -F'\t' 'NR == 2 { print $1 }' o/settlement.tsv)
printf 'org_id\tsharing_rate\n%s\t0.9\n' "$org" >org-terms.tsv
run M EXTRACT=night TERMS=terms.tsv ORG_TERMS=org-terms.tsv OUT=os ITERATIONS=200 MAX_REJECTS=5
expect_status 0
settle --total --terms terms.tsv --org-terms org-terms.tsv --target os/target.tsv --quality night/quality.tsv.gz \
	os/costs.tsv >by-hand.tsv
cmp -s by-hand.tsv os/settlement.tsv || bad "settlement differs from settle --org-terms by hand"
cmp -s o/settlement.tsv os/settlement.tsv && bad "ORG_TERMS changed nothing"
expect_eq "$(grep -c '^contract	org-terms.tsv$' os/MANIFEST)" 1 "org terms in the MANIFEST"
# MAX_REJECTS: a claim line with a letter in its amount is rejected by
# the two tools that read claims, into the run's rejects/, and the night
# goes on; without MAX_REJECTS it stops (65)
with_bad_amounts night rej 1
run M EXTRACT=rej TERMS=terms.tsv OUT=or ITERATIONS=200 MAX_REJECTS=5
expect_status 0
expect_eq "$(ls or/rejects | tr '\n' ' ')" "attribute.tsv cap-large-claims-sums.tsv " "rejects files"
expect_eq "$(tail -n +2 or/rejects/attribute.tsv | wc -l)" 1 "attribute's rejects"
expect_eq "$(tail -n +2 or/rejects/cap-large-claims-sums.tsv | wc -l)" 1 "the claim sums' rejects"
run M EXTRACT=rej TERMS=terms.tsv OUT=or ITERATIONS=200
[ "$status" -ne 0 ] || bad "a rejected line passed without MAX_REJECTS"
# HISTORY, PRIOR, PRICING, EXCLUDE_DX: a file with a wrong header stops
# the tool that reads it, which names the run's copy (the history is read
# with trend_method regression, the pricing with target_method loss_ratio)
for v in HISTORY:history:trend_method:regression PRIOR:prior:: PRICING:pricing:target_method:loss_ratio \
	EXCLUDE_DX:exclude-dx::; do
	set -- $(echo "$v" | tr ':' ' ')
	printf 'nonsense\n1\n' >"$2.tsv"
	cp terms.tsv t2.tsv; [ -z "${3:-}" ] || printf '%s\t%s\n' "$3" "$4" >>t2.tsv
	run M EXTRACT=night TERMS=t2.tsv "$1=$2.tsv" OUT=oh ITERATIONS=200
	[ "$status" -ne 0 ] || bad "$1 was not read"
	expect_err_has "/contract/$2.tsv"
done
run M EXTRACT=night TERMS=terms.tsv HISTORY=nowhere.tsv OUT=oh
expect_err_has "HISTORY: nowhere.tsv: cannot read it"
done_case

case_ "a second run on the same OUT waits for nobody: exit 75 naming the holder"
# hold the lock as a running night would
flock o.lock sleep 5 &
holder=$!
sleep 0.3
run M EXTRACT=night TERMS=terms.tsv OUT=o ITERATIONS=200
expect_status 2
expect_err_has "o is being written by another run"
expect_err_has "try again later"
grep -q 'Error 75' "$T/err" || bad "not exit status 75"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
# two nights started together: each exits 0 or 75, OUT is one whole run
M EXTRACT=night TERMS=terms.tsv OUT=oc2 ITERATIONS=2000 >/dev/null 2>r1.err & p1=$!
M EXTRACT=night TERMS=terms.tsv OUT=oc2 ITERATIONS=2000 >/dev/null 2>r2.err & p2=$!
wait $p1; s1=$?; wait $p2; s2=$?
for s in $s1 $s2; do [ "$s" = 0 ] || [ "$s" = 2 ] || bad "a run exited $s"; done
[ "$s1" = 0 ] || [ "$s2" = 0 ] || bad "neither run published ($s1, $s2)"
for e in r1.err r2.err; do [ -s "$e" ] && ! grep -q 'is being written by another run' "$e" && bad "$e: $(head -c 200 "$e")"; done
whole oc2 || bad "the published run is not whole"
done_case

case_ "kill -9 at several points: OUT stays last night's run, the next night runs"
synth --members 3000 --seed 7 -o big >/dev/null
M EXTRACT=big EXT=tsv TERMS=terms.tsv OUT=ok ITERATIONS=2000 >/dev/null 2>&1 || bad "first night failed"
for at in 0.1 0.3 0.6 1.0 1.5; do
	setsid sh -c 'exec make -s --no-print-directory -f "$1" BIN="$2" EXTRACT=big EXT=tsv TERMS=terms.tsv OUT=ok ITERATIONS=2000' \
		sh "$ROOT/pipelines/reconcile.mk" "$BIN" >/dev/null 2>&1 &
	pg=$!
	sleep "$at"
	kill -9 -- "-$pg" 2>/dev/null
	wait "$pg" 2>/dev/null
	sleep 0.1
	# killed before publishing: last night's run; after: tonight's; whole
	whole ok || bad "killed at ${at}s: OUT ($(readlink ok)) is not whole"
done
run M EXTRACT=big EXT=tsv TERMS=terms.tsv OUT=ok ITERATIONS=2000
expect_status 0
expect_eq "$(ls ok.runs | grep -c partial)" 0 "killed runs' staging left after the next night"
done_case

case_ "a full disk: the night fails on stderr, non-zero; the last good run stays"
if [ "$(id -u)" != 0 ] || ! mkdir disk || ! mount -t tmpfs -o size=3m tmpfs disk 2>/dev/null; then
	skip_case "full disk" "needs root to mount a 3 MiB tmpfs (CI runs as root)"
else
	run M EXTRACT=night TERMS=terms.tsv OUT=disk/o ITERATIONS=200
	expect_status 0
	good=$(readlink disk/o)
	# fill the disk but for 64 KiB: the next night cannot write its outputs
	free=$(df -B1 --output=avail disk | tail -n 1)
	fallocate -l $((free - 65536)) disk/filler 2>/dev/null || head -c $((free - 65536)) /dev/zero >disk/filler
	for night in 1 2; do
		run M EXTRACT=night TERMS=terms.tsv OUT=disk/o ITERATIONS=200
		[ "$status" -ne 0 ] || bad "night $night on a full disk succeeded"
		expect_err_has "No space left on device"
		expect_err_has "nothing published"
		# attribute (or the copy of its attribution) and cohort-select
		# write side by side: either may find the disk full first
		grep -Eq '^reconcile: (attribute|cohort-select) failed with exit status 74' "$T/err" ||
			bad "night $night: not a first stage's failure: $(head -c 300 "$T/err")"
		expect_eq "$(readlink disk/o)" "$good" "OUT after full night $night"
		whole disk/o || bad "the last good run was damaged on night $night"
	done
	# the transcript names the stage as STAGE (which of the two is timing;
	# attribute and its copy may both say so: one line kept)
	sed -E -e 's/^(attribute|cohort-select|tee): .*No space left on device$/STAGE: FILE: write error: No space left on device/' \
		-e 's/^reconcile: (attribute|cohort-select) failed/reconcile: STAGE failed/' "$T/transcript" |
		awk '!(/^STAGE: / && prev ~ /^STAGE: /) { print } { prev = $0 }' >"$T/transcript.stage"
	mv "$T/transcript.stage" "$T/transcript"
	rm -f disk/filler
	run M EXTRACT=night TERMS=terms.tsv OUT=disk/o ITERATIONS=200
	expect_status 0
	whole disk/o || bad "the run after the disk was freed is not whole"
	umount disk
	done_case
fi

case_ "usage: no extract, a missing extract"
run M TERMS=terms.tsv OUT=ox
[ "$status" -ne 0 ] || bad "ran without EXTRACT"
expect_err_has "give EXTRACT=DIR-OR-ARCHIVE and TERMS=FILE"
run M EXTRACT=nowhere TERMS=terms.tsv OUT=ox
expect_err_has "nowhere: no such extract"
done_case

case_ "a payer's assignment list in place of attribute: the same statement"
# the list is attribute's own assignments (member, period, org, step) with
# the basis columns dropped: cohort-select and everything after must give
# the same bytes, and the roster is not needed
cut -f1-4 o/attribution.tsv >assigned.tsv
mkdir noroster && cp night/* noroster/ && rm noroster/roster.tsv.gz
run M EXTRACT=noroster TERMS=terms.tsv ASSIGNMENT=assigned.tsv OUT=oas ITERATIONS=200
expect_status 0
for f in cohort.tsv costs.tsv mix.tsv target.tsv settlement.tsv simulation.tsv statement.txt; do
	same_file "o/$f" "oas/$f" || bad "$f differs from the attribute route"
done
cmp -s assigned.tsv oas/contract/assignment.tsv || bad "the run does not keep the list"
expect_eq "$(grep -c '^input	' oas/MANIFEST)" 4 "inputs hashed (no roster)"
# the bundle and its rerun carry the list
run M audit OUT=oas AUDIT=as.tar.gz
expect_status 0
run M rerun AUDIT=as.tar.gz
expect_status 0
# a member assigned to two orgs in one period is a located error
{ cat assigned.tsv; sed -n '2s/ORG[0-9]*/ORG99/p' assigned.tsv; } >twice.tsv
run M EXTRACT=noroster TERMS=terms.tsv ASSIGNMENT=twice.tsv OUT=oas2 ITERATIONS=200
[ "$status" -ne 0 ] || bad "a member assigned twice passed"
expect_err_has "member attributed twice in the period"
done_case

case_ "an OUT that is a plain directory is set aside, never pruned"
mkdir p && echo old >p/settlement.tsv
run M EXTRACT=night TERMS=terms.tsv OUT=p ITERATIONS=200 KEEP=1
expect_status 0
run M EXTRACT=night TERMS=terms.tsv OUT=p ITERATIONS=200 KEEP=1
expect_status 0
expect_eq "$(cat p.runs/previous-*/settlement.tsv)" old "the old OUT's file"
expect_eq "$(ls p.runs | grep -vc '^previous-')" 1 "runs kept with KEEP=1"
done_case

case_ "claims-once: attribute and cohort-select side by side; each tool's lines in its own log; a failure is told on descriptor 7"
# a stand-in attribute writes LINES lines of attribution and the claim
# sums, and prints attribute's and cap-large-claims' -v lines; a stand-in
# cohort-select notes its arguments and what came on its standard input
# (all of it, or HEAD lines), and prints its -v line with the rows it read:
# the stage splits the lines by their first word
mkdir co && : >co/run.log
cat >co/attr <<'E'
#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = --claim-sums ] && echo sums >"$2"; shift; done
seq "${LINES:-1}" | sed 's/^/attribution /'
printf 'attribute: read 3, written %s, rejected 0\ncap-large-claims: read 3, used 2, rejected 1\n' "${LINES:-1}" >&2
printf 'cap-large-claims: claim sums rows 1, members 1\n' >&2
exit "${FAIL:-0}"
E
cat >co/cs <<'E'
#!/bin/sh
echo "$*" >cs.args
[ -z "${CS_FAIL:-}" ] || { echo "cohort-select: eligibility.tsv:2: bad" >&2; exit "$CS_FAIL"; }
if [ -n "${HEAD:-}" ]; then head -n "$HEAD" >cs.in; else cat >cs.in; fi
echo cohort
echo "cohort-select: read $(wc -l <cs.in), written 1, rejected 0" >&2
E
chmod +x co/attr co/cs
(cd co && "$ROOT/pipelines/reconcile.sh" claims-once 4 ./attr --roster r.tsv claims.tsv \
	./cs --eligibility e.tsv 2>err 7>said)
expect_eq "$?" 0 "status"
expect_eq "$(cat co/attribution.tsv co/claim-sums.tsv co/cohort.tsv | tr '\n' ' ')" \
	"attribution 1 sums cohort " "the three outputs"
expect_eq "$(cat co/cs.args)" "--eligibility e.tsv --eligibility-first --in-member-order -v -" "cohort-select's arguments"
expect_eq "$(cat co/cs.in)" "attribution 1" "cohort-select's standard input: the attribution"
expect_eq "$(cat co/attribution.tsv.log)" "attribute: read 3, written 1, rejected 0" "attribute's log"
expect_eq "$(cat co/claim-sums.tsv.log | tr '\n' '|')" "cap-large-claims: read 3, used 2, rejected 1|cap-large-claims: claim sums rows 1, members 1|" "the claim sums' log"
expect_eq "$(cat co/cohort.tsv.log)" "cohort-select: read 1, written 1, rejected 0" "cohort-select's log"
expect_eq "$(cut -d' ' -f2- co/run.log | tr '\n' '|')" \
	"attribute: started|cohort-select: started|attribute: done|cohort-select: done|" "run.log"
expect_eq "$(ls co | grep -c '\.tmp$')" 0 "temporary files left"
# attribute fails: its messages on standard error, "attribute 65" on
# descriptor 7, the outputs of the run before untouched
(cd co && FAIL=65 "$ROOT/pipelines/reconcile.sh" claims-once 2 ./attr claims.tsv ./cs 2>err 7>said)
expect_eq "$?" 65 "status"
expect_eq "$(cat co/said)" "attribute 65" "descriptor 7"
expect_eq "$(grep -c '^attribute: \|^cap-large-claims: ' co/err) $(wc -l <co/err)" "3 3" "messages"
expect_eq "$(cat co/attribution.tsv co/cohort.tsv | tr '\n' ' ')" "attribution 1 cohort " \
	"the outputs of the run before"
# cohort-select fails before it reads the attribution (100,000 lines,
# more than a pipe holds): attribute still writes all of it; the
# message, and no output of either moved into place
(cd co && LINES=100000 CS_FAIL=66 "$ROOT/pipelines/reconcile.sh" claims-once 2 ./attr claims.tsv ./cs 2>err 7>said)
expect_eq "$?" 66 "status"
expect_eq "$(cat co/said)" "cohort-select 66" "descriptor 7"
expect_eq "$(cat co/err)" "cohort-select: eligibility.tsv:2: bad" "messages"
expect_eq "$(wc -l <co/attribution.tsv.tmp)" 100000 "attribution.tsv.tmp written in full"
expect_eq "$(cat co/attribution.tsv co/cohort.tsv | tr '\n' ' ')" "attribution 1 cohort " \
	"the outputs of the run before"
# cohort-select stops reading the attribution part way and says nothing
# wrong: its cohort is of part of the attribution, so the stage fails (70)
(cd co && LINES=100000 HEAD=1 "$ROOT/pipelines/reconcile.sh" claims-once 2 ./attr claims.tsv ./cs 2>err 7>said)
expect_eq "$?" 70 "status"
expect_eq "$(cat co/said)" "cohort-select 70" "descriptor 7"
expect_eq "$(tr '\n' '|' <co/err)" "cohort-select: read 1, written 1, rejected 0|cohort-select: read 1 attribution rows of the 100000 attribute wrote|" "messages"
expect_eq "$(cat co/attribution.tsv co/cohort.tsv | tr '\n' ' ')" "attribution 1 cohort " \
	"the outputs of the run before"
# the copy fails (attribution.tsv.tmp cannot be written): attribute's
# stage fails, 74, with tee's word for it
rm -f co/attribution.tsv.tmp && mkdir co/attribution.tsv.tmp
(cd co && "$ROOT/pipelines/reconcile.sh" claims-once 2 ./attr claims.tsv ./cs 2>err 7>said)
expect_eq "$?" 74 "status"
expect_eq "$(cat co/said)" "attribute 74" "descriptor 7"
expect_eq "$(grep -c '^tee: attribution.tsv.tmp' co/err)" 1 "tee's message"
rmdir co/attribution.tsv.tmp
# with EXCLUDE_DX cohort-select reads claims after the attribution: it
# cannot write rows as they come (no --in-member-order)
(cd co && VBR_EXCLUDE_DX=dx.tsv "$ROOT/pipelines/reconcile.sh" claims-once 2 ./attr claims.tsv \
	./cs --exclude-dx dx.tsv 2>err 7>said)
expect_eq "$?" 0 "status"
expect_eq "$(cat co/cs.args)" "--exclude-dx dx.tsv --eligibility-first -v -" "cohort-select's arguments with EXCLUDE_DX"
done_case

case_ "sha256: a file's sum taken from its early line in the side directory, the rest computed; a line for another file is 74"
mkdir sd && (cd sd && printf a >x && printf b >y && mkdir side &&
	openssl dgst -sha256 -r -- y >side/y)
# by hand: sha256("a") and sha256("b")
want="ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  x|3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  y|"
expect_eq "$(cd sd && printf 'x\ny\n' | "$ROOT/pipelines/reconcile.sh" sha256 side | tr '\n' '|')" "$want" "sums"
# the side line is not read without the directory named
printf '%064d *y\n' 0 >sd/side/y
expect_eq "$(cd sd && printf 'x\ny\n' | "$ROOT/pipelines/reconcile.sh" sha256 | tr '\n' '|')" "$want" "sums, no side directory"
expect_eq "$(cd sd && printf 'y\n' | "$ROOT/pipelines/reconcile.sh" sha256 side)" \
	"0000000000000000000000000000000000000000000000000000000000000000  y" "the side line taken as it is"
(cd sd && openssl dgst -sha256 -r -- x >side/y && printf 'y\n' | "$ROOT/pipelines/reconcile.sh" sha256 side >/dev/null)
expect_eq "$?" 74 "a side line for another file"
done_case
