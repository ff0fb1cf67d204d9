#!/bin/sh
# The showcase that `make run` runs: every example once, the gophers and
# the dot product on one OS thread and then on more, so that concurrency
# (gophers: same speed on one thread) and parallelism (dot product: faster
# only with more threads) can be told apart. About ten seconds in all.
#
#   sh examples/showcase.sh            CSP=path/to/csp to use another binary
cd "$(dirname "$0")/.." || exit 1
CSP=${CSP:-./csp}
status=0

run() {
	printf '$ %s\n' "$CSP $*"
	"$CSP" "$@" || status=1
	echo
}

run --threads 1 examples/gophers.csp
run --threads 2 examples/gophers.csp
run examples/load_balancer.csp
run examples/sieve.csp
run examples/replicas.csp
run examples/pipeline.csp
run examples/drivers.csp
run --threads 1 examples/dot_product.csp
run examples/dot_product.csp
run examples/worker_pool.csp
printf '$ %s\n' "printf 'one\\ntwo\\nthree\\n' | $CSP examples/ticker.csp"
printf 'one\ntwo\nthree\n' | "$CSP" examples/ticker.csp || status=1
echo
run examples/echo_server.csp
exit $status
