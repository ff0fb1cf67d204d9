-- skynet: a 10-ary tree of goroutines with n leaves; each leaf sends its
-- number, each inner node sums its children's.

package.path = (arg[0]:match("^(.*)/") or ".") .. "/../lib/?.lua;" .. package.path
local chan = require "chan"

local function skynet(c, num, size, div)
  if size == 1 then
    c:send(num)
    return
  end
  local rc = chan.new()
  local sub = size // div
  for i = 0, div - 1 do
    chan.go(skynet, rc, num + i * sub, sub, div)
  end
  local sum = 0
  for _ = 1, div do
    sum = sum + rc:recv()
  end
  c:send(sum)
end

chan.run(function(n)
  local c = chan.new()
  chan.go(skynet, c, 0, n, 10)
  local sum = c:recv()
  print(sum)
end, tonumber(arg[1]) or 1000000)
