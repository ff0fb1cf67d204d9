-- sieve: the concurrent prime sieve, a chain of filter goroutines; prints
-- the n-th prime.

package.path = (arg[0]:match("^(.*)/") or ".") .. "/../lib/?.lua;" .. package.path
local chan = require "chan"

local function generate(ch)
  local i = 2
  while true do
    ch:send(i)
    i = i + 1
  end
end

local function filter(input, out, prime)
  while true do
    local i = input:recv()
    if i % prime ~= 0 then
      out:send(i)
    end
  end
end

chan.run(function(n)
  local ch = chan.new()
  chan.go(generate, ch)
  local prime = 0
  for _ = 1, n do
    prime = ch:recv()
    local ch1 = chan.new()
    chan.go(filter, ch, ch1, prime)
    ch = ch1
  end
  print(prime)
end, tonumber(arg[1]) or 3000)
