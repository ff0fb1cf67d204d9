%% pingpong: N round trips between two processes.
-module(bench_pingpong).
-export([main/0, main/1]).

pong() ->
    receive
        {From, V} -> From ! V + 1, pong();
        stop -> ok
    end.

ping(_, N, N, Sum) -> Sum;
ping(Pong, I, N, Sum) ->
    Pong ! {self(), I},
    receive V -> ping(Pong, I + 1, N, Sum + V) end.

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 1000000 end,
    Pong = spawn(fun pong/0),
    Sum = ping(Pong, 0, N, 0),
    Pong ! stop,
    io:format("~b~n", [Sum]),
    halt().
