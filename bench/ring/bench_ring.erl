%% ring: 503 processes in a ring pass a token N times; prints the id
%% (1..503) of the process that receives it last.
-module(bench_ring).
-export([main/0, main/1]).

-define(WORKERS, 503).

worker(Id, Next, Main) ->
    receive
        0 -> Main ! {done, Id};
        T -> Next ! T - 1, worker(Id, Next, Main)
    end.

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 5000000 end,
    Main = self(),
    Pids = [spawn(fun() -> receive {next, Next} -> worker(Id, Next, Main) end end)
            || Id <- lists:seq(1, ?WORKERS)],
    lists:foreach(fun({P, Next}) -> P ! {next, Next} end,
                  lists:zip(Pids, tl(Pids) ++ [hd(Pids)])),
    hd(Pids) ! N,
    receive {done, Id} -> io:format("~b~n", [Id]) end,
    halt().
