# desynpuf.mk — the whole chain on CMS's DE-SynPUF subsets in
# ../shared/data/desynpuf: 2008 is the base year, 2009 the measurement year,
# inpatient claims are the cost of care; the orgs and the demographic
# factors are derived from the data itself, as below. It builds a canonical
# extract and runs pipelines/reconcile.mk on it, ending in the statement
# (text and html) under $(OUT)/run.
#
#   make -f pipelines/desynpuf.mk [DATA=../shared/data/desynpuf] [SAMPLES='1 2'] [OUT=out/desynpuf]
#                                 [ROUTE=population|claims]
#
# How the orgs are made (vbr-pipelines(7)). DE-SynPUF has no ACOs.
# * ROUTE=population (the default) measures a population, as a contract
#   whose payer assigns the members does: every beneficiary with a covered
#   month in a year is assigned, for that year's period, to the org of the
#   state they live in (SP_STATE_CODE at their last covered month of the
#   year): org_id ST<code>. The assignment list (extract/assignment.tsv.gz)
#   goes to the run as ASSIGNMENT; members with no claim count with a cost
#   of 0, as most members of a real contract do. A state is an org only with
#   at least MIN_MEMBERS (1000) members in each year.
# * ROUTE=claims attributes members from their inpatient stays instead:
#   each attending physician (AT_PHYSN_NPI) of a 2008 or 2009 stay is
#   rostered in the org of the state whose hospitals (PRVDR_NUM's first two
#   characters) they attended the most stays at (a tie: the smaller state
#   code), for states with at least MIN_STAYS (100) stays in each year;
#   inpatient claims carry no HCPCS code, so each line is marked INPATIENT
#   and codes.tsv makes that the one qualifying code. Beware what this
#   selects on: a period's cohort is exactly the members with a stay in
#   that period, so both periods' PMPMs are of hospitalised members only and
#   the savings it shows say nothing about a population.
# * Demographic factors: the 2008 allowed PMPM of each sex and age band
#   (age on 1 January) over all beneficiaries of the samples, divided by
#   the 2008 PMPM of all of them, to 4 decimals.
# * Quality: the contract (desynpuf-terms.tsv) has quality_mode none, so
#   the quality file has no rows.

HERE    := $(dir $(lastword $(MAKEFILE_LIST)))
-include $(HERE)paths.mk
DATA    ?= ../shared/data/desynpuf
BIN     ?= $(or $(VBR_LIBEXEC),build/bin)
OUT     ?= out/desynpuf
SAMPLES ?= $(sort $(patsubst DE1_0_2008_to_2010_Inpatient_Claims_Sample_%.csv.gz,%,\
             $(notdir $(wildcard $(DATA)/DE1_0_2008_to_2010_Inpatient_Claims_Sample_*.csv.gz))))
TERMS   ?= $(HERE)desynpuf-terms.tsv
ITERATIONS ?= 1000
MIN_STAYS  ?= 100
MIN_MEMBERS ?= 1000
ROUTE      ?= population
# inpatient rows ingest may reject (a dateless segment whose claim has no
# dated row anywhere): kept in extract/claims-rejects.tsv
MAX_REJECTS ?= 1000
include $(HERE)plain.mk
$(call vbr_plain,DATA BIN OUT TERMS ITERATIONS MIN_STAYS MIN_MEMBERS MAX_REJECTS ROUTE)
$(if $(filter population claims,$(ROUTE)),,$(error ROUTE: '$(ROUTE)' is not population or claims))
$(call vbr_plain_list,SAMPLES)

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
E := $(OUT)/extract
INPATIENT = $(SAMPLES:%=$(DATA)/DE1_0_2008_to_2010_Inpatient_Claims_Sample_%.csv.gz)
BENEFICIARY = $(foreach y,2008 2009,$(SAMPLES:%=$(DATA)/DE1_0_$(y)_Beneficiary_Summary_File_Sample_%.csv.gz))
RECONCILE = $(MAKE) --no-print-directory -f $(HERE)reconcile.mk

all: $(OUT)/run/statement.txt
	@echo "desynpuf: samples $(SAMPLES); statement: $(OUT)/run/statement.txt, $(OUT)/run/statement.html"

# the route's own inputs and reconcile.mk's variables for it
ifeq ($(ROUTE),population)
ROUTE_IN  = $(E)/assignment.tsv.gz
ROUTE_VAR = ASSIGNMENT=$(E)/assignment.tsv.gz
else
ROUTE_IN  = $(E)/roster.tsv.gz $(E)/codes.tsv
ROUTE_VAR = CODES=$(E)/codes.tsv
endif

$(OUT)/run/statement.txt: $(E)/claims.tsv.gz $(E)/eligibility.tsv.gz $(ROUTE_IN) \
		$(E)/factors.tsv.gz $(E)/quality.tsv.gz $(TERMS)
	cat $(E)/claims.acct $(E)/eligibility.acct >$(E)/ingest-accounting.txt
	$(RECONCILE) BIN=$(BIN) EXTRACT=$(E) TERMS=$(TERMS) $(ROUTE_VAR) OUT=$(OUT)/run \
		EXTRACT_ACCOUNTING=$(E)/ingest-accounting.txt \
		ITERATIONS=$(ITERATIONS) TITLE='Settlement statement: DE-SynPUF samples $(SAMPLES), 2009 against 2008 ($(ROUTE))'

# ROUTE=population: each beneficiary-year with a covered month, assigned to
# the org of the state at its last covered month; states with MIN_MEMBERS
# members in each year
$(E)/assignment.tsv.gz: $(E)/eligibility.tsv.gz
	gzip -dc $< | awk 'BEGIN { FS = OFS = "\t" } \
		NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; next } \
		{ y = substr($$c["month"], 1, 4); k = $$c["member_id"] SUBSEP y; \
		  if (!(k in st)) order[++n] = k; st[k] = $$c["region"] } \
		END { for (k in st) { split(k, a, SUBSEP); count[st[k], a[2]]++ } \
		      print "member_id", "period", "org_id"; \
		      for (i = 1; i <= n; i++) { split(order[i], a, SUBSEP); s = st[order[i]]; \
			if ((a[2] == "2008" || a[2] == "2009") && s != "" && \
			    count[s, "2008"] >= $(MIN_MEMBERS) && count[s, "2009"] >= $(MIN_MEMBERS)) \
				print a[1], (a[2] == "2008" ? "base" : "measure"), "ST" s } }' | \
		gzip -6n >$@.tmp
	mv $@.tmp $@

# claim lines, each marked with the qualifying pseudo-code INPATIENT
$(E)/claims.tsv.gz: $(INPATIENT)
	@[ -n "$(SAMPLES)" ] || { echo "desynpuf: no DE-SynPUF inpatient files in $(DATA)" >&2; exit 66; }
	mkdir -p $(E)
	{ $(BIN)/ingest -v --profile desynpuf-inpatient --rejects $(E)/claims-rejects.tsv \
		--max-rejects $(MAX_REJECTS) $^ 2>$(E)/claims.acct || { cat $(E)/claims.acct >&2; exit 65; }; } | \
		awk 'BEGIN { FS = OFS = "\t" } NR == 1 { print $$0, "hcpcs"; next } { print $$0, "INPATIENT" }' | \
		gzip -6n >$@.tmp
	mv $@.tmp $@

$(E)/codes.tsv:
	mkdir -p $(E)
	printf 'hcpcs\nINPATIENT\n' >$@.tmp
	mv $@.tmp $@

# member months of 2008 and 2009
$(E)/eligibility.tsv.gz: $(BENEFICIARY)
	mkdir -p $(E)
	{ $(BIN)/ingest -v --profile desynpuf-beneficiary $^ 2>$(E)/eligibility.acct || \
		{ cat $(E)/eligibility.acct >&2; exit 65; }; } | gzip -6n >$@.tmp
	mv $@.tmp $@

# each attending physician of 2008-2009 in the org of the state where they
# attended the most stays (one row per claim, not per segment), for the
# states with MIN_STAYS stays in each year
$(E)/roster.tsv.gz: $(E)/claims.tsv.gz
	gzip -dc $< | awk 'BEGIN { FS = OFS = "\t" } \
		NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; next } \
		{ y = substr($$c["from_date"], 1, 4); p = $$c["provider_id"]; st = substr($$c["facility_id"], 1, 2) } \
		(y == "2008" || y == "2009") && p != "" && st != "" && !seen[$$c["claim_id"]]++ { n[p, st]++; stays[st, y]++ } \
		END { for (k in n) { split(k, a, SUBSEP); \
			if (n[k] > best[a[1]] || (n[k] == best[a[1]] && a[2] < org[a[1]])) { best[a[1]] = n[k]; org[a[1]] = a[2] } } \
		      print "provider_id", "org_id", "role"; \
		      for (p in org) if (stays[org[p], "2008"] >= $(MIN_STAYS) && stays[org[p], "2009"] >= $(MIN_STAYS)) \
			print p, "ST" org[p], "pcp" | "LC_ALL=C sort" }' | gzip -6n >$@.tmp
	mv $@.tmp $@

# demographic factors: 2008 allowed PMPM per sex and age band ÷ the 2008 PMPM
$(E)/factors.tsv.gz: $(E)/claims.tsv.gz $(E)/eligibility.tsv.gz
	{ gzip -dc $(E)/eligibility.tsv.gz; gzip -dc $(E)/claims.tsv.gz; } | awk 'BEGIN { FS = OFS = "\t"; \
		split("0 65 70 75 80 85", lo, " "); split("64 69 74 79 84 120", hi, " ") } \
		function band(age,   i) { for (i = 6; i > 1; i--) if (age >= lo[i]) return i; return 1 } \
		$$1 == "member_id" { part++; delete c; for (i = 1; i <= NF; i++) c[$$i] = i; next } \
		part == 1 && substr($$c["month"], 1, 4) == "2008" { \
			m = $$c["member_id"]; b = $$c["sex"] ":" band(2008 - substr($$c["birth_date"], 1, 4) - 1 + (substr($$c["birth_date"], 6, 5) == "01-01")); \
			key[m] = b; mm[b]++; MM++ } \
		part == 2 && substr($$c["from_date"], 1, 4) == "2008" && ($$c["member_id"] in key) { \
			v = $$c["allowed"]; sub(/\./, "", v); cost[key[$$c["member_id"]]] += v; C += v } \
		END { print "dimension", "key", "factor"; \
		      for (b in mm) { split(b, s, ":"); \
			printf "demographic\t%s:%d-%d\t%.4f\n", s[1], lo[s[2]], hi[s[2]], (cost[b] / mm[b]) / (C / MM) | "LC_ALL=C sort" } }' | \
		gzip -6n >$@.tmp
	mv $@.tmp $@

$(E)/quality.tsv.gz:
	mkdir -p $(E)
	printf 'org_id\tquality_score\n' | gzip -6n >$@.tmp
	mv $@.tmp $@

clean:
	rm -rf $(OUT)

.PHONY: all clean
.DELETE_ON_ERROR:
