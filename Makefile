# brisk: one plain Makefile. `make`, `make run`, `make check`, `make bench`,
# `make install PREFIX=...`, `make clean`. Objects in build/, sanitizer
# objects in build/san/, tiny-size test objects in build/tiny/.

PREFIX  ?= /usr/local
PKGS    := ncursesw lua5.4 libcurl libpcre2-8 libutf8proc libxml-2.0 sqlite3 zlib libcrypto
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

build/libbrisk.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

build/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# Unit tests: normal, sanitized, and with tiny internal sizes (gap 1, line
# block 8) so boundary cases run every time.
build/tests/%: tests/unit/%.c tests/unit/tap.h build/libbrisk.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< build/libbrisk.a $(LDLIBS)

build/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<
build/san/libbrisk.a: $(LIB_SRC:%.c=build/san/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
build/san/tests/%: tests/unit/%.c tests/unit/tap.h build/san/libbrisk.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $< build/san/libbrisk.a $(LDLIBS)

TINY := -DGAPBUF_MIN_GAP=1 -DLINES_BLOCK=8
build/tiny/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(TINY) -c -o $@ $<
build/tiny/libbrisk.a: $(LIB_SRC:%.c=build/tiny/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
build/tiny/tests/%: tests/unit/%.c tests/unit/tap.h build/tiny/libbrisk.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(TINY) -o $@ $< build/tiny/libbrisk.a $(LDLIBS)

unit: $(UNIT_BIN) $(SAN_BIN) $(TINY_BIN)

# The two README commands. Both make sure the Debian packages are present.
run: deps
	@$(MAKE) --no-print-directory brisk
	./brisk $(FILE)

check: deps
	@$(MAKE) --no-print-directory test

deps:
	@scripts/deps.sh

test: brisk unit
	tests/tools/check-layers.sh
	prove -f tests/run-unit.t tests/run-keys.t tests/lua/*.t tests/plugins/*.t tests/e2e/*.t

bench: brisk
	@tests/tools/bench.sh

install: brisk
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/brisk $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 brisk $(DESTDIR)$(PREFIX)/bin/brisk
	cp -R lua/runtime plugins $(DESTDIR)$(PREFIX)/share/brisk/
	install -m 644 docs/brisk.1 $(DESTDIR)$(PREFIX)/share/man/man1/brisk.1

clean:
	rm -rf build brisk

.PHONY: all run check deps test unit bench install clean
-include $(shell find build -name '*.d' 2>/dev/null)
