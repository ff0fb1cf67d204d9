-- loop: a counted loop summing i % 7; measures the bare interpreter loop.

local n = tonumber(arg[1]) or 30000000
local sum = 0
for i = 0, n - 1 do
  sum = sum + i % 7
end
print(sum)
