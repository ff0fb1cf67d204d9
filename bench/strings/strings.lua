-- strings: join n words into one string (~10 MB for the default n), split
-- it again and count one word.

local n = tonumber(arg[1]) or 1300000
local parts = {}
for i = 0, n - 1 do
  parts[#parts + 1] = "word" .. (i % 1000)
end
local s = table.concat(parts, " ")
local words = {}
for w in s:gmatch("[^ ]+") do
  words[#words + 1] = w
end
local count = 0
for _, w in ipairs(words) do
  if w == "word42" then count = count + 1 end
end
print(#s, #words, count)
