# lawtext: batch pipeline of small Unix filters for Chinese 法治政府建设 reports.
#
#   make                 build every tool into bin/
#   make check           build and run every test (CI=true adds -Werror and a
#                        sanitizer pass)
#   make check SAN=1     the same tests with AddressSanitizer + UBSan
#   make run             the main job over samples/ (IN=… OUT=… for a corpus;
#                        HOSTS=… on other machines, scripts/cluster-run)
#   make db              OUT/lawtext.sqlite from the job's tables
#   make report          OUT/report.html, a page to look at the corpus
#   make eval            score the pipeline against the gold annotations
#   make bench           throughput beside reference tools (not a test)
#   make fuzz            run every libFuzzer harness (FUZZ_SECONDS each)
#   make install PREFIX=/usr/local DESTDIR=

VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR_INSTALL = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/lawtext
MANDIR  = $(PREFIX)/share/man/man1

SHELL   = /bin/bash
.SHELLFLAGS = -o pipefail -c

CC     ?= cc
PKGS    = libpcre2-8 zlib libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcre2-8 -lz -lxml2)

ifeq ($(CI),true)
WERROR ?= 1
endif

OPT     ?= -O2
WARN     = -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror)
CPPFLAGS_ALL = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -DDATADIR='"$(DATADIR)"' -Icommon $(PKG_CFLAGS) $(CPPFLAGS)
CFLAGS_ALL   = -std=c11 $(OPT) -g $(WARN) $(CFLAGS)
LDLIBS_ALL   = $(PKG_LIBS) -lm $(LDLIBS)

ifeq ($(SAN),1)
BUILD    = build/san
BIN      = build/san/bin
OPT      = -O1
CFLAGS_ALL += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS_ALL = -fsanitize=address,undefined $(LDFLAGS)
else
BUILD    = build/rel
BIN      = bin
LDFLAGS_ALL = $(LDFLAGS)
endif

COMMON_SRC = $(wildcard common/*.c)
COMMON_OBJ = $(COMMON_SRC:%.c=$(BUILD)/%.o)
COMMON_LIB = $(BUILD)/libcommon.a

# A tool is tools/NAME.c, or a folder tools/NAME/ of .c files.
TOOLS_SINGLE = $(patsubst tools/%.c,%,$(wildcard tools/*.c))
TOOLS_DIR    = $(patsubst tools/%/,%,$(sort $(dir $(wildcard tools/*/*.c))))
TOOLS        = $(TOOLS_SINGLE) $(TOOLS_DIR)
TOOL_BINS    = $(TOOLS:%=$(BIN)/%)

UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check check-san run db report eval bench fuzz install clean distclean
.DELETE_ON_ERROR:
# The tools' object files are kept: a change to one file recompiles that file.
.SECONDARY:

all: $(TOOL_BINS)

# The dependency step: installs libpcre2-dev, zlib1g-dev and pkg-config on a
# fresh Debian machine (as root), a clear message otherwise. Stamped so it runs
# once per checkout.
build/.deps-ok: scripts/deps
	@scripts/deps
	@mkdir -p build && touch $@
deps:
	scripts/deps
# what some tests need (Chromium, PostgreSQL, sqlite3, pandas): once per checkout
build/.test-deps-ok: scripts/deps
	@scripts/deps --test
	@mkdir -p build && touch $@

