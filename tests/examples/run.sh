#!/usr/bin/env bash
# Runs every program in examples/ under `--threads 1` and `--threads 2` and
# checks it:
#   - it exits with status 0 within 5 seconds, writing nothing to stderr;
#   - its standard output, with timing fields masked, equals
#     tests/examples/NAME.tT.out (T = thread count) if that file exists,
#     else tests/examples/NAME.out.
# Masking is deliberately narrow: durations written as `123ms` become `Nms`
# and ratios written as `1.9x` become `Nx`; every other number (book
# counts, results, primes) must match exactly. An example whose output has
# other run-to-run variation (a load spread, say) lists extra sed -E
# expressions, one per line, in tests/examples/NAME.mask.
# Standard input comes from tests/examples/NAME.in (else /dev/null);
# extra arguments from tests/examples/NAME.args.
#
#   tests/examples/run.sh [NAME...]     CSP=path/to/csp to test another binary
#
# The last line is `N passed, N failed`; the exit status is 1 if any failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
CSP=${CSP:-./csp}
DIR=tests/examples
LIMIT_MS=5000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mask() {
	local extra=()
	[ -f "$DIR/$1.mask" ] && extra=(-f "$DIR/$1.mask")
	sed -E -e 's/[0-9]+(\.[0-9]+)?ms\b/Nms/g' \
	       -e 's/\b[0-9]+\.[0-9]+x\b/Nx/g' "${extra[@]}"
}

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for f in examples/*.csp; do
		n=${f#examples/}
		names+=("${n%.csp}")
	done
fi

pass=0
fail=0
for name in "${names[@]}"; do
	for t in 1 2; do
		label="$name (--threads $t)"
		expected=$DIR/$name.t$t.out
		[ -f "$expected" ] || expected=$DIR/$name.out
		if [ ! -f "$expected" ]; then
			echo "FAIL $label: no $DIR/$name.out"
			fail=$((fail + 1))
			continue
		fi
		input=/dev/null
		[ -f "$DIR/$name.in" ] && input=$DIR/$name.in
		args=()
		[ -f "$DIR/$name.args" ] && read -r -a args < "$DIR/$name.args"
		start=$(date +%s%N)
		timeout 10 "$CSP" --threads "$t" "examples/$name.csp" "${args[@]}" \
			< "$input" > "$work/stdout" 2> "$work/stderr"
		rc=$?
		ms=$(( ($(date +%s%N) - start) / 1000000 ))
		mask "$name" < "$work/stdout" > "$work/masked"
		problem=""
		if [ $rc -ne 0 ]; then
			problem="exit status $rc"
		elif [ $ms -ge $LIMIT_MS ]; then
			problem="took ${ms} ms (limit $LIMIT_MS)"
		elif [ -s "$work/stderr" ]; then
			problem="wrote to stderr"
		elif ! cmp -s "$expected" "$work/masked"; then
			problem="output differs from $expected"
		fi
		if [ -z "$problem" ]; then
			echo "ok   $label  ${ms} ms"
			pass=$((pass + 1))
		else
			echo "FAIL $label: $problem"
			diff -u "$expected" "$work/masked" | head -40 | sed 's/^/     /'
			if [ -s "$work/stderr" ]; then
				echo "     stderr:"
				head -20 "$work/stderr" | sed 's/^/     /'
			fi
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
