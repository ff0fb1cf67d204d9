-- stream: n ints from a producer to a consumer through a channel of
-- capacity 128.

package.path = (arg[0]:match("^(.*)/") or ".") .. "/../lib/?.lua;" .. package.path
local chan = require "chan"

chan.run(function(n)
  local ch = chan.new(128)
  chan.go(function()
    for i = 0, n - 1 do
      ch:send(i)
    end
    ch:close()
  end)
  local sum = 0
  for v in ch:range() do
    sum = sum + v
  end
  print(sum)
end, tonumber(arg[1]) or 5000000)
