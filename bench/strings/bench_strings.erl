%% strings: join N words into one binary (~10 MB for the default N), split
%% it again and count one word.
-module(bench_strings).
-export([main/0, main/1]).

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 1300000 end,
    Parts = [<<"word", (integer_to_binary(I rem 1000))/binary>>
             || I <- lists:seq(0, N - 1)],
    S = iolist_to_binary(lists:join(<<" ">>, Parts)),
    Words = binary:split(S, <<" ">>, [global]),
    Count = length([W || W <- Words, W =:= <<"word42">>]),
    io:format("~b ~b ~b~n", [byte_size(S), length(Words), Count]),
    halt().
