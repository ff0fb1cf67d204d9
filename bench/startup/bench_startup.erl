%% startup: an empty program; its time and RSS are the runtime's start-up cost.
-module(bench_startup).
-export([main/0, main/1]).

main() -> halt().
main(_) -> halt().
