# brisk: one plain Makefile. `make`, `make run`, `make check`, `make bench`,
# `make install PREFIX=...`, `make clean`. Objects in build/, sanitizer
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

# Unit tests: normal, sanitized, and with tiny internal sizes (gap 1, line
# block 8) so boundary cases run every time. They link only buffer/ (plus
# the few editor/ objects a test names below), so work in progress in
# editor/ or lua/ never stops them from building.
UNIT_LIBS := $(shell pkg-config --libs libpcre2-8 libutf8proc 2>/dev/null) -lm
UNIT_LD    = $(UNIT_LDFLAGS) $(filter %.o,$^) $(filter %.a,$^) $(UNIT_LIBS)
UNIT_DEPS := tests/unit/tap.h
# test_keys: editor/keys.c on top of buffer/.
build/tests/test_keys: build/editor/keys.o
build/san/tests/test_keys: build/san/editor/keys.o
build/tiny/tests/test_keys: build/tiny/editor/keys.o
# test_filter: editor/filter.c on top of buffer/.
build/tests/test_filter: build/editor/filter.o
build/san/tests/test_filter: build/san/editor/filter.o
build/tiny/tests/test_filter: build/tiny/editor/filter.o
# test_selection: editor/selection.c on top of buffer/.
build/tests/test_selection: build/editor/selection.o
build/san/tests/test_selection: build/san/editor/selection.o
build/tiny/tests/test_selection: build/tiny/editor/selection.o
# test_multi_model: the editor's commands driven through ed_command(), so it
# links the whole library (only what it reaches) and every package.
build/tests/test_multi_model: build/libbrisk.a
build/san/tests/test_multi_model: build/san/libbrisk.a
build/tiny/tests/test_multi_model: build/tiny/libbrisk.a
build/tests/test_multi_model build/san/tests/test_multi_model build/tiny/tests/test_multi_model: \
	UNIT_LIBS = $(PKG_LIBS) -lm
# test_model: malloc/realloc/calloc wrapped for allocation-failure injection.
build/tests/test_model build/san/tests/test_model build/tiny/tests/test_model: \
	UNIT_LDFLAGS = -Wl,--wrap=malloc -Wl,--wrap=realloc -Wl,--wrap=calloc

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
build/san/libbuf.a: $(BUF_SRC:%.c=build/san/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
build/san/tests/%: tests/unit/%.c $(UNIT_DEPS) build/san/libbuf.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $< $(UNIT_LD)

TINY := -DGAPBUF_MIN_GAP=1 -DLINES_BLOCK=8
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

check: deps
	@$(MAKE) --no-print-directory test

deps:
	@scripts/deps.sh

test: brisk unit
	tests/tools/check-layers.sh
	prove -f $(sort $(wildcard tests/*.t tests/*/*.t))

bench: brisk
	@tests/tools/bench.sh

install: brisk
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/brisk $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 brisk $(DESTDIR)$(PREFIX)/bin/brisk
	rm -rf $(DESTDIR)$(PREFIX)/share/brisk/runtime $(DESTDIR)$(PREFIX)/share/brisk/plugins
	cp -R lua/runtime plugins $(DESTDIR)$(PREFIX)/share/brisk/
	install -m 644 docs/brisk.1 $(DESTDIR)$(PREFIX)/share/man/man1/brisk.1
	install -d $(DESTDIR)$(PREFIX)/share/doc/brisk
	install -m 644 README.md docs/api.md $(DESTDIR)$(PREFIX)/share/doc/brisk/

clean:
	rm -rf build brisk

.PHONY: all run check deps test unit bench install clean FORCE
-include $(shell find build -name '*.d' 2>/dev/null)
