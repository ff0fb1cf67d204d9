%% loop: a counted loop summing I rem 7; measures the bare loop.
-module(bench_loop).
-export([main/0, main/1]).

loop(N, N, Sum) -> Sum;
loop(I, N, Sum) -> loop(I + 1, N, Sum + I rem 7).

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 30000000 end,
    io:format("~b~n", [loop(0, N, 0)]),
    halt().
