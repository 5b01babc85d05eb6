# reclaimbench: one GNU Makefile for the program, its tests and benchmarks.
#   make            build ./reclaimbench
#   make check      install deps, build, run unit + integration tests (root)
#   make demo       install deps, build, run the default profile, plot it
#   make bench      install deps, build, print reclaimbench's figures beside fio,
#                   a page-touch loop, an empty loop (scripts/bench; root, ~2-3 min)
#   make install PREFIX=/usr/local
#   make check SANITIZE=1   same, with ASan + UBSan
#   V=1             show full compiler command lines

PREFIX  ?= /usr/local
VERSION := 0.1.0
PKGS    := liburing numa hwloc inih json-c
CC      ?= cc

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP -Iinclude \
           -DRB_VERSION='"$(VERSION)"' -DRB_DATADIR='"$(PREFIX)/share/reclaimbench"'
CFLAGS  += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread

ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BUILD   := build/san
else
BUILD   := build/release
endif

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2)
endif

HARNESS_SRC  := $(wildcard harness/*.c)
WORKLOAD_SRC := $(wildcard workloads/*.c)
LIB_SRC      := $(filter-out harness/main.c,$(HARNESS_SRC)) $(WORKLOAD_SRC)
LIB_OBJ      := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ     := $(BUILD)/harness/main.o
TEST_SRC     := $(wildcard tests/unit/test_*.c)
TEST_BIN     := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC    := $(wildcard tests/bench/*.c)
BENCH_BIN    := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
BENCH_OBJ    := $(BENCH_SRC:%.c=$(BUILD)/%.o)

all: reclaimbench

# The binary is built per flavour (release / sanitized) and copied to the
# repo root, so switching SANITIZE always leaves the matching ./reclaimbench.
reclaimbench: $(BUILD)/reclaimbench
	@cmp -s $< $@ || cp $< $@

$(BUILD)/reclaimbench: $(MAIN_OBJ) $(LIB_OBJ)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -c -o $@ $<

# Benchmarks link the harness like the tests do, without cmocka; their
# objects come from the generic $(BUILD)/%.o rule (kept, not intermediate).
$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.SECONDARY: $(BENCH_OBJ)

deps:
	$(Q)scripts/install-deps

unit-tests: $(TEST_BIN)

# The test runner installs what is missing, runs `reclaimbench restore`
# first, then every unit and integration test, and ends with "N passed, N failed".
check: deps
	$(Q)$(MAKE) --no-print-directory all unit-tests SANITIZE=$(SANITIZE)
	$(Q)BUILD=$(BUILD) scripts/run-tests

demo: deps
	$(Q)$(MAKE) --no-print-directory all SANITIZE=$(SANITIZE)
	$(Q)scripts/demo

# Side-by-side figures (scripts/bench): medians of alternating runs, one table.
bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BIN) SANITIZE=$(SANITIZE)
	$(Q)BUILD=$(BUILD) scripts/bench

install: reclaimbench
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/reclaimbench/profiles \
	        $(DESTDIR)$(PREFIX)/share/reclaimbench/plots
	install -m 755 reclaimbench $(DESTDIR)$(PREFIX)/bin/
	install -m 644 profiles/*.ini $(DESTDIR)$(PREFIX)/share/reclaimbench/profiles/
	for f in plots/*.gp; do [ ! -e "$$f" ] || install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/reclaimbench/plots/; done

clean:
	rm -rf build reclaimbench

.PHONY: reclaimbench all check demo bench install clean deps unit-tests
-include $(shell find build -name '*.d' 2>/dev/null)
