%% fib: naive recursive Fibonacci; measures calls and integer arithmetic.
-module(bench_fib).
-export([main/0, main/1]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 32 end,
    io:format("~b~n", [fib(N)]),
    halt().
