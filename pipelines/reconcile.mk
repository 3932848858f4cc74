# reconcile.mk — the nightly reconciliation, its audit bundle and the audit
# rerun (vbr-pipelines(7)).
#
#   make -f pipelines/reconcile.mk EXTRACT=DIR-OR-ARCHIVE TERMS=FILE [OUT=out/reconcile]
#   make -f pipelines/reconcile.mk audit EXTRACT=... TERMS=... [AUDIT=FILE]
#   make -f pipelines/reconcile.mk rerun AUDIT=FILE
#
# EXTRACT is a directory or an archive (tar, tar.gz, zip) holding the
# canonical files claims, eligibility, roster, factors and quality, each
# .tsv.gz (or plain .tsv, by setting EXT=tsv); TERMS is the contract's terms
# file; CODES, optional, replaces attribute's qualifying codes (--codes).
# The run goes attribute → cohort-select → cap-large-claims → mix-factor →
# target → settle → simulate → report. cap-large-claims runs in two steps:
# --sum-only sums every member's claims per period (claim-sums.tsv) while
# attribute and cohort-select run, and --from-sums caps the cohort's sums,
# so with make -j2 the claims are read on both cores at once.
#
# All or nothing: every stage writes into $(OUT).partial, each output
# through a temporary name, and only a run whose every stage succeeded is
# published, by renaming $(OUT).partial to $(OUT). A failing stage stops the
# run, its message and accounting go to standard error with its exit status
# (e.g. 74 for a truncated gzip), $(OUT).partial is removed and the previous
# night's $(OUT) is left as it was; make exits non-zero, so cron reports it.
# Recipes run under bash -o pipefail, so no failed stage of a pipe can leave
# a plausible-looking file. Safe with make -j2: stages only share finished
# files.

# the tools: those on PATH, else the source tree's build/bin beside this file
HERE       := $(dir $(lastword $(MAKEFILE_LIST)))
BIN        ?= $(or $(patsubst %/settle,%,$(shell command -v settle 2>/dev/null)),$(HERE)../build/bin)
OUT        ?= out/reconcile
AUDIT      ?= $(OUT).audit.tar.gz
EXT        ?= tsv.gz
SEED       ?= 1
ITERATIONS ?= 1000
SCENARIOS  ?= 4
TITLE      ?= Settlement statement
CODES      ?=

# sha256sum(1)'s output, computed by OpenSSL (several times faster here)
SHA256 = openssl dgst -sha256 -r $(1) | sed 's/ \*/  /'

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
SELF := $(HERE)reconcile.mk
STAGE := $(OUT).partial
VERSION_OF = $$($(BIN)/settle --version | sed 's/^settle (vbr) /vbr /')

# an input of the extract: DIR/name or ARCHIVE#name
IN = $(if $(wildcard $(EXTRACT)/.),$(EXTRACT)/$(1).$(EXT),$(EXTRACT)#$(1).$(EXT))

# The files a run publishes, in the order their accounting is listed.
OUTPUTS = attribution.tsv claim-sums.tsv cohort.tsv costs.tsv mix.tsv target.tsv settlement.tsv \
          simulation.tsv statement.txt statement.html
ALL_OUTPUTS = $(OUTPUTS) draws.tsv accounting.txt

nightly:
	@[ -n "$(EXTRACT)" ] && [ -n "$(TERMS)" ] || \
		{ echo "reconcile: give EXTRACT=DIR-OR-ARCHIVE and TERMS=FILE" >&2; exit 64; }
	@[ -e "$(EXTRACT)" ] || { echo "reconcile: $(EXTRACT): no such extract" >&2; exit 66; }
	@[ -r "$(TERMS)" ] || { echo "reconcile: $(TERMS): cannot read the terms" >&2; exit 66; }
	@rm -rf $(STAGE) && mkdir -p $(STAGE)
	@rc=0; $(MAKE) --no-print-directory -f $(SELF) stage R=$(STAGE) || rc=$$?; \
	if [ $$rc -ne 0 ]; then \
		failed=$$(cat $(STAGE)/.failed 2>/dev/null || echo "make $$rc"); rm -rf $(STAGE); \
		echo "reconcile: $${failed% *} failed with exit status $${failed##* }; nothing published" >&2; \
		exit $${failed##* }; \
	fi
	@rm -rf $(OUT).previous; if [ -e $(OUT) ]; then mv $(OUT) $(OUT).previous; fi
	@mv $(STAGE) $(OUT) && rm -rf $(OUT).previous
	@echo "reconcile: published $(OUT) ($$(wc -l <$(OUT)/settlement.tsv) settlement rows)"

# ---- the stages, inside the staging directory R ----
# $(call stage,NAME,COMMAND): run COMMAND with -v, output to $@ through
# $@.tmp, its accounting line to $@.log; on failure show the accounting,
# record NAME and the exit status for the message above, and fail.
define stage
	$(2) -v >$@.tmp 2>$@.log || { rc=$$?; cat $@.log >&2; echo "$(1) $$rc" >$(R)/.failed; exit $$rc; }
	mv $@.tmp $@
endef

T := --terms $(TERMS)
stage: $(R)/SHA256SUMS

$(R)/attribution.tsv:
	$(call stage,attribute,$(BIN)/attribute --roster '$(call IN,roster)' $(if $(CODES),--codes '$(CODES)') \
		$(T) '$(call IN,claims)')
$(R)/cohort.tsv: $(R)/attribution.tsv
	$(call stage,cohort-select,$(BIN)/cohort-select --eligibility '$(call IN,eligibility)' $(T) $<)
$(R)/claim-sums.tsv:
	$(call stage,cap-large-claims,$(BIN)/cap-large-claims --sum-only $(T) '$(call IN,claims)')
$(R)/costs.tsv: $(R)/cohort.tsv $(R)/claim-sums.tsv
	$(call stage,cap-large-claims,$(BIN)/cap-large-claims --from-sums --cohort $< $(T) $(R)/claim-sums.tsv)
$(R)/mix.tsv: $(R)/costs.tsv
	$(call stage,mix-factor,$(BIN)/mix-factor --factors '$(call IN,factors)' $(T) $<)
$(R)/target.tsv: $(R)/costs.tsv $(R)/mix.tsv
	$(call stage,target,$(BIN)/target $(T) --mix $(R)/mix.tsv $<)
$(R)/settlement.tsv: $(R)/costs.tsv $(R)/target.tsv
	$(call stage,settle,$(BIN)/settle $(T) --target $(R)/target.tsv --quality '$(call IN,quality)' $<)
# the draws file is written beside the summary, renamed after it
$(R)/simulation.tsv: $(R)/costs.tsv $(R)/target.tsv
	$(call stage,simulate,$(BIN)/simulate $(T) --target $(R)/target.tsv --quality '$(call IN,quality)' \
		--iterations $(ITERATIONS) --seed $(SEED) --draws $(R)/draws.tsv.tmp $<)
	mv $(R)/draws.tsv.tmp $(R)/draws.tsv

REPORT = $(BIN)/report $(T) --target $(R)/target.tsv --mix $(R)/mix.tsv \
	--simulation $(R)/simulation.tsv --draws $(R)/draws.tsv --scenarios $(SCENARIOS) --title '$(TITLE)'
STATEMENT_IN = $(R)/settlement.tsv $(R)/target.tsv $(R)/mix.tsv $(R)/simulation.tsv
$(R)/statement.txt: $(STATEMENT_IN)
	$(call stage,report,$(REPORT) --format text $<)
$(R)/statement.html: $(STATEMENT_IN)
	$(call stage,report,$(REPORT) --format html $<)

# every stage's accounting line (records read, written, left out), in
# pipeline order; then the sha256 of every output
$(R)/accounting.txt: $(OUTPUTS:%=$(R)/%)
	cat $(^:%=%.log) >$@.tmp
	rm -f $(^:%=%.log)
	mv $@.tmp $@
$(R)/SHA256SUMS: $(R)/accounting.txt
	cd $(R) && $(call SHA256,$(ALL_OUTPUTS)) >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS

# ---- the audit bundle ----
# One tar.gz: MANIFEST (tool version, run settings, extract name),
# terms.tsv, codes.tsv (when CODES was given), inputs/ (the extract as
# given: the directory's files or the archive), outputs/ (everything the
# run published) and SHA256SUMS over all of them. Members are sorted and carry no owner or date, so the same
# run bundles to the same bytes.
audit: nightly
	@rm -rf $(AUDIT).d && mkdir -p $(AUDIT).d/audit/inputs
	@d=$(AUDIT).d/audit; name=$$(basename '$(EXTRACT)'); \
	cp -R '$(EXTRACT)' "$$d/inputs/$$name"; cp '$(TERMS)' $$d/terms.tsv; cp -R $(OUT) $$d/outputs; \
	$(if $(CODES),cp '$(CODES)' $$d/codes.tsv;) \
	{ echo "tool	$(VERSION_OF)"; echo "extract	$$name"; echo "ext	$(EXT)"; \
	  echo "seed	$(SEED)"; echo "iterations	$(ITERATIONS)"; echo "scenarios	$(SCENARIOS)"; \
	  echo "title	$(TITLE)"; echo "codes	$(if $(CODES),codes.tsv)"; } >$$d/MANIFEST; \
	(cd $$d && find MANIFEST terms.tsv $(if $(CODES),codes.tsv) inputs outputs -type f | LC_ALL=C sort | xargs sha256sum >SHA256SUMS); \
	tar -C $(AUDIT).d --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
		-czf $(AUDIT).tmp audit
	@rm -rf $(AUDIT).d && mv $(AUDIT).tmp $(AUDIT)
	@echo "reconcile: audit bundle $(AUDIT) ($$(tar -tzf $(AUDIT) | grep -vc '/$$') files)"

# ---- the audit rerun: only the bundle is needed ----
# 1. every file of the bundle still has the sha256 it was bundled with;
# 2. the run is made again from the bundle's inputs and terms, with its
#    settings, by the tools in BIN;
# 3. every output re-derived must equal the bundled one, byte for byte.
RR := $(AUDIT).rerun
rerun:
	@[ -f "$(AUDIT)" ] || { echo "reconcile: rerun needs AUDIT=FILE (an audit bundle)" >&2; exit 66; }
	@rm -rf $(RR) && mkdir -p $(RR)
	@tar -xzf $(AUDIT) -C $(RR) || { echo "reconcile: $(AUDIT): not a readable audit bundle" >&2; rm -rf $(RR); exit 74; }
	@(cd $(RR)/audit && sha256sum --quiet --strict -c SHA256SUMS) >$(RR)/check 2>&1 || \
		{ sed 's/^/reconcile: bundle altered: /' $(RR)/check >&2; rm -rf $(RR); exit 65; }
	@m=$(RR)/audit/MANIFEST; get() { sed -n "s/^$$1	//p" $$m; }; \
	[ "$$(get tool)" = "$(VERSION_OF)" ] || \
		echo "reconcile: bundled by $$(get tool), rerun by $(VERSION_OF)" >&2; \
	rc=0; $(MAKE) --no-print-directory -f $(SELF) nightly BIN=$(BIN) OUT=$(RR)/rederived \
		EXTRACT="$(RR)/audit/inputs/$$(get extract)" TERMS=$(RR)/audit/terms.tsv \
		EXT="$$(get ext)" SEED="$$(get seed)" ITERATIONS="$$(get iterations)" \
		SCENARIOS="$$(get scenarios)" TITLE="$$(get title)" \
		CODES="$$(c=$$(get codes); [ -z "$$c" ] || echo $(RR)/audit/$$c)" >/dev/null || rc=$$?; \
	if [ $$rc -ne 0 ]; then rm -rf $(RR); echo "reconcile: the rerun failed" >&2; exit $$rc; fi
	@if ! diff -r $(RR)/audit/outputs $(RR)/rederived >$(RR)/diff 2>&1; then \
		sed -n '1,20s/^/reconcile: differs: /p' $(RR)/diff >&2; rm -rf $(RR); exit 65; fi
	@echo "reconcile: rerun of $(AUDIT): $$(ls $(RR)/rederived | wc -l) outputs re-derived, every byte identical"
	@rm -rf $(RR)

clean:
	rm -rf $(OUT) $(STAGE) $(OUT).previous $(AUDIT) $(AUDIT).d $(RR)

.PHONY: nightly stage audit rerun clean
.DELETE_ON_ERROR:
