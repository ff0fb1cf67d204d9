%% stream: N ints from a producer process to the consumer. Erlang mailboxes
%% are unbounded, so the capacity of 128 is kept with credit: the producer
%% may run at most 128 messages ahead of the consumer's acknowledgements.
-module(bench_stream).
-export([main/0, main/1]).

-define(CAP, 128).

produce(Consumer, N, N, _) ->
    Consumer ! done;
produce(Consumer, I, N, 0) ->
    receive more -> produce(Consumer, I, N, ?CAP) end;
produce(Consumer, I, N, Credit) ->
    Consumer ! {value, I},
    produce(Consumer, I + 1, N, Credit - 1).

consume(Producer, Got, Sum) ->
    receive
        {value, V} when Got + 1 =:= ?CAP -> Producer ! more, consume(Producer, 0, Sum + V);
        {value, V} -> consume(Producer, Got + 1, Sum + V);
        done -> Sum
    end.

main() -> main([]).
main(Args) ->
    N = case Args of [A | _] -> list_to_integer(A); [] -> 5000000 end,
    Self = self(),
    Producer = spawn(fun() -> produce(Self, 0, N, ?CAP) end),
    io:format("~b~n", [consume(Producer, 0, 0)]),
    halt().
