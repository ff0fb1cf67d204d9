#!/usr/bin/env bash
# Runs every test of csp; `make test` calls it after building ./csp.
#
#   a. unit tests          make unit, then each build/release/unit/test_*
#   b. golden suite        tests/run.sh with ./csp
#   c. concurrency         the concurrency, runtime and stress golden tests
#                          with --threads 1, 2 and 8, then CSP_SCHEDSTRESS=1
#   d. GC stress           the golden suite with CSP_GCSTRESS=1
#   e. ASan + UBSan        make MODE=asan, the golden suite on build/asan/csp
#   f. TSan                make MODE=tsan, the concurrency tests on
#                          build/tsan/csp --threads 4
#   g. malformed input     tests/malformed/run.sh ./csp
#   h. examples            tests/examples/run.sh
#   i. benchmarks          python3 bench/run --quick
#   j. scheduler trace     tests/trace/run.sh (--trace JSON and HTML pages,
#                          in headless Chromium when installed; CSP_SCHEDTRACE)
#   k. REPL                tests/repl/run.sh: the REPL typed at through a
#                          pseudo-terminal
#
# Every step prints a header and its own count and the run goes on after a
# failure; the last line sums every step as `N passed, N failed`, and the
# exit status is 1 if anything failed. A step whose part of the tree does
# not exist yet says `skipped (missing X)`. Heavy tests (NAME.slow) are left
# out of the slowed-down runs (GC stress, sanitizers, scheduler stress).
#
#   tests/all.sh [-j N]      N: parallel golden tests (default: CPU count)
set -u
# The whole script is one block, read before it runs: editing the file
# while it runs cannot change what this run does.
{
cd "$(dirname "$0")/.." || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
[ "${1:-}" = -j ] && jobs=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

total_pass=0
total_fail=0
step_pass=0
step_fail=0
step_name=""

step() {
	step_name=$1
	step_pass=0
	step_fail=0
	echo
	echo "=== $step_name ==="
}

end_step() {
	echo "--- $step_name: $step_pass passed, $step_fail failed"
	total_pass=$((total_pass + step_pass))
	total_fail=$((total_fail + step_fail))
}

skip_step() {
	echo "skipped (missing $1)"
	echo "--- $step_name: skipped"
}

# counted CMD...: runs a command that ends its output with `N passed, N
# failed` and adds those counts to the step; a command that fails without
# such a line counts as one failure, one that succeeds as one pass.
counted() {
	"$@" 2>&1 | tee "$work/log"
	local rc=${PIPESTATUS[0]}
	local last p f
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/log" | tail -n 1)
	if [ -n "$last" ]; then
		p=${last%% passed*}
		f=${last#*passed, }
		f=${f%% failed*}
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	elif [ "$rc" -eq 0 ]; then
		p=1 f=0
	else
		echo "FAIL: '$*' exited with status $rc"
		p=0 f=1
	fi
	step_pass=$((step_pass + p))
	step_fail=$((step_fail + f))
}

# build MODE: builds build/MODE/csp (./csp for release) and copies it to
# $work/csp-MODE, so that a rebuild during the run cannot change the binary
# under test; false on failure, which counts as one failed test of the step.
build() {
	if make -j"$jobs" MODE="$1" > "$work/build.log" 2>&1; then
		local bin=build/$1/csp
		[ "$1" = release ] && bin=csp
		cp "$bin" "$work/csp-$1" && return 0
	fi
	echo "FAIL: make MODE=$1"
	tail -n 30 "$work/build.log" | sed 's/^/     /'
	step_fail=$((step_fail + 1))
	return 1
}

golden() { bash tests/run.sh -j "$jobs" "$@"; }

conc_dirs=()
for d in concurrency runtime stress; do
	[ -d "tests/golden/$d" ] && conc_dirs+=("tests/golden/$d")
done

# --- a. unit tests ------------------------------------------------------------
step "unit tests"
if ! compgen -G "tests/unit/test_*.c" > /dev/null; then
	skip_step "tests/unit/test_*.c"
else
	if make -j"$jobs" unit > "$work/build.log" 2>&1; then
		for t in build/release/unit/test_*; do
			[ -x "$t" ] || continue
			if timeout 120 "$t" > "$work/unit.log" 2>&1; then
				echo "ok   $(basename "$t")"
				step_pass=$((step_pass + 1))
			else
				echo "FAIL $(basename "$t") (exit status $?)"
				tail -n 20 "$work/unit.log" | sed 's/^/     /'
				step_fail=$((step_fail + 1))
			fi
		done
	else
		echo "FAIL: make unit"
		tail -n 30 "$work/build.log" | sed 's/^/     /'
		step_fail=$((step_fail + 1))
	fi
	end_step
fi

# --- b. golden suite ------------------------------------------------------------
step "golden suite"
if build release; then
	counted golden --csp "$work/csp-release"
fi
end_step

# --- c. concurrency under other thread counts and scheduler stress -------------
step "concurrency: threads 1, 2, 8 and CSP_SCHEDSTRESS=1"
if [ ${#conc_dirs[@]} -eq 0 ]; then
	skip_step "tests/golden/concurrency"
elif [ -x "$work/csp-release" ]; then
	for n in 1 2 8; do
		echo "-- --threads $n"
		counted golden --csp "$work/csp-release" --threads "$n" "${conc_dirs[@]}"
	done
	echo "-- CSP_SCHEDSTRESS=1"
	counted golden --csp "$work/csp-release" --env CSP_SCHEDSTRESS=1 --skip-slow \
		--timeout-mult 3 "${conc_dirs[@]}"
	end_step
else
	echo "FAIL: no ./csp"
	step_fail=1
	end_step
fi

# --- d. GC stress ---------------------------------------------------------------
step "GC stress (CSP_GCSTRESS=1)"
if [ -x "$work/csp-release" ]; then
	counted golden --csp "$work/csp-release" --env CSP_GCSTRESS=1 --skip-slow --timeout-mult 5
else
	echo "FAIL: no ./csp"
	step_fail=1
fi
end_step

# --- e. ASan + UBSan --------------------------------------------------------------
step "ASan + UBSan"
if build asan; then
	counted golden --csp "$work/csp-asan" --skip-slow --timeout-mult 5 \
		--env ASAN_OPTIONS=detect_leaks=1 --env UBSAN_OPTIONS=print_stacktrace=1
fi
end_step

# --- f. TSan --------------------------------------------------------------------
step "TSan (--threads 4)"
if [ ${#conc_dirs[@]} -eq 0 ]; then
	skip_step "tests/golden/concurrency"
else
	if build tsan; then
		counted golden --csp "$work/csp-tsan" --threads 4 --skip-slow --timeout-mult 10 \
			--env TSAN_OPTIONS=halt_on_error=1 "${conc_dirs[@]}"
	fi
	end_step
fi

# --- g. malformed input -----------------------------------------------------------
step "malformed-input corpus"
if [ -f tests/malformed/run.sh ]; then
	counted bash tests/malformed/run.sh "$work/csp-release"
	end_step
else
	skip_step "tests/malformed/run.sh"
fi

# --- h. examples --------------------------------------------------------------------
step "examples"
if [ -f tests/examples/run.sh ]; then
	CSP=$work/csp-release counted bash tests/examples/run.sh
	end_step
else
	skip_step "tests/examples/run.sh"
fi

# --- i. benchmarks, quick ---------------------------------------------------------------
step "benchmarks (--quick)"
if [ -f bench/run ]; then
	counted python3 bench/run --quick
	end_step
else
	skip_step "bench/run"
fi

# --- j. scheduler trace ---------------------------------------------------------------
step "scheduler trace (--trace, CSP_SCHEDTRACE)"
if [ -f tests/trace/run.sh ]; then
	counted bash tests/trace/run.sh --csp "$work/csp-release"
	end_step
else
	skip_step "tests/trace/run.sh"
fi

# --- k. REPL ------------------------------------------------------------------------
step "REPL (on a pseudo-terminal)"
if [ -f tests/repl/run.sh ]; then
	counted bash tests/repl/run.sh --csp "$work/csp-release" -j 4
	end_step
else
	skip_step "tests/repl/run.sh"
fi

echo
echo "$total_pass passed, $total_fail failed"
[ $total_fail -eq 0 ]
exit
}
