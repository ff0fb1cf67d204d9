#!/usr/bin/env bash
# Runs the golden tests: every tests/golden/**/NAME.csp (files under a folder
# named `lib` are imported helpers, not tests) or those under the folders and
# files given, and compares what each run printed and returned with the
# expectations beside it:
#
#   NAME.out      expected standard output, exactly (absent: empty)
#   NAME.err      expected standard error, exactly (absent: empty)
#   NAME.exit     expected exit status (absent: 0)
#   NAME.in       standard input (absent: /dev/null)
#   NAME.args     arguments after NAME.csp (shell words: quotes work)
#   NAME.cmd      the whole argument list instead of `NAME.csp ARGS`, for
#                 options that come before the file (`-e 'println(1)'`);
#                 --threads is not added to it
#   NAME.env      extra environment, one VAR=VALUE a line
#   NAME.timeout  seconds allowed (default 20)
#   NAME.sort     marker: stdout is sorted (bytewise) before it is compared,
#                 for programs whose lines come out in scheduling order
#   NAME.uniq     marker: stdout is sorted and counted (`sort | uniq -c`)
#                 before it is compared: many long lines stay short to state
#   NAME.anyerr   marker: stderr must be non-empty but its text is not
#                 compared (only where LANGUAGE.md leaves the message open)
#   NAME.anyout   marker: the same for stdout (--version, --help)
#   NAME.signal   `SIG SECONDS`: send signal SIG (QUIT, INT...) that many
#                 seconds after the start
#   NAME.slow     marker: skipped with --skip-slow
#
# Each test runs in its own folder (`cd` there, then `csp NAME.csp`), so
# file names in messages read `NAME.csp:LINE:COL`, with TMPDIR set to a
# fresh empty folder that is removed afterwards.
#
#   tests/run.sh [--csp PATH] [--threads N] [--env VAR=VAL]... [-j N]
#                [--skip-slow] [--list-slow] [--timeout-mult K] [-v]
#                [DIR|FILE...]
#
# The last line is `N passed, N failed`; the exit status is 1 if any failed.
set -u
# The whole script is one block, read before it runs: editing the file
# while it runs cannot change what this run does.
{
root=$(cd "$(dirname "$0")/.." && pwd)
csp=$root/csp
threads=""
envs=()
jobs=2
skip_slow=0
list_slow=0
mult=1
verbose=0
targets=()

usage() {
	sed -n '2,/^set -u/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--csp) csp=$2; shift 2 ;;
	--csp=*) csp=${1#*=}; shift ;;
	--threads) threads=$2; shift 2 ;;
	--threads=*) threads=${1#*=}; shift ;;
	--env) envs+=("$2"); shift 2 ;;
	--env=*) envs+=("${1#*=}"); shift ;;
	-j) jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--skip-slow) skip_slow=1; shift ;;
	--list-slow) list_slow=1; shift ;;
	--timeout-mult) mult=$2; shift 2 ;;
	-v) verbose=1; shift ;;
	-h|--help) usage ;;
	-*) echo "run.sh: unknown option $1" >&2; usage ;;
	*) targets+=("$1"); shift ;;
	esac
done

case $csp in
/*) ;;
*) csp=$PWD/$csp ;;
esac
if [ $list_slow -eq 0 ] && [ ! -x "$csp" ]; then
	echo "run.sh: no interpreter at $csp" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
[ ${#targets[@]} -eq 0 ] && targets=("$root/tests/golden")

# Collect the tests, in a stable order.
tests=()
for t in "${targets[@]}"; do
	if [ -d "$t" ]; then
		while IFS= read -r f; do
			tests+=("$f")
		done < <(find "$t" -name '*.csp' -not -path '*/lib/*' | LC_ALL=C sort)
	elif [ -f "$t" ]; then
		tests+=("$t")
	elif [ -f "$t.csp" ]; then
		tests+=("$t.csp")
	else
		echo "run.sh: no test or folder $t (ignored)" >&2
	fi
done

# A test's name for reports: its path below tests/golden when it is there.
label() {
	local abs
	abs=$(cd "$(dirname "$1")" && pwd)/$(basename "$1" .csp)
	echo "${abs#$root/tests/golden/}"
}

if [ $list_slow -eq 1 ]; then
	for f in "${tests[@]}"; do
		[ -f "${f%.csp}.slow" ] && label "$f"
	done
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_one INDEX FILE: runs one test and writes its verdict to $work/INDEX.res
# (first line `ok`, `skip` or `FAIL`, then the report).
run_one() {
	local idx=$1 file=$2
	local dir base name res tmp
	dir=$(cd "$(dirname "$file")" && pwd)
	base=$(basename "$file" .csp)
	name=$(label "$file")
	res=$work/$idx
	if [ $skip_slow -eq 1 ] && [ -f "$dir/$base.slow" ]; then
		echo skip > "$res.tmp"; mv "$res.tmp" "$res.res"
		return
	fi

	# TMPDIR is set while .cmd and .args are expanded, so that they can
	# name files there.
	tmp=$(mktemp -d)
	local TMPDIR=$tmp
	local argv=() extra=()
	if [ -f "$dir/$base.cmd" ]; then
		eval "argv=($(cat "$dir/$base.cmd"))"
	else
		[ -n "$threads" ] && argv+=(--threads "$threads")
		argv+=("$base.csp")
		[ -f "$dir/$base.args" ] && eval "extra=($(cat "$dir/$base.args"))"
		argv+=("${extra[@]}")
	fi
	local input=/dev/null
	[ -f "$dir/$base.in" ] && input=$dir/$base.in
	local limit=20
	[ -f "$dir/$base.timeout" ] && limit=$(tr -d ' \n' < "$dir/$base.timeout")
	limit=$((limit * mult))
	local env_list=("${envs[@]}")
	if [ -f "$dir/$base.env" ]; then
		while IFS= read -r line; do
			[ -n "$line" ] && env_list+=("$line")
		done < "$dir/$base.env"
	fi

	local sig="" delay=""
	[ -f "$dir/$base.signal" ] && read -r sig delay < "$dir/$base.signal"
	if [ -z "$sig" ]; then
		(cd "$dir" && exec env TMPDIR="$tmp" "${env_list[@]}" \
			timeout -k 5 "$limit" "$csp" "${argv[@]}" \
			< "$input" > "$res.stdout" 2> "$res.stderr")
	else
		# timeout passes the signal on to the interpreter.
		(cd "$dir" || exit 1
		 env TMPDIR="$tmp" "${env_list[@]}" \
			timeout -k 5 "$limit" "$csp" "${argv[@]}" \
			< "$input" > "$res.stdout" 2> "$res.stderr" &
		 pid=$!
		 sleep "$delay"
		 kill -s "$sig" "$pid" 2> /dev/null
		 wait "$pid")
	fi
	local rc=$?

	local want_rc=0
	[ -f "$dir/$base.exit" ] && want_rc=$(tr -d ' \n' < "$dir/$base.exit")
	local want_out=/dev/null want_err=/dev/null
	[ -f "$dir/$base.out" ] && want_out=$dir/$base.out
	[ -f "$dir/$base.err" ] && want_err=$dir/$base.err
	if [ -f "$dir/$base.sort" ]; then
		LC_ALL=C sort "$res.stdout" > "$res.sorted"
		mv "$res.sorted" "$res.stdout"
	elif [ -f "$dir/$base.uniq" ]; then
		LC_ALL=C sort "$res.stdout" | uniq -c > "$res.sorted"
		mv "$res.sorted" "$res.stdout"
	fi

	local problems=()
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		problems+=("timed out after ${limit} s (exit status $rc)")
	elif [ "$rc" != "$want_rc" ]; then
		problems+=("exit status $rc, want $want_rc")
	fi
	local bad_out=0 bad_err=0
	if [ -f "$dir/$base.anyout" ]; then
		[ -s "$res.stdout" ] || problems+=("stdout is empty, want output")
	else
		cmp -s "$want_out" "$res.stdout" || { bad_out=1; problems+=("stdout differs"); }
	fi
	if [ -f "$dir/$base.anyerr" ]; then
		[ -s "$res.stderr" ] || { problems+=("stderr is empty, want a message"); }
	else
		cmp -s "$want_err" "$res.stderr" || { bad_err=1; problems+=("stderr differs"); }
	fi

	{
		if [ ${#problems[@]} -eq 0 ]; then
			echo ok
			echo "ok   $name"
		else
			echo FAIL
			local joined="" p
			for p in "${problems[@]}"; do joined+="${joined:+; }$p"; done
			echo "FAIL $name: $joined"
			if [ $bad_out -eq 1 ]; then
				echo "     --- stdout (- want, + got)"
				diff -u "$want_out" "$res.stdout" | tail -n +3 | head -n 25 | sed 's/^/     /'
			fi
			if [ $bad_err -eq 1 ]; then
				echo "     --- stderr (- want, + got)"
				diff -u "$want_err" "$res.stderr" | tail -n +3 | head -n 25 | sed 's/^/     /'
			fi
		fi
	} > "$res.tmp"
	rm -f "$res.stdout" "$res.stderr"
	rm -rf "$tmp"
	mv "$res.tmp" "$res.res"
}

pass=0
fail=0
skipped=0
next=0
total=${#tests[@]}

# flush: prints the verdicts that are ready, in test order.
flush() {
	while [ $next -lt $total ] && [ -f "$work/$next.res" ]; do
		local verdict
		verdict=$(head -n 1 "$work/$next.res")
		case $verdict in
		ok) pass=$((pass + 1)); [ $verbose -eq 1 ] && tail -n +2 "$work/$next.res" ;;
		skip) skipped=$((skipped + 1)) ;;
		*) fail=$((fail + 1)); tail -n +2 "$work/$next.res" ;;
		esac
		rm -f "$work/$next.res"
		next=$((next + 1))
	done
}

running=0
for i in "${!tests[@]}"; do
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
		flush
	fi
	run_one "$i" "${tests[$i]}" &
	running=$((running + 1))
done
wait
flush

[ $skipped -gt 0 ] && echo "$skipped skipped (slow)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
exit
}
