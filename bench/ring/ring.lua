-- ring: 503 goroutines in a ring pass a token n times; prints the id
-- (1..503) of the goroutine that receives it last.

package.path = (arg[0]:match("^(.*)/") or ".") .. "/../lib/?.lua;" .. package.path
local chan = require "chan"

local WORKERS = 503

local function worker(id, input, out, done)
  for t in input:range() do
    if t == 0 then
      done:send(id)
      return
    end
    out:send(t - 1)
  end
end

chan.run(function(n)
  local done, first = chan.new(), chan.new()
  local input = first
  for id = 1, WORKERS do
    local out = first
    if id < WORKERS then out = chan.new() end
    chan.go(worker, id, input, out, done)
    input = out
  end
  first:send(n)
  local id = done:recv()
  print(id)
end, tonumber(arg[1]) or 5000000)
