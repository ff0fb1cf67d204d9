%% parallel: four processes (or the second argument's number) each compute
%% fib(N); the harness runs it with one scheduler (+S 1:1) and with one per
%% CPU.
-module(bench_parallel).
-export([main/0, main/1]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 30 end,
    Workers = case Args of [_, W | _] -> list_to_integer(W); _ -> 4 end,
    Self = self(),
    [spawn(fun() -> Self ! fib(N) end) || _ <- lists:seq(1, Workers)],
    Sum = lists:sum([receive V -> V end || _ <- lists:seq(1, Workers)]),
    io:format("~b~n", [Sum]),
    halt().