$(BUILD)/common/%.o: common/%.c $(wildcard common/*.h) | $(BUILD)/common
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c -o $@ $<

$(COMMON_LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/common $(BUILD)/tests $(BIN): | build/.deps-ok
	mkdir -p $@

# tools/NAME.c
$(TOOLS_SINGLE:%=$(BIN)/%): $(BIN)/%: tools/%.c $(COMMON_LIB) $(wildcard common/*.h) | $(BIN)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(COMMON_LIB) $(LDLIBS_ALL)

# tools/NAME/*.c: every file but main.c goes into the tool's own library
# build/.../tools/NAME/libNAME.a, which the tool's unit test links too
# (tests/unit/test_NAME.c), so a test calls the same core the tool runs.
TOOL_HDRS = $(wildcard tools/*/*.h) $(wildcard common/*.h)
$(BUILD)/tools/%.o: tools/%.c $(TOOL_HDRS) | build/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -I$(<D) $(CFLAGS_ALL) -c -o $@ $<

tool_core_objs = $(patsubst %.c,$(BUILD)/%.o,$(filter-out tools/$(1)/main.c,$(wildcard tools/$(1)/*.c)))
.SECONDEXPANSION:
$(BUILD)/tools/%/lib.a: $$(call tool_core_objs,%)
	rm -f $@
	ar rcs $@ $^

$(TOOLS_DIR:%=$(BIN)/%): $(BIN)/%: $(BUILD)/tools/%/main.o $(BUILD)/tools/%/lib.a $(COMMON_LIB) | $(BIN)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# A unit test links its tool's library when there is one (test_NAME.c for
# tools/NAME/), and common's.
unit_tool_lib = $(if $(wildcard tools/$(1)/main.c),$(BUILD)/tools/$(1)/lib.a)
$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $$(call unit_tool_lib,$$(patsubst test_%,%,$$*)) $(COMMON_LIB) $(TOOL_HDRS) | $(BUILD)/tests
	$(CC) $(CPPFLAGS_ALL) -Itests/unit $(if $(call unit_tool_lib,$(patsubst test_%,%,$*)),-Itools/$(patsubst test_%,%,$*)) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(call unit_tool_lib,$(patsubst test_%,%,$*)) $(COMMON_LIB) $(LDLIBS_ALL)
# (the library as a plain prerequisite too: the secondary expansion above
# leaves it out, and a test would not be relinked after a change to it)
$(foreach t,$(TOOLS_DIR),$(if $(filter $(BUILD)/tests/test_$(t),$(UNIT_BINS)),$(eval $(BUILD)/tests/test_$(t): $(BUILD)/tools/$(t)/lib.a)))

# The LD_PRELOAD shim of the fault-injection tests (tests/fault/faultinj.c),
# never built with the sanitizers (it runs inside every process of a run).
FAULT_SHIM = $(BUILD)/tests/faultinj.so
$(FAULT_SHIM): tests/fault/faultinj.c | $(BUILD)/tests
	$(CC) -D_GNU_SOURCE -std=c11 -O1 -g $(WARN) -shared -fPIC -o $@ $< -ldl

# In CI (CI=true) `make check` also runs the whole suite under the sanitizers.
check: all $(UNIT_BINS) $(FAULT_SHIM) build/.test-deps-ok
	BIN=$(BIN) BUILD=$(BUILD) tests/run
ifeq ($(CI),true)
ifneq ($(SAN),1)
	$(MAKE) --no-print-directory check SAN=1
endif
endif

check-san:
	$(MAKE) check SAN=1

IN  ?= samples
OUT ?= out
run: all
ifdef HOSTS
	BIN='$(abspath $(BIN))' scripts/cluster-run '$(HOSTS)' '$(IN)' '$(OUT)'
else
	$(MAKE) --no-print-directory -f scripts/pipeline.mk IN='$(IN)' OUT='$(OUT)' BIN='$(abspath $(BIN))' run
endif

# OUT/lawtext.sqlite (data/schema.sql) and OUT/report.html, from the tables
# of the main job (run first: nothing to do when they are up to date)
db: run
	@scripts/pipeline-db '$(OUT)'
report: run
	@t='$(OUT)/report.html'; [ "$$t" -nt '$(OUT)/docs.tsv' ] && [ "$$t" -nt '$(OUT)/summary.tsv' ] && \
		[ "$$t" -nt '$(OUT)/coverage.tsv' ] && [ "$$t" -nt scripts/pipeline-report ] || scripts/pipeline-report '$(OUT)'

eval: all
	scripts/eval
	tests/bench/make-corpus -q -f build/eval-html-corpus 100 11 --html 100 --truth
	scripts/eval-html corpus build/eval-html-corpus
	@if [ -f ../shared/html/gold.tsv ]; then scripts/eval-html gold ../shared/html --readability; \
	else echo "eval-html: no ../shared/html: the real pages are not scored"; fi

bench: all
	scripts/bench

FUZZ_SECONDS ?= 600
fuzz:
	scripts/fuzz $(FUZZ_SECONDS)

install: all
	install -d "$(DESTDIR)$(BINDIR_INSTALL)" "$(DESTDIR)$(DATADIR)" "$(DESTDIR)$(MANDIR)"
	install -m 755 $(TOOL_BINS) "$(DESTDIR)$(BINDIR_INSTALL)"
	install -m 644 data/* "$(DESTDIR)$(DATADIR)"
	install -m 644 $(wildcard man/*.1) "$(DESTDIR)$(MANDIR)"

clean:
	rm -rf build bin

distclean: clean
	rm -rf out
