# cclf.mk — the chain on the files an MSSP or ACO REACH organisation gets
# from CMS each month: synth's synthetic extract written as CCLF (synth
# --cclf: CCLF1 Part A headers, CCLF2 their revenue-center lines, CCLF5
# Part B lines, one CCLF8 beneficiary file per month, with adjustments and
# cancellations as CMS sends them) and the payer's assignment list, read
# by ingest and run through pipelines/reconcile.mk to the statement under
# $(OUT)/run.
#
#   make -f pipelines/cclf.mk [BIN=DIR] [OUT=out/cclf] [MEMBERS=2000] [SEED=1]
#
# * Claims: Part A read as cclf2 with its CCLF1 headers (each stay's
#   revenue lines, the header's DRG payment as line 0) and Part B as
#   cclf5, both netted to the final action; the two streams are joined
#   into one by column name (a column one of them lacks is empty).
# * Eligibility: each month's CCLF8 read with --month of that month.
# * Attribution: none — the payer's list (cclf/assignment.tsv: member,
#   period, org) goes to the run as ASSIGNMENT.
# * Terms: pipelines/cclf-terms.tsv, synth's contract on cost_basis paid
#   (Medicare expenditures: CCLF1 carries no allowed amount).
# * Factors: synth's demographic factors (CCLF8 has no plan or network).
# ingest's accounting of every file is the run's EXTRACT_ACCOUNTING.

HERE    := $(dir $(lastword $(MAKEFILE_LIST)))
-include $(HERE)paths.mk
BIN     ?= $(or $(VBR_LIBEXEC),$(HERE)../build/bin)
OUT     ?= out/cclf
MEMBERS ?= 2000
SEED    ?= 1
ITERATIONS ?= 1000
TERMS   ?= $(HERE)cclf-terms.tsv
include $(HERE)plain.mk
$(call vbr_plain,BIN OUT MEMBERS SEED ITERATIONS TERMS)

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
S := $(OUT)/synth
C := $(S)/cclf
E := $(OUT)/extract
RECONCILE = $(MAKE) --no-print-directory -f $(HERE)reconcile.mk

all: $(OUT)/run/statement.txt
	@echo "cclf: statement: $(OUT)/run/statement.txt, $(OUT)/run/statement.html"

$(OUT)/run/statement.txt: $(E)/claims.tsv.gz $(E)/eligibility.tsv.gz $(E)/factors.tsv.gz \
		$(E)/quality.tsv.gz $(TERMS)
	cat $(E)/claims.acct $(E)/eligibility.acct >$(E)/ingest-accounting.txt
	$(RECONCILE) BIN=$(BIN) EXTRACT=$(E) TERMS=$(TERMS) ASSIGNMENT=$(C)/assignment.tsv \
		OUT=$(OUT)/run EXTRACT_ACCOUNTING=$(E)/ingest-accounting.txt ITERATIONS=$(ITERATIONS) \
		TITLE='Settlement statement: vbr CCLF demo, synthetic CCLF files (seed $(SEED))'

# the CCLF files and the assignment list (and synth's canonical extract)
$(C)/cclf1.txt:
	rm -rf $(S).tmp
	mkdir -p $(OUT)
	$(BIN)/synth --members $(MEMBERS) --seed $(SEED) --cclf -o $(S).tmp
	rm -rf $(S)
	mv $(S).tmp $(S)

# Part A (revenue-center detail) and Part B, netted, as one claims stream
# whose columns are both streams' in order of first appearance
$(E)/claims.tsv.gz: $(C)/cclf1.txt
	mkdir -p $(E)
	$(BIN)/ingest -v --profile cclf2 --headers $(C)/cclf1.txt $(C)/cclf2.txt \
		>$(E)/part-a.tsv 2>$(E)/part-a.acct || { cat $(E)/part-a.acct >&2; exit 65; }
	$(BIN)/ingest -v --profile cclf5 $(C)/cclf5.txt \
		>$(E)/part-b.tsv 2>$(E)/part-b.acct || { cat $(E)/part-b.acct >&2; exit 65; }
	{ sed 's/^/cclf1.txt + cclf2.txt: /' $(E)/part-a.acct; \
	  sed 's/^/cclf5.txt: /' $(E)/part-b.acct; } >$(E)/claims.acct
	awk 'BEGIN { FS = OFS = "\t"; \
		for (k = 1; k < ARGC; k++) { getline h <ARGV[k]; close(ARGV[k]); n = split(h, a, "\t"); \
			for (i = 1; i <= n; i++) if (!(a[i] in col)) { col[a[i]] = ++nc; name[nc] = a[i] } } \
		for (i = 1; i <= nc; i++) printf "%s%s", name[i], i < nc ? OFS : "\n" } \
	     FNR == 1 { delete at; for (i = 1; i <= NF; i++) at[col[$$i]] = i; next } \
	     { for (i = 1; i <= nc; i++) printf "%s%s", (i in at) ? $$at[i] : "", i < nc ? OFS : "\n" }' \
		$(E)/part-a.tsv $(E)/part-b.tsv | gzip -6n >$@.tmp
	rm -f $(E)/part-a.tsv $(E)/part-b.tsv
	mv $@.tmp $@

# member months: each month's CCLF8 snapshot, the month from its name
$(E)/eligibility.tsv.gz: $(C)/cclf1.txt
	mkdir -p $(E)
	: >$(E)/eligibility.acct
	first=1; for f in $(C)/cclf8-*.txt; do m=$${f##*/cclf8-}; m=$${m%.txt}; \
		$(BIN)/ingest -v --profile cclf8 --month "$$m" "$$f" 2>$(E)/month.acct | \
		if [ $$first = 1 ]; then cat; else tail -n +2; fi; first=0; \
		sed "s/^/cclf8-$$m.txt: /" $(E)/month.acct >>$(E)/eligibility.acct; \
		done | gzip -6n >$@.tmp
	rm -f $(E)/month.acct
	mv $@.tmp $@

$(E)/factors.tsv.gz: $(C)/cclf1.txt
	mkdir -p $(E)
	awk -F'\t' 'NR == 1 || $$1 == "demographic"' $(S)/factors.tsv | gzip -6n >$@.tmp
	mv $@.tmp $@

$(E)/quality.tsv.gz: $(C)/cclf1.txt
	mkdir -p $(E)
	gzip -6nc $(S)/quality.tsv >$@.tmp
	mv $@.tmp $@

clean:
	rm -rf $(OUT)

.PHONY: all clean
.DELETE_ON_ERROR:
