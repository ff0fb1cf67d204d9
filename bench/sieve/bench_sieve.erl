%% sieve: the concurrent prime sieve, a chain of filter processes; prints
%% the N-th prime. Sends are asynchronous in Erlang, so each stage pulls the
%% next number from the one before it ({next, From} / {value, V}): a
%% generator that pushed would flood the mailboxes.
-module(bench_sieve).
-export([main/0, main/1]).

generate(I) ->
    receive {next, From} -> From ! {value, I}, generate(I + 1) end.

filter(Src, Prime) ->
    receive {next, From} -> From ! {value, next_kept(Src, Prime)}, filter(Src, Prime) end.

next_kept(Src, Prime) ->
    I = next(Src),
    if I rem Prime =/= 0 -> I; true -> next_kept(Src, Prime) end.

next(Src) ->
    Src ! {next, self()},
    receive {value, V} -> V end.

primes(Src, 1) -> next(Src);
primes(Src, K) ->
    Prime = next(Src),
    primes(spawn(fun() -> filter(Src, Prime) end), K - 1).

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 3000 end,
    io:format("~b~n", [primes(spawn(fun() -> generate(2) end), N)]),
    halt().
