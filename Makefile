# vbr — shared-savings reconciliation as Unix filters.
#   make            build every tool into $(BUILD)/bin
#   make check      run every test (unit, command-line, real data)
#   make check TESTS=ingest   run the tests whose name contains "ingest"
#   make check-sanitize       the same suite built with ASan + UBSan
#   make bench      the benchmark of bench/README (writes bench/RESULTS.md)
#   make demo       generate the synthetic extract and run the pipeline
#   make fuzz SECONDS=60      run each libFuzzer harness of tests/fuzz
#   make deps       install the Debian packages the project needs
#   make install PREFIX=/usr/local DESTDIR=   /   make uninstall

VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
LIBEXECDIR = $(PREFIX)/libexec/vbr
PIPEDIR  = $(PREFIX)/share/vbr/pipelines
MANDIR   = $(PREFIX)/share/man
BUILD   ?= build
SAN     ?=

PKGS     = zlib libarchive libisal
DEB_PKGS = build-essential pkg-config openssl zlib1g-dev libisal-dev libarchive-dev libcriterion-dev \
           mandoc mawk hyperfine zip gzip tar time chromium clang util-linux \
           parallel openssh-server openssh-client slurm-wlm munge

CC      ?= cc
CFLAGS  ?= -O2 -g
WFLAGS   = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -ffp-contract=off \
           -DVBR_VERSION='"$(VERSION)"' -Ilib
ifneq ($(SAN),)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WFLAGS) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS)
LDLIBS     = $(PKG_LIBS) -lpthread -lm

TOOLS    = ingest synth partition attribute cohort-select cap-large-claims complete mix-factor target settle simulate report
LIB_SRC  = $(wildcard lib/*.c)
LIB_OBJ  = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
LIBVBR   = $(BUILD)/libvbr.a
BINS     = $(TOOLS:%=$(BUILD)/bin/%)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN = $(BUILD)/bench/sumpaid
MANPAGES = $(wildcard man/*.[157])

# libFuzzer harnesses (tests/fuzz/README.md): the library built again by
# clang with coverage, ASan and UBSan; each harness runs SECONDS seconds
# from its committed seeds, new finds kept in $(BUILD)/fuzz/corpus
FUZZERS    = reader source mapping terms
FUZZ_CC    = clang
FUZZ_FLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer -O1 -g
FUZZ_OBJ   = $(LIB_SRC:lib/%.c=$(BUILD)/fuzz/lib/%.o)
FUZZ_BINS  = $(FUZZERS:%=$(BUILD)/fuzz/%)
SECONDS   ?= 60

all: $(BINS) $(BUILD)/bin/vbr

# the front command of the build tree runs the build tree's tools
$(BUILD)/bin/vbr: filters/vbr.c $(LIBVBR) | $(BUILD)/bin
	$(CC) $(ALL_CFLAGS) -DVBR_LIBEXEC='"$(abspath $(BUILD)/bin)"' \
		-DVBR_PIPELINES='"$(abspath pipelines)"' -o $@ $< $(LIBVBR) $(LDLIBS)

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h) | $(BUILD)/lib
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBVBR): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/%: filters/%.c $(LIBVBR) | $(BUILD)/bin
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBVBR) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(LIBVBR) | $(BUILD)/bench
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBVBR) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBVBR) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags criterion) -o $@ $< \
		$(LIBVBR) $(LDLIBS) $(shell pkg-config --libs criterion)

$(BUILD)/fuzz/lib/%.o: lib/%.c $(wildcard lib/*.h) | $(BUILD)/fuzz/lib
	$(FUZZ_CC) $(WFLAGS) $(FUZZ_FLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/harness.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(WFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< \
		$(FUZZ_OBJ) $(LDLIBS)

$(BUILD)/lib $(BUILD)/bin $(BUILD)/tests $(BUILD)/bench $(BUILD)/fuzz/lib:
	mkdir -p $@

check: $(BINS) $(BUILD)/bin/vbr $(UNIT_BIN) $(BENCH_BIN)
	BUILD=$(BUILD) sh tests/run.sh $(TESTS)

check-sanitize:
	$(MAKE) --no-print-directory BUILD=build/san SAN=1 check

bench: $(BINS) $(BENCH_BIN)
	BUILD=$(BUILD) sh bench/run.sh

demo: $(BINS)
	$(MAKE) -f pipelines/demo.mk BIN=$(BUILD)/bin
	cat out/demo/summary.txt out/demo/statement.txt
	@echo "html statement: out/demo/statement.html"; echo "text statement: out/demo/statement.txt"

fuzz: $(FUZZ_BINS)
	BUILD=$(BUILD) SECONDS=$(SECONDS) sh tests/fuzz/run.sh $(FUZZERS)

lint-man:
	mandoc -Tlint -W warning $(MANPAGES)

deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PKGS)

# The tools go where their generic names cannot collide with other
# programs, $(LIBEXECDIR); $(BINDIR) gets only the front command vbr(1),
# which knows both directories; the pipelines get paths.mk, which tells
# them where the tools are. PREFIX and DESTDIR must be plain paths.
include pipelines/plain.mk
ifneq ($(filter install uninstall,$(MAKECMDGOALS)),)
$(call vbr_plain,PREFIX DESTDIR)
endif
install: $(BINS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(PIPEDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for t in $(TOOLS); do cp $(BUILD)/bin/$$t $(DESTDIR)$(LIBEXECDIR)/$$t; done
	$(CC) $(ALL_CFLAGS) -DVBR_LIBEXEC='"$(LIBEXECDIR)"' -DVBR_PIPELINES='"$(PIPEDIR)"' \
		-o $(DESTDIR)$(BINDIR)/vbr filters/vbr.c $(LIBVBR) $(LDLIBS)
	for m in $(MANPAGES); do s=$${m##*.}; cp $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	cp pipelines/*.mk pipelines/*.sh pipelines/*.tsv $(DESTDIR)$(PIPEDIR)/
	printf '# written by make install: where the tools are\nVBR_LIBEXEC := %s\n' \
		'$(LIBEXECDIR)' >$(DESTDIR)$(PIPEDIR)/paths.mk

uninstall:
	rm -rf $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(PREFIX)/share/vbr
	rm -f $(DESTDIR)$(BINDIR)/vbr
	for m in $(MANPAGES); do s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done

clean:
	rm -rf build

.PHONY: all check check-sanitize bench demo fuzz lint-man deps install uninstall clean
.SECONDARY:
