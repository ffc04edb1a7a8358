# brisk: one plain Makefile. `make`, `make run`, `make check`, `make bench`,
# `make corpus`, `make install PREFIX=...`, `make uninstall`, `make clean`. Objects in build/, sanitizer
# objects in build/san/, tiny-size test objects in build/tiny/.

PREFIX  ?= /usr/local
PKGS    := ncursesw lua5.4 libcurl libpcre2-8 libutf8proc libxml-2.0 sqlite3 zlib libcrypto libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CC      ?= cc
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE $(WARN) $(OPT) $(PKG_CFLAGS) -I. -MMD -MP \
           -DBRISK_PREFIX='"$(PREFIX)"'
LDLIBS  += $(PKG_LIBS) -lm
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

BUF_SRC := $(wildcard buffer/*.c)
ED_SRC  := $(filter-out editor/main.c,$(wildcard editor/*.c))
LUA_SRC := $(wildcard lua/*.c)
LIB_SRC := $(BUF_SRC) $(ED_SRC) $(LUA_SRC)
LIB_OBJ := $(LIB_SRC:%.c=build/%.o)
BUF_OBJ := $(BUF_SRC:%.c=build/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
SAN_BIN  := $(UNIT_SRC:tests/unit/%.c=build/san/tests/%)
TINY_BIN := $(UNIT_SRC:tests/unit/%.c=build/tiny/tests/%)

all: brisk

brisk: build/editor/main.o build/libbrisk.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# main.c bakes in PREFIX (where an installed brisk finds its runtime):
# rebuild it whenever PREFIX changes.
build/prefix: FORCE
	@mkdir -p build
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
build/editor/main.o: build/prefix

build/libbrisk.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

build/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# Unit tests: normal, sanitized, and with tiny internal sizes (gap 1, pages
# of 8 bytes, files of 4 KiB mapped and of 16 KiB patched in place, 16-byte
# search / count / filter windows) so boundary cases run every time. They link only buffer/ (plus
# the few editor/ objects a test names below), so work in progress in
# editor/ or lua/ never stops them from building.
UNIT_LIBS := $(shell pkg-config --libs libpcre2-8 libutf8proc 2>/dev/null) -lm
UNIT_LD    = $(UNIT_LDFLAGS) $(filter %.o,$^) $(filter %.a,$^) $(UNIT_LIBS)
UNIT_DEPS := tests/unit/tap.h tests/unit/testfs.h
# $(call unit_links,TEST,OBJECTS): TEST also links OBJECTS (paths below a
# build directory) in each of the three builds; $(call unit_set,TEST,VAR =
# VALUE) sets a variable for TEST in each.
UNIT_BUILDS := build build/san build/tiny
comma := ,
unit_links = $(foreach b,$(UNIT_BUILDS),$(eval $(b)/tests/$(1): $(addprefix $(b)/,$(2))))
unit_set = $(foreach b,$(UNIT_BUILDS),$(eval $(b)/tests/$(1): $(2)))
# editor/ and lua/ modules that are plain C on top of buffer/ (test_render
# includes render.c, which hides escape sequences: ansi.c; lua/charset.c
# uses iconv, in libc; lua/xmlprep.c libxml2's entity table).
$(call unit_links,test_keys,editor/keys.o)
$(call unit_links,test_args,editor/args.o)
$(call unit_links,test_path,editor/path.o)
$(call unit_links,test_filter,editor/filter.o)
$(call unit_links,test_ansi,editor/ansi.o editor/style.o)
$(call unit_links,test_render,editor/ansi.o editor/style.o)
$(call unit_links,test_tally,editor/tally.o)
$(call unit_links,test_selection,editor/selection.o)
$(call unit_links,test_date,lua/date.o)
$(call unit_links,test_charset,lua/charset.o)
$(call unit_links,test_xmlprep,lua/xmlprep.o lua/charset.o)
$(call unit_set,test_xmlprep,UNIT_LIBS += $(shell pkg-config --libs libxml-2.0 2>/dev/null))
# test_multi_model and test_command drive the editor's commands through
# ed_command() on a headless editor, so they link the whole library (only
# what they reach) and every package.
$(call unit_links,test_multi_model,libbrisk.a)
$(call unit_set,test_multi_model,UNIT_LIBS = $(PKG_LIBS) -lm)
$(call unit_links,test_command,libbrisk.a)
$(call unit_set,test_command,UNIT_LIBS = $(PKG_LIBS) -lm)
# test_pattern: lua/pattern.c and lua/strlib.c against the system's liblua.
$(call unit_links,test_pattern,lua/pattern.o lua/strlib.o)
$(call unit_set,test_pattern,UNIT_LIBS = $(shell pkg-config --libs lua5.4 2>/dev/null) -lm)
# test_model: malloc/realloc/calloc wrapped for allocation-failure injection.
$(call unit_set,test_model,UNIT_LDFLAGS = -Wl$(comma)--wrap=malloc -Wl$(comma)--wrap=realloc -Wl$(comma)--wrap=calloc)

build/libbuf.a: $(BUF_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
build/tests/%: tests/unit/%.c $(UNIT_DEPS) build/libbuf.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(UNIT_LD)

build/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<
build/san/libbrisk.a: $(LIB_SRC:%.c=build/san/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
# brisk itself under ASan+UBSan, for the sandbox's regression tests (beside
# ./brisk, so it finds the same runtime files and plugins).
brisk-san: build/san/editor/main.o build/san/libbrisk.a
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)
build/san/libbuf.a: $(BUF_SRC:%.c=build/san/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
build/san/tests/%: tests/unit/%.c $(UNIT_DEPS) build/san/libbuf.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $< $(UNIT_LD)

TINY := -DGAPBUF_MIN_GAP=1 -DPAGES_LOAD=8 -DFILEIO_MAP_MIN=4096 -DFILEIO_PATCH_MIN=16384 -DSEARCH_WINDOW=16 -DFILTER_WINDOW=16 -DLINES_WINDOW=16
build/tiny/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(TINY) -c -o $@ $<
build/tiny/libbrisk.a: $(LIB_SRC:%.c=build/tiny/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
build/tiny/libbuf.a: $(BUF_SRC:%.c=build/tiny/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
build/tiny/tests/%: tests/unit/%.c $(UNIT_DEPS) build/tiny/libbuf.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(TINY) -o $@ $< $(UNIT_LD)

unit: $(UNIT_BIN) $(SAN_BIN) $(TINY_BIN)

# The two README commands. Both make sure the Debian packages are present.
run: deps
	@$(MAKE) --no-print-directory brisk
	./brisk $(or $(FILE),docs/demo.md)

check: deps-test
	@$(MAKE) --no-print-directory test

deps:
	@scripts/deps.sh
deps-test:
	@scripts/deps.sh --test

test: brisk unit brisk-san
	tests/tools/check-layers.sh
	prove -f $(sort $(wildcard tests/*.t tests/*/*.t))

