#!/usr/bin/env bash
# Runs the REPL tests through a pseudo-terminal (tests/repl/run.py):
#
#   tests/repl/run.sh [--csp PATH] [-j N] [NAME...]
#
# Last line: `N passed, N failed`; exit status 1 when a test failed.
cd "$(dirname "$0")/../.." || exit 1
exec python3 tests/repl/run.py "$@"
