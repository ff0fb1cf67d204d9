#!/usr/bin/env bash
# Runs csp on the malformed-input corpus (tests/malformed/gen.py writes it
# into a temporary folder): truncated programs, random bytes, NUL bytes,
# 100,000-deep nesting, 10 MB literals, 1,000,000-line files. Each run must
# end with a defined exit status (NAME.bad.csp: 1, a compile error;
# NAME.any.csp: any status below 128) within the time limit: never a
# signal, a crash, a sanitizer report or a hang.
#
#   tests/malformed/run.sh [CSP...]
#
# CSP is the command to run (default ./csp); it may have arguments, e.g.
# `tests/malformed/run.sh build/release/unit/test_parser --parse` checks
# the parser alone. MALFORMED_TIMEOUT (seconds, default 20) is the limit
# per file; MALFORMED_KEEP=DIR keeps the corpus there.
# The last line is `N passed, N failed`; exit status 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then set -- ./csp; fi
if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
	echo "run.sh: $1: not found"
	echo "0 passed, 1 failed"
	exit 1
fi
limit=${MALFORMED_TIMEOUT:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=${MALFORMED_KEEP:-$work/corpus}
python3 "$here/gen.py" "$corpus" || { echo "run.sh: gen.py failed"; echo "0 passed, 1 failed"; exit 1; }

pass=0
fail=0
for f in "$corpus"/*.csp; do
	name=$(basename "$f")
	timeout -k 5 "$limit" "$@" "$f" </dev/null >/dev/null 2>"$work/err"
	rc=$?
	why=""
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		why="timed out after ${limit}s"
	elif [ $rc -ge 128 ]; then
		why="killed by signal $((rc - 128))"
	elif grep -q -a -E "AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|ThreadSanitizer" "$work/err"; then
		why="sanitizer report"
	else
		case $name in
		*.bad.csp) [ $rc -eq 1 ] || why="exit status $rc, want 1 (a compile error)" ;;
		esac
		if [ -z "$why" ] && [ $rc -eq 1 ] && [ ! -s "$work/err" ]; then
			why="exit status 1 without a message"
		fi
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: $why"
		head -c 300 "$work/err" | head -n 4 | sed 's/^/    /'
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
