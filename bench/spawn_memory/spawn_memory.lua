-- spawn_memory: n goroutines, each blocked on a receive that never comes;
-- the harness reads the peak RSS. Prints how many goroutines are alive.

package.path = (arg[0]:match("^(.*)/") or ".") .. "/../lib/?.lua;" .. package.path
local chan = require "chan"

chan.run(function(n)
  local ready, block = chan.new(), chan.new()
  for _ = 1, n do
    chan.go(function()
      ready:send(true)
      block:recv()
    end)
  end
  for _ = 1, n do
    ready:recv()
  end
  print(chan.num_goroutine() - 1)
end, tonumber(arg[1]) or 100000)
