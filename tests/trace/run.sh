#!/usr/bin/env bash
# Tests of the scheduler trace: `csp --trace OUT.json|OUT.html` and
# CSP_SCHEDTRACE.
#
#   - the programs here (and examples/gophers.csp with --threads 1 and 2)
#     are traced to JSON and check_trace.py validates each trace: its
#     structure, one slice at a time per thread, creation / block / wake
#     order per goroutine, flows, GC slices, and the counts each program
#     implies;
#   - a trace is written also on os.exit, a panic, a deadlock and SIGQUIT,
#     and says so when it was truncated (CSP_TRACE_LIMIT);
#   - the HTML pages are loaded in headless Chromium by check_html.py: no
#     script error, one lane per thread, the expected goroutines and
#     slices, and a screenshot (skipped, and said so, without chromium);
#   - CSP_SCHEDTRACE=MS prints lines in the documented format.
#
#   tests/trace/run.sh [--csp PATH] [-v]
#
# The last line is `N passed, N failed`; the exit status is 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
csp=$root/csp
verbose=0
while [ $# -gt 0 ]; do
	case $1 in
	--csp) csp=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
	-v) verbose=1; shift ;;
	*) echo "usage: $0 [--csp PATH] [-v]" >&2; exit 2 ;;
	esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root" || exit 1

pass=0
fail=0
skip=0

ok() { echo "ok   $1${2:+  ($2)}"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1"
	[ -f "$work/log" ] && sed 's/^/     /' "$work/log" | head -n 25
	fail=$((fail + 1))
}

# trace NAME EXIT THREADS FILE.csp|-e CODE -- CHECKER-ARGS...: runs csp with
# --trace, expects exit status EXIT, then checks the trace.
trace() {
	local name=$1 want=$2 threads=$3
	shift 3
	local prog=()
	while [ "$1" != -- ]; do prog+=("$1"); shift; done
	shift
	local out=$work/$name.json
	timeout 60 "$csp" --threads "$threads" --trace "$out" "${prog[@]}" > "$work/stdout" 2> "$work/log"
	local rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "exit status $rc, expected $want" >> "$work/log"
		bad "$name"
		return
	fi
	if python3 "$here/check_trace.py" "$out" --threads "$threads" "$@" > "$work/log" 2>&1; then
		ok "$name" "$([ $verbose = 1 ] && cat "$work/log")"
	else
		bad "$name"
	fi
}

echo "--- traces (JSON)"
trace pingpong-1 0 1 "$here/pingpong.csp" -- --goroutines 2 --min-flows 300 \
	--reason "chan send" --end done
trace pingpong-2 0 2 "$here/pingpong.csp" -- --goroutines 2 --min-flows 300 --end done
trace select 0 2 "$here/select.csp" -- --goroutines 3 --reason select --min-timers 1 --min-flows 50
trace sleep 0 2 "$here/sleep.csp" -- --goroutines 6 --reason sleep --min-timers 15
trace gc 0 2 "$here/gc.csp" -- --goroutines 4 --min-gc 3
trace spawn 0 2 "$here/spawn.csp" -- --goroutines 11 --min-flows 5
trace exit 3 2 "$here/exit.csp" -- --goroutines 3 --end exit --end running
trace panic 2 2 "$here/panic.csp" -- --goroutines 2 --end panic
trace deadlock 2 1 "$here/deadlock.csp" -- --goroutines 2 --reason "chan receive"
trace code 0 1 -e 'println(1)' -- --goroutines 1 --end done
trace gophers-1 0 1 examples/gophers.csp -- --busy-lanes 1 --min-timers 100 --reason sleep
trace gophers-2 0 2 examples/gophers.csp -- --busy-lanes 2 --min-timers 100 --reason sleep

# --trace=FILE, and a truncated trace.
if "$csp" --threads 2 --trace="$work/eq.json" "$here/spawn.csp" > /dev/null 2> "$work/log" &&
	python3 "$here/check_trace.py" "$work/eq.json" --goroutines 11 > "$work/log" 2>&1; then
	ok "--trace=FILE"
else
	bad "--trace=FILE"
fi
if CSP_TRACE_LIMIT=5000 "$csp" --threads 2 --trace "$work/trunc.json" bench/ring/ring.csp 20000 \
	> /dev/null 2> "$work/err" && grep -q "truncated" "$work/err" &&
	python3 "$here/check_trace.py" "$work/trunc.json" --truncated > "$work/log" 2>&1; then
	ok "truncated"
else
	cat "$work/err" >> "$work/log"
	bad "truncated"
fi
# SIGQUIT: the goroutine dump, exit status 2, and the trace.
: > "$work/log"
"$csp" --threads 2 --trace "$work/quit.json" \
	-e 'go func() { for { x := 0; for i := range 1000 { x += i } } }(); time.sleep(10 * time.second)' \
	> /dev/null 2> "$work/err" &
pid=$!
sleep 1
kill -QUIT $pid
wait $pid
rc=$?
if [ $rc -eq 2 ] && grep -q "^SIGQUIT" "$work/err" &&
	python3 "$here/check_trace.py" "$work/quit.json" --goroutines 2 > "$work/log" 2>&1; then
	ok "SIGQUIT"
else
	echo "exit status $rc" >> "$work/log"
	bad "SIGQUIT"
fi
# A file that cannot be created: a usage error, exit status 1.
"$csp" --trace "$work/no/such/dir/t.json" "$here/spawn.csp" > /dev/null 2> "$work/log"
if [ $? -eq 1 ] && grep -q "trace" "$work/log"; then
	ok "unwritable trace file"
else
	bad "unwritable trace file"
fi

echo "--- pages (headless Chromium)"
# page NAME THREADS PROG [CHECK-HTML-ARGS...]
page() {
	local name=$1 threads=$2 prog=$3
	shift 3
	local out=$work/$name.html
	if ! timeout 60 "$csp" --threads "$threads" --trace "$out" "$prog" > /dev/null 2> "$work/log"; then
		bad "page $name"
		return
	fi
	if ! python3 "$here/check_trace.py" "$out" --threads "$threads" > "$work/log" 2>&1; then
		bad "page $name (embedded JSON)"
		return
	fi
	python3 "$here/check_html.py" "$out" --lanes "$threads" --screenshot "$work/$name.png" "$@" > "$work/log" 2>&1
	case $? in
	0) ok "page $name" "$([ $verbose = 1 ] && cat "$work/log")" ;;
	77) echo "skip page $name: skipped (no chromium)"; skip=$((skip + 1)) ;;
	*) bad "page $name" ;;
	esac
}
page gophers-1 1 examples/gophers.csp
page gophers-2 2 examples/gophers.csp
page spawn 2 "$here/spawn.csp" --goroutines 11

echo "--- CSP_SCHEDTRACE"
line='^SCHED [0-9]+ms: threads=[0-9]+ busy=[0-9]+ spinning=[0-9]+ idle=[0-9]+ runqueue=[0-9]+ \[[0-9 ]*\] goroutines=[0-9]+ running=[0-9]+ runnable=[0-9]+ waiting=[0-9]+ timers=[0-9]+ io=[0-9]+$'
CSP_SCHEDTRACE=20 "$csp" --threads 2 -e 'time.sleep(200 * time.millisecond); println("done")' \
	> "$work/stdout" 2> "$work/err"
n=$(grep -cE "$line" "$work/err")
others=$(grep -cvE "$line" "$work/err")
if [ "$(cat "$work/stdout")" = done ] && [ "$n" -ge 4 ] && [ "$others" -eq 0 ] &&
	grep -qE 'threads=2 .* goroutines=1 running=0 runnable=0 waiting=1 timers=1 ' "$work/err"; then
	ok "schedtrace" "$n lines"
else
	{ echo "$n lines in the format, $others others:"; head -n 5 "$work/err"; } > "$work/log"
	bad "schedtrace"
fi
CSP_SCHEDTRACE=0 "$csp" -e 'println("x")' > "$work/stdout" 2> "$work/err"
if [ ! -s "$work/err" ]; then ok "schedtrace off"; else cp "$work/err" "$work/log"; bad "schedtrace off"; fi

echo
[ $skip -gt 0 ] && echo "($skip skipped: no chromium)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
