# demo.mk — the demo on the embedded default: a deterministic synthetic
# extract (synth), summarised. Later stages of the reconciliation chain
# (attribute … report) join this file as the tools arrive.
#
#   make -f pipelines/demo.mk BIN=build/bin OUT=out/demo MEMBERS=2000 SEED=1
#
# Every output is written to a temporary name and renamed when complete, so
# an interrupted run never leaves a plausible-looking file behind.

BIN     ?= build/bin
OUT     ?= out/demo
MEMBERS ?= 2000
SEED    ?= 1
SHELL   := /bin/bash
.SHELLFLAGS := -o pipefail -ec

all: $(OUT)/summary.txt

# the extract: claims, eligibility, roster, factors, quality, terms
$(OUT)/extract/claims.tsv:
	rm -rf $(OUT)/extract.tmp
	mkdir -p $(OUT)
	$(BIN)/synth --members $(MEMBERS) --seed $(SEED) -o $(OUT)/extract.tmp
	rm -rf $(OUT)/extract
	mv $(OUT)/extract.tmp $(OUT)/extract

# members, member months, claim lines and money per year
$(OUT)/summary.txt: $(OUT)/extract/claims.tsv
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
	} >$@.tmp
	mv $@.tmp $@

clean:
	rm -rf $(OUT)

.PHONY: all clean
.DELETE_ON_ERROR:
