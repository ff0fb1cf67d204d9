%% maps: N int keys inserted then summed; N div 5 string (binary) keys
%% counted twice.
-module(bench_maps).
-export([main/0, main/1]).

build(N, N, M) -> M;
build(I, N, M) -> build(I + 1, N, M#{I => I}).

count(N, N, Counts) -> Counts;
count(I, N, Counts) ->
    K = <<"k", (integer_to_binary(I))/binary>>,
    count(I + 1, N, maps:update_with(K, fun(C) -> C + 1 end, 1, Counts)).

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 1000000 end,
    M = build(0, N, #{}),
    Sum = maps:fold(fun(_, V, Acc) -> Acc + V end, 0, M),
    Counts = count(0, N div 5, count(0, N div 5, #{})),
    Total = maps:fold(fun(_, C, Acc) -> Acc + C end, 0, Counts),
    io:format("~b ~b ~b~n", [Sum, map_size(Counts), Total]),
    halt().