# Where the measurements find what the repository does not carry: the
# project's bench tools (data generators, the terminal harness) and the
# large sample corpora, beside the repository on the project's machines.
# Set either to another folder; a script says so when its part is absent.
# (The tests never read them: make check stands alone.)
BRISK_BENCH_TOOLS ?= ../shared/bench
BRISK_CORPUS      ?= ../shared/samples/corpus

bench: brisk
	@BRISK_BENCH_TOOLS='$(BRISK_BENCH_TOOLS)' tests/tools/bench.sh

# Figures over the large sample corpora outside the repository (optional:
# each tests/corpus/*.sh says so when its corpus is absent).
corpus: brisk
	@BRISK_CORPUS='$(BRISK_CORPUS)' tests/tools/corpus.sh

# Installed files (DESTDIR for staging): the binary, its runtime Lua files
# and plugins, the man page, the docs and the bash and zsh completions.
# `make uninstall` with the same PREFIX/DESTDIR removes exactly these.
BINDIR  = $(DESTDIR)$(PREFIX)/bin
DATADIR = $(DESTDIR)$(PREFIX)/share
install: brisk
	install -d $(BINDIR) $(DATADIR)/brisk $(DATADIR)/man/man1 $(DATADIR)/doc/brisk \
		$(DATADIR)/bash-completion/completions $(DATADIR)/zsh/site-functions
	install -m 755 brisk $(BINDIR)/brisk
	rm -rf $(DATADIR)/brisk/runtime $(DATADIR)/brisk/plugins
	cp -R lua/runtime plugins $(DATADIR)/brisk/
	install -m 644 docs/brisk.1 $(DATADIR)/man/man1/brisk.1
	install -m 644 README.md docs/api.md $(DATADIR)/doc/brisk/
	install -m 644 completions/brisk.bash $(DATADIR)/bash-completion/completions/brisk
	install -m 644 completions/_brisk $(DATADIR)/zsh/site-functions/_brisk

uninstall:
	rm -f $(BINDIR)/brisk $(DATADIR)/man/man1/brisk.1 \
		$(DATADIR)/bash-completion/completions/brisk $(DATADIR)/zsh/site-functions/_brisk
	rm -rf $(DATADIR)/brisk $(DATADIR)/doc/brisk

clean:
	rm -rf build brisk brisk-san

.PHONY: all run check deps deps-test test unit bench corpus install uninstall clean FORCE
-include $(shell find build -name '*.d' 2>/dev/null)
