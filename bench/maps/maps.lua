-- maps: n int keys inserted then summed; n/5 string keys counted twice.

local n = tonumber(arg[1]) or 1000000
local m = {}
for i = 0, n - 1 do
  m[i] = i
end
local sum = 0
for _, v in pairs(m) do
  sum = sum + v
end

local counts, keys = {}, 0
for _ = 1, 2 do
  for i = 0, n // 5 - 1 do
    local k = "k" .. i
    local c = counts[k]
    if c then
      counts[k] = c + 1
    else
      counts[k] = 1
      keys = keys + 1
    end
  end
end
local total = 0
for _, c in pairs(counts) do
  total = total + c
end
print(sum, keys, total)
