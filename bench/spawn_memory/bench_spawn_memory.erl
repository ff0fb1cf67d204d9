%% spawn_memory: N processes, each blocked on a receive that never comes;
%% the harness reads the peak RSS. Prints how many processes were added.
-module(bench_spawn_memory).
-export([main/0, main/1]).

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 100000 end,
    Before = erlang:system_info(process_count),
    Self = self(),
    [spawn(fun() -> Self ! ready, receive never -> ok end end)
     || _ <- lists:seq(1, N)],
    [receive ready -> ok end || _ <- lists:seq(1, N)],
    io:format("~b~n", [erlang:system_info(process_count) - Before]),
    halt().
