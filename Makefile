# csp — build, test, run.
#
#   make            build ./csp (release, -O2)
#   make run        build, then run the showcase example
#   make test       build and run every test (golden, unit, ASan+UBSan,
#                   GC stress, scheduler stress, TSan, bench --quick)
#   make debug      build build/debug/csp (-O0 -g)
#   make asan       build build/asan/csp (AddressSanitizer + UBSan)
#   make tsan       build build/tsan/csp (ThreadSanitizer)
#   make bench      run the benchmarks side by side with Go, Lua, Python, Erlang
#   make clean
#
# Every build mode puts its objects under build/MODE/; the generated lexer
# and parser sources live in build/gen/ and are never committed.

CC      ?= gcc
MODE    ?= release
B       := build/$(MODE)
GEN     := build/gen

CFLAGS_release := -O2 -g
CFLAGS_debug   := -O0 -g3
CFLAGS_asan    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
CFLAGS_tsan    := -O1 -g -fsanitize=thread
CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -pthread \
           -I. -I$(GEN) $(CFLAGS_$(MODE)) $(EXTRA_CFLAGS)
LDFLAGS := -pthread $(filter -fsanitize=%,$(CFLAGS_$(MODE)))
LDLIBS  := -ledit -lm

# Every .c file of a module folder is part of the interpreter; vm/main.c
# holds main() and is linked only into the csp binary.
MAIN    := vm/main.c
SRCS    := $(filter-out $(MAIN),$(wildcard lexer/*.c parser/*.c vm/*.c runtime/*.c stdlib/*.c))
GENSRCS := $(GEN)/lexer.c $(GEN)/grammar.c
OBJS    := $(patsubst %.c,$(B)/%.o,$(SRCS)) $(patsubst $(GEN)/%.c,$(B)/gen/%.o,$(GENSRCS))
UNITSRC := $(wildcard tests/unit/test_*.c)
UNITBIN := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNITSRC))

ifeq ($(MODE),release)
CSP := csp
else
CSP := $(B)/csp
endif

.PHONY: all run test debug asan tsan bench clean tools unit
all: $(CSP)

# --- build tools: install through apt-get when root, else say how --------
TOOLS_STAMP := build/.tools
$(TOOLS_STAMP):
	@missing=""; \
	command -v re2c  >/dev/null 2>&1 || missing="$$missing re2c"; \
	command -v lemon >/dev/null 2>&1 || missing="$$missing lemon"; \
	[ -f /usr/include/histedit.h ] || missing="$$missing libedit-dev"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing >/dev/null || \
	    { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing >/dev/null; } || exit 1; \
	  else \
	    echo "csp needs:$$missing"; echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
	@mkdir -p build && touch $@
tools: $(TOOLS_STAMP)

# --- generated sources ---------------------------------------------------
$(GEN)/lexer.c: lexer/lexer.re $(TOOLS_STAMP)
	@mkdir -p $(GEN)
	re2c -W --no-generation-date --no-version -o $@ $<

$(GEN)/grammar.c $(GEN)/grammar.h: parser/grammar.y $(TOOLS_STAMP)
	@mkdir -p $(GEN)
	lemon -q -l -d$(GEN) $<

# --- objects ---------------------------------------------------------------
$(B)/%.o: %.c $(GEN)/grammar.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/gen/%.o: $(GEN)/%.c $(GEN)/grammar.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-unused-variable -Wno-sign-compare -MMD -MP -c -o $@ $<

$(B)/libcsp.a: $(OBJS)
	@rm -f $@
	ar rcs $@ $^

$(CSP): $(B)/vm/main.o $(B)/libcsp.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/unit/%: tests/unit/%.c $(B)/libcsp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libcsp.a $(LDLIBS)

unit: $(UNITBIN)

-include $(OBJS:.o=.d) $(B)/vm/main.d

# --- other modes -------------------------------------------------------------
debug:
	$(MAKE) MODE=debug
asan:
	$(MAKE) MODE=asan
tsan:
	$(MAKE) MODE=tsan

# --- run and test --------------------------------------------------------------
run: $(CSP)
	CSP=./$(CSP) sh examples/showcase.sh

test: $(CSP)
	@bash tests/all.sh

bench: $(CSP)
	python3 bench/run

clean:
	rm -rf build csp
