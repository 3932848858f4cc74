# demo.mk — the demo on the embedded default: a deterministic synthetic
# extract (synth) through attribute, cohort-select, cap-large-claims,
# mix-factor, target, settle and simulate, ending in the statement as text
# and as one html page (report), with a summary of the extract per org.
#
#   make -f pipelines/demo.mk BIN=build/bin OUT=out/demo MEMBERS=2000 SEED=1
#
# Every output is written to a temporary name and renamed when complete, so
# an interrupted run never leaves a plausible-looking file behind.

OUT     ?= out/demo
MEMBERS ?= 2000
SEED    ?= 1
HERE    := $(dir $(lastword $(MAKEFILE_LIST)))
DEMO_MK := $(lastword $(MAKEFILE_LIST))
-include $(HERE)paths.mk
BIN     ?= $(or $(VBR_LIBEXEC),build/bin)
include $(HERE)plain.mk
$(call vbr_plain,BIN OUT MEMBERS SEED)
SHELL   := /bin/bash
.SHELLFLAGS := -o pipefail -ec

all: $(OUT)/summary.txt $(OUT)/statement.txt $(OUT)/statement.html

# the extract: claims, eligibility, roster, factors, quality, terms
$(OUT)/extract/claims.tsv:
	rm -rf $(OUT)/extract.tmp
	mkdir -p $(OUT)
	$(BIN)/synth --members $(MEMBERS) --seed $(SEED) -o $(OUT)/extract.tmp
	rm -rf $(OUT)/extract
	mv $(OUT)/extract.tmp $(OUT)/extract

X = $(OUT)/extract

# the contract: synth's terms, the claims paid through September 2024 (an
# interim run nine months into the measurement period, measured to date by
# cohort-select), completed by complete's chain ladder over 6 incurred months
TERMS = $(OUT)/terms.tsv
$(TERMS): $(X)/claims.tsv $(DEMO_MK)
	{ cat $(X)/terms.tsv; printf 'paid_through\t2024-09-30\ncompletion_method\tchain_ladder\ncompletion_window\t6\n'; } >$@.tmp
	mv $@.tmp $@

# completion factors by incurred month, from the claims' lag triangle
$(OUT)/completion.tsv: $(TERMS)
	$(BIN)/complete --terms $(TERMS) --triangle $(OUT)/triangle.tsv.tmp $(X)/claims.tsv >$@.tmp
	mv $(OUT)/triangle.tsv.tmp $(OUT)/triangle.tsv
	mv $@.tmp $@

# who is responsible for whom, per period
$(OUT)/attribution.tsv: $(X)/claims.tsv $(TERMS)
	$(BIN)/attribute --roster $(X)/roster.tsv --terms $(TERMS) $(X)/claims.tsv >$@.tmp
	mv $@.tmp $@

# the members that count, with member months and mix attributes
$(OUT)/cohort.tsv: $(OUT)/attribution.tsv
	$(BIN)/cohort-select --eligibility $(X)/eligibility.tsv --terms $(TERMS) $< >$@.tmp
	mv $@.tmp $@

# cost per member and period, large claims capped
$(OUT)/costs.tsv: $(OUT)/cohort.tsv $(OUT)/completion.tsv
	$(BIN)/cap-large-claims --cohort $< --completion $(OUT)/completion.tsv --terms $(TERMS) \
		$(X)/claims.tsv >$@.tmp
	mv $@.tmp $@

# population mix, base to measurement
$(OUT)/mix.tsv: $(OUT)/costs.tsv
	$(BIN)/mix-factor --factors $(X)/factors.tsv --terms $(TERMS) $< >$@.tmp
	mv $@.tmp $@

# the target per org: base PMPM, trend, mix adjustment D
$(OUT)/target.tsv: $(OUT)/costs.tsv $(OUT)/mix.tsv
	$(BIN)/target --terms $(TERMS) --mix $(OUT)/mix.tsv $< >$@.tmp
	mv $@.tmp $@

# the settlement per org and the programme total
$(OUT)/settlement.tsv: $(OUT)/costs.tsv $(OUT)/target.tsv
	$(BIN)/settle --total --terms $(TERMS) --target $(OUT)/target.tsv --quality $(X)/quality.tsv $< >$@.tmp
	mv $@.tmp $@

# the distribution of each org's settlement: 1,000 bootstrap draws (and the
# draws themselves, for the histograms)
$(OUT)/simulation.tsv: $(OUT)/costs.tsv $(OUT)/target.tsv
	$(BIN)/simulate --total --terms $(TERMS) --target $(OUT)/target.tsv --quality $(X)/quality.tsv \
		--iterations 1000 --seed $(SEED) --draws $(OUT)/draws.tsv.tmp $< >$@.tmp
	mv $(OUT)/draws.tsv.tmp $(OUT)/draws.tsv
	mv $@.tmp $@

