# reconcile.mk — the nightly reconciliation, its audit bundle and the audit
# rerun (vbr-pipelines(7)).
#
#   make -f pipelines/reconcile.mk EXTRACT=DIR-OR-ARCHIVE TERMS=FILE [OUT=out/reconcile] [VAR=value ...]
#        [SHARDS=N ENGINE=parallel|slurm [HOSTS=SSHLOGINS]]
#   make -f pipelines/reconcile.mk audit [OUT=out/reconcile] [AUDIT=FILE] [SIGNING_KEY=FILE]
#   make -f pipelines/reconcile.mk rerun AUDIT=FILE [PUBKEY=FILE]
#
# EXTRACT is a directory or an archive (tar, tar.gz, zip) holding the
# canonical files claims, eligibility, roster, factors and quality, each
# .tsv.gz (or plain .tsv, with EXT=tsv); TERMS is the contract's terms
# file. The run goes attribute → cohort-select → cap-large-claims →
# mix-factor → target → settle → simulate → report; cap-large-claims runs in
# two steps: its --sum-only claim sums, made by attribute in its own pass
# over the claims (--claim-sums: the claims are read once), then
# --from-sums on the cohort; cohort-select reads the eligibility while
# attribute runs (--eligibility-first).
#
# With SHARDS=N (N > 1) the claims, eligibility and any assignment list are
# split by member into N shards (partition(1)), the per-member stages run on
# each shard as N independent jobs (pipelines/shard.sh) on GNU parallel,
# locally or over ssh (HOSTS), or as a Slurm job array, and their outputs
# are merged back in member order (partition --merge) before the per-org
# stages run once: the published files are the bytes of the one-machine run.
#
# The night itself — the lock, the run's own directory, the checks, the
# MANIFEST, publishing by switching the OUT symlink, the audit bundle and
# the rerun — is pipelines/reconcile.sh; this file is the graph of stages,
# which reconcile.sh runs inside the run's directory.
#
# No value given here reaches a shell as text: make passes every variable
# below to reconcile.sh and the stages through the environment, unexpanded
# ($(value)), and the recipes only ever say "$$VBR_NAME". A title, a file
# name or a MANIFEST field with quotes, spaces, `$` or backquotes is data.

HERE := $(dir $(lastword $(MAKEFILE_LIST)))
-include $(HERE)paths.mk

OUT         ?= out/reconcile
EXT         ?= tsv.gz
SEED        ?= 1
ITERATIONS  ?= 1000
SCENARIOS   ?= 4
TITLE       ?= Settlement statement
KEEP        ?= 2
SHARDS      ?= 1
ENGINE      ?= parallel
# the tools: make install's libexec directory (paths.mk), else the source
# tree's build/bin beside this file
BIN         ?= $(or $(VBR_LIBEXEC),$(HERE)../build/bin)

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec

# reconcile.sh sets VBR_STAGE for the stage graph: the values are then
# already in the environment and must not be taken again from the command
# line that MAKEFLAGS carries down.
ifndef VBR_STAGE
VARIABLES := EXTRACT TERMS OUT AUDIT EXT SEED ITERATIONS SCENARIOS TITLE KEEP BIN \
             CODES ORG_TERMS HISTORY PRIOR PRICING EXCLUDE_DX MAX_REJECTS SIGNING_KEY PUBKEY \
             EXTRACT_ACCOUNTING ASSIGNMENT SHARDS ENGINE HOSTS
# a value given on the command line or in the environment, as written;
# a default of this file (constants, HERE), expanded
raw = $(if $(filter file,$(origin $(1))),$($(1)),$(value $(1)))
$(foreach v,$(VARIABLES),$(eval export VBR_$(v) := $$(call raw,$(v))))
export VBR_PIPELINES := $(HERE)
export VBR_MAKE := $(MAKE)
endif

RUN = +@"$$VBR_PIPELINES/reconcile.sh"
nightly:
	$(RUN) nightly
audit:
	$(RUN) audit
rerun:
	$(RUN) rerun
clean:
	$(RUN) clean

# ---- the stages, run by reconcile.sh inside the run's directory ----
# $(call stage,NAME,COMMAND): run COMMAND with -v, output to $@ through
# $@.tmp, its accounting line to $@.log, a line in run.log before and
# after. The tool's standard error is held in memory, not in a file: a
# failing stage shows it on standard error even when the disk is full, and
# tells reconcile.sh its name and status on descriptor 7 (a pipe). One
# shell for it all (-e: it stops at the first command that fails), not one
# per line, and the times from bash's printf, not date(1): the stages run
# one after another, and each process started is time.
define stage
	TZ=UTC0 printf '%(%FT%TZ)T %s: started\n' -1 $(1) >>run.log; \
	err=$$( { $(2) -v >$@.tmp; } 2>&1 ) || { rc=$$?; printf '%s\n' "$$err" >&2; \
		echo "$(1) $$rc" >&7 || :; exit $$rc; }; \
	printf '%s\n' "$$err" >$@.log; \
	mv $@.tmp $@; \
	TZ=UTC0 printf '%(%FT%TZ)T %s: done\n' -1 $(1) >>run.log
endef

# the terms every tool reads, and with the org terms for the tools that
# read them (target, settle, simulate, report); the rejects options when
# MAX_REJECTS is given: each stage's rejected records in rejects/
T = --terms "$$VBR_TERMS"
TO = $(T) $${VBR_ORG_TERMS:+--org-terms "$$VBR_ORG_TERMS"}
R = $${VBR_MAX_REJECTS:+--rejects rejects/$(1).tsv --max-rejects "$$VBR_MAX_REJECTS"}
B = "$$VBR_BIN"

stage: SHA256SUMS

inputs.sha256:
	"$$VBR_PIPELINES/reconcile.sh" hash-inputs >$@.tmp
	mv $@.tmp $@
# who is assigned where: the payer's assignment list (ASSIGNMENT) as it
# came, which cohort-select reads the same way (vbr(7), Attribution), with
# or without shards; else attribute, from the claims and the roster
ifneq ($(VBR_ASSIGNMENT),)
attribution.tsv:
	cp contract/assignment.tsv $@.tmp
	mv $@.tmp $@
	: >$@.log
endif
ifeq ($(VBR_SHARDS),1)
ATTRIBUTE = $(B)/attribute --roster "$$VBR_IN_ROSTER" $${VBR_CODES:+--codes "$$VBR_CODES"} \
	$(T) $(call R,attribute)
CLAIM_SUMS = $(B)/cap-large-claims --sum-only $(T) $(if $(COMPLETION),--completion completion.tsv) \
	$(call R,cap-large-claims-sums)
COHORT_SELECT = $(B)/cohort-select --eligibility "$$VBR_IN_ELIGIBILITY" \
	$${VBR_EXCLUDE_DX:+--exclude-dx "$$VBR_EXCLUDE_DX" --claims "$$VBR_IN_CLAIMS"} $(T) \
	$(call R,cohort-select)
ifeq ($(VBR_ASSIGNMENT)$(VBR_COMPLETE),)
# the claims read once: attribute makes the claim sums of cap-large-claims
# --sum-only in its own pass over them (--claim-sums), their rejects in
# rejects/cap-large-claims-sums.tsv as when cap-large-claims reads the
# claims itself; and cohort-select reads the eligibility meanwhile
# (--eligibility-first), then the attribution as attribute writes it, in
# member order (--in-member-order: each member's rows written as they come)
# (reconcile.sh claims-once; the shell counts attribute's words)
attribution.tsv claim-sums.tsv cohort.tsv &:
	set -- $(ATTRIBUTE) \
		$${VBR_MAX_REJECTS:+--claim-sums-rejects rejects/cap-large-claims-sums.tsv} \
		"$$VBR_IN_CLAIMS"; \
	"$$VBR_PIPELINES/reconcile.sh" claims-once "$$#" "$$@" $(COHORT_SELECT)
else
ifeq ($(VBR_ASSIGNMENT),)
attribution.tsv:
	$(call stage,attribute,$(ATTRIBUTE) "$$VBR_IN_CLAIMS")
endif
cohort.tsv: attribution.tsv
	$(call stage,cohort-select,$(COHORT_SELECT) $<)
endif
# the terms ask for completion_method chain_ladder (reconcile.sh sets
# VBR_COMPLETE): the completion factors from the claims' lag triangle
ifneq ($(VBR_COMPLETE),)
completion.tsv:
	$(call stage,complete,$(B)/complete $(T) --triangle triangle.tsv.tmp $(call R,complete) \
		"$$VBR_IN_CLAIMS")
	mv triangle.tsv.tmp triangle.tsv
COMPLETION = completion.tsv
endif
# with the payer's assignment or the chain ladder (whose factors come
# first), cap-large-claims reads the claims itself
ifneq ($(VBR_ASSIGNMENT)$(VBR_COMPLETE),)
claim-sums.tsv: $(COMPLETION)
	$(call stage,cap-large-claims,$(CLAIM_SUMS) "$$VBR_IN_CLAIMS")
endif
else
# ---- the sharded run (SHARDS=N): split, fan out, merge ----
# shards/ is the shard work directory (a link made by reconcile.sh, kept
# across a failed night so that a rerun redoes only what is missing): the
# shards of each input and their accounting, then each shard's outputs,
# written by the shard jobs (pipelines/shard.sh) under labels that the
# merge checks (partition --merge: a shard twice, moved, of another
# partitioning or extract, or altered is refused).
SHARD_IDS := $(shell seq 0 $$(($$VBR_SHARDS - 1)))
P = $(B)/partition --shards "$$VBR_SHARDS" --extract "$$VBR_SHARD_KEY" -o shards
ifneq ($(VBR_ASSIGNMENT),)
SPLIT_ASSIGNMENT = shards/assignment.tsv
endif
SPLIT = shards/claims.tsv shards/eligibility.tsv $(SPLIT_ASSIGNMENT)
# each input split once; its accounting (rows and money of every shard and
# the total) kept beside the shards
shards/claims.tsv:
	$(call stage,partition,$(P) --name claims $(call R,partition-claims) "$$VBR_IN_CLAIMS")
shards/eligibility.tsv:
	$(call stage,partition,$(P) --name eligibility $(call R,partition-eligibility) \
		"$$VBR_IN_ELIGIBILITY")
shards/assignment.tsv:
	$(call stage,partition,$(P) --name assignment $(call R,partition-assignment) \
		contract/assignment.tsv)
# a round of shard jobs: only the shards without their ROUND.done run
FAN_OUT = "$$VBR_PIPELINES/reconcile.sh" fan-out
ifneq ($(VBR_COMPLETE),)
shards/triangle.all: $(SPLIT)
	$(FAN_OUT) triangle
	touch $@
# the shards' triangles added cell by cell: the whole run's factors
completion.tsv: shards/triangle.all
	$(call stage,complete,$(B)/complete $(T) --from-triangles --triangle triangle.tsv.tmp \
		$(call R,complete) $(SHARD_IDS:%=shards/%/triangle.tsv))
	mv triangle.tsv.tmp triangle.tsv
	cp completion.tsv shards/completion.tsv.tmp
	mv shards/completion.tsv.tmp shards/completion.tsv
COMPLETION = completion.tsv
endif
shards/members.all: $(SPLIT) $(COMPLETION)
	$(FAN_OUT) members
	touch $@
ifeq ($(VBR_ASSIGNMENT),)
attribution.tsv: shards/members.all
	$(call stage,merge,$(P) --merge --name attribution)
endif
cohort.tsv: shards/members.all
	$(call stage,merge,$(P) --merge --name cohort)
claim-sums.tsv: shards/members.all
	$(call stage,merge,$(P) --merge --name claim-sums)
endif
costs.tsv: cohort.tsv claim-sums.tsv
	$(call stage,cap-large-claims,$(B)/cap-large-claims --from-sums --cohort $< $(T) \
		$(call R,cap-large-claims) claim-sums.tsv)
mix.tsv: costs.tsv
	$(call stage,mix-factor,$(B)/mix-factor --factors "$$VBR_IN_FACTORS" $(T) $<)
target.tsv: costs.tsv mix.tsv
	$(call stage,target,$(B)/target $(TO) --mix mix.tsv $${VBR_HISTORY:+--history "$$VBR_HISTORY"} \
		$${VBR_PRIOR:+--prior "$$VBR_PRIOR"} $${VBR_PRICING:+--pricing "$$VBR_PRICING"} \
		$(call R,target) $<)
settlement.tsv: costs.tsv target.tsv
	$(call stage,settle,$(B)/settle --total $(TO) --target target.tsv --quality "$$VBR_IN_QUALITY" \
		$(call R,settle) $<)
# the draws file is written beside the summary, renamed after it
simulation.tsv: costs.tsv target.tsv
	$(call stage,simulate,$(B)/simulate --total $(TO) --target target.tsv --quality "$$VBR_IN_QUALITY" \
		--iterations "$$VBR_ITERATIONS" --seed "$$VBR_SEED" --draws draws.tsv.tmp \
		$(call R,simulate) $<)
	mv draws.tsv.tmp draws.tsv

REPORT = $(B)/report $(TO) --target target.tsv --mix mix.tsv --simulation simulation.tsv \
	--draws draws.tsv --costs costs.tsv --scenarios "$$VBR_SCENARIOS" --title "$$VBR_TITLE" \
	--inputs inputs.sha256 --run-date "$$VBR_STARTED"
STATEMENT_IN = settlement.tsv target.tsv mix.tsv simulation.tsv costs.tsv inputs.sha256
statement.txt: $(STATEMENT_IN)
	$(call stage,report,$(REPORT) --format text $<)
statement.html: $(STATEMENT_IN)
	$(call stage,report,$(REPORT) --format html $<)

# The files a run publishes, in the order their accounting is listed.
OUTPUTS = $(COMPLETION) attribution.tsv claim-sums.tsv cohort.tsv costs.tsv mix.tsv target.tsv \
          settlement.tsv simulation.tsv statement.txt statement.html

# how the extract was made (EXTRACT_ACCOUNTING: ingest's -v lines), in a
# sharded run the shards' accounting (each input's split, each shard job's
# stages), then every stage's accounting line (records read, written, left out), in
# pipeline order; the checks that the run measured something; the
# MANIFEST; then the sha256 of every file of the run (each recipe one
# shell: these run one after another at the end of the night)
accounting.txt: $(OUTPUTS)
	{ [ ! -f contract/extract-accounting.txt ] || cat contract/extract-accounting.txt; \
	  [ "$$VBR_SHARDS" = 1 ] || "$$VBR_PIPELINES/reconcile.sh" shard-accounting; \
	  cat $(^:%=%.log); } >$@.tmp; \
	rm -f $(^:%=%.log); \
	mv $@.tmp $@
MANIFEST: accounting.txt inputs.sha256
	"$$VBR_PIPELINES/reconcile.sh" check-run; \
	"$$VBR_PIPELINES/reconcile.sh" manifest >$@.tmp; \
	mv $@.tmp $@
# The large outputs' sums are made as soon as each is done, on the core
# the serial stages leave free (.sha256/NAME, openssl's line), and taken
# from there, not all read again at the end; the directory goes before
# the run is published.
HASHED = attribution.tsv claim-sums.tsv cohort.tsv costs.tsv
.sha256/%: %
	mkdir -p .sha256; \
	openssl dgst -sha256 -r -- $< >$@.tmp; \
	mv $@.tmp $@
SHA256SUMS: MANIFEST $(HASHED:%=.sha256/%)
	find . -path ./.sha256 -prune -o -type f ! -name SHA256SUMS ! -name '*.tmp' ! -name run.log \
		-printf '%P\n' | LC_ALL=C sort | "$$VBR_PIPELINES/reconcile.sh" sha256 .sha256 >$@.tmp; \
	rm -rf .sha256; \
	mv $@.tmp $@

.PHONY: nightly audit rerun clean stage
.DELETE_ON_ERROR:
