%% skynet: a 10-ary tree of processes with N leaves; each leaf sends its
%% number, each inner node sums its children's.
-module(bench_skynet).
-export([main/0, main/1]).

skynet(Parent, Num, 1, _) ->
    Parent ! Num;
skynet(Parent, Num, Size, Div) ->
    Self = self(),
    Sub = Size div Div,
    [spawn(fun() -> skynet(Self, Num + I * Sub, Sub, Div) end)
     || I <- lists:seq(0, Div - 1)],
    Parent ! collect(Div, 0).

collect(0, Sum) -> Sum;
collect(K, Sum) -> receive V -> collect(K - 1, Sum + V) end.

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 1000000 end,
    Self = self(),
    spawn(fun() -> skynet(Self, 0, N, 10) end),
    receive Sum -> io:format("~b~n", [Sum]) end,
    halt().