# the statement, as text and as html: target development, mix, settlement,
# simulation and four scenarios each side of the target
REPORT = $(BIN)/report --terms $(TERMS) --target $(OUT)/target.tsv --mix $(OUT)/mix.tsv \
	--simulation $(OUT)/simulation.tsv --draws $(OUT)/draws.tsv --costs $(OUT)/costs.tsv --scenarios 4 \
	--title 'Settlement statement: vbr demo, synthetic extract'
STATEMENT_IN = $(OUT)/settlement.tsv $(OUT)/target.tsv $(OUT)/mix.tsv $(OUT)/simulation.tsv \
	$(OUT)/costs.tsv
$(OUT)/statement.txt: $(STATEMENT_IN)
	$(REPORT) --format text $< >$@.tmp
	mv $@.tmp $@
$(OUT)/statement.html: $(STATEMENT_IN)
	$(REPORT) --format html $< >$@.tmp
	mv $@.tmp $@

# the extract, then per org: members, member months and cost PMPM per
# period (exact cents: cost sums ÷ member months, rounded half up), and D
$(OUT)/summary.txt: $(OUT)/extract/claims.tsv $(OUT)/costs.tsv $(OUT)/mix.tsv \
		$(OUT)/target.tsv $(OUT)/settlement.tsv
	{ printf 'vbr demo: synthetic extract, %s members, seed %s\n\n' $(MEMBERS) $(SEED); \
	  awk -F'\t' 'NR > 1 { y = substr($$2, 1, 4); mm[y]++; if (!seen[$$1 y]++) m[y]++ } \
	    END { for (y in m) printf "%s eligibility: %d members, %d member months\n", y, m[y], mm[y] }' \
	    $(OUT)/extract/eligibility.tsv | sort; \
	  awk -F'\t' 'function c(v) { sub(/\./, "", v); return v + 0 } \
	    function d(v) { return sprintf("%s%d.%02d", v < 0 ? "-" : "", int((v < 0 ? -v : v) / 100), (v < 0 ? -v : v) % 100) } \
	    NR > 1 { y = substr($$4, 1, 4); n[y]++; a[y] += c($$13); p[y] += c($$14) } \
	    END { for (y in n) printf "%s claims: %d lines, allowed $$%s, paid $$%s\n", y, n[y], d(a[y]), d(p[y]) }' \
	    $(OUT)/extract/claims.tsv | sort; \
	  printf '\norgs: %s   roster providers: %s\n' \
	    "$$(tail -n +2 $(OUT)/extract/quality.tsv | wc -l)" \
	    "$$(tail -n +2 $(OUT)/extract/roster.tsv | wc -l)"; \
	  printf '\n%-6s %-8s %8s %13s %11s\n' org period members member_mo cost_pmpm; \
	  awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; next } \
	    { k = $$c["org_id"] " " $$c["period"]; n[k]++; mm[k] += $$c["member_months"]; \
	      v = $$c["cost"]; sub(/\./, "", v); cost[k] += v } \
	    END { for (k in n) { split(k, a, " "); p = int((cost[k] * 2 + mm[k]) / (2 * mm[k])); \
	      printf "%-6s %-8s %8d %13d %8d.%02d\n", a[1], a[2], n[k], mm[k], p / 100, p % 100 } }' \
	    $(OUT)/costs.tsv | sort; \
	  printf '\nmix adjustment D = M measure / M base (mix-factor):\n'; \
	  awk -F'\t' '$$2 == "aggregate" { printf "%s  M base %s  M measure %s  D %s\n", $$1, $$3, $$4, $$5 }' $(OUT)/mix.tsv; \
	  printf '\ntarget (target): A base PMPM, B trend, C = A x (1 + B), D mix adjustment, E = C x D\n'; \
	  awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; next } \
	    { printf "%s  A %s  B %s  C %s  D %s  E %s  target PMPM %s\n", $$1, $$c["base_pmpm"], \
	      $$c["trend"], $$c["target_base_basis_pmpm"], $$c["mix_adjustment"], \
	      $$c["target_measure_basis_pmpm"], $$c["target_pmpm"] }' $(OUT)/target.tsv; \
	  printf '\nsettlement (settle): positive = payer pays org\n%-6s %14s %14s %13s %8s %7s %14s\n' \
	    org target actual gross rate quality net; \
	  awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; next } \
	    { printf "%-6s %14s %14s %13s %8s %7s %14s\n", $$1, $$c["target_total"], $$c["actual_total"], \
	      $$c["gross_savings"], $$c["savings_rate"], $$c["quality_score"], $$c["net_settlement"] }' \
	    $(OUT)/settlement.tsv; \
	} >$@.tmp
	mv $@.tmp $@

clean:
	rm -rf $(OUT)

.PHONY: all clean
.DELETE_ON_ERROR:
