-- pingpong: n round trips between two goroutines on unbuffered channels.

package.path = (arg[0]:match("^(.*)/") or ".") .. "/../lib/?.lua;" .. package.path
local chan = require "chan"

chan.run(function(n)
  local ping, pong = chan.new(), chan.new()
  chan.go(function()
    for v in ping:range() do
      pong:send(v + 1)
    end
  end)
  local sum = 0
  for i = 0, n - 1 do
    ping:send(i)
    sum = sum + pong:recv()
  end
  ping:close()
  print(sum)
end, tonumber(arg[1]) or 1000000)
