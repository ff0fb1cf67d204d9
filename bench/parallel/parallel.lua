-- parallel: four goroutines (or the second argument's number) each compute
-- fib(n). Lua runs coroutines on one thread, so the harness runs this only
-- in the one-thread row.

package.path = (arg[0]:match("^(.*)/") or ".") .. "/../lib/?.lua;" .. package.path
local chan = require "chan"

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

chan.run(function(n, workers)
  local results = chan.new()
  for _ = 1, workers do
    chan.go(function()
      results:send(fib(n))
    end)
  end
  local sum = 0
  for _ = 1, workers do
    sum = sum + results:recv()
  end
  print(sum)
end, tonumber(arg[1]) or 30, tonumber(arg[2]) or 4)
