-- chan.lua: goroutines and Go-style channels on Lua coroutines, shared by
-- the Lua versions of the concurrent benchmarks.
--
-- Everything runs on one OS thread. Runnable coroutines wait in one FIFO
-- run queue and are resumed, one at a time, from the loop in run(); a
-- blocked operation yields back to that loop. Resumes therefore never nest,
-- however long a chain of goroutines gets (Lua limits nested resumes to
-- about 200). Channels follow Go: an unbuffered send waits for a receiver,
-- a buffered one only when the buffer is full; a receive on a closed and
-- drained channel returns nil, false.

local M = {}

local CLOSED = {}          -- resume value telling a receiver its channel closed
local run_co, run_val = {}, {}
local head, tail = 1, 0    -- run queue is run_co[head..tail]
local live = 0             -- goroutines started and not yet finished

local function ready(co, v)
  tail = tail + 1
  run_co[tail], run_val[tail] = co, v
end

-- A FIFO of values (Programming in Lua's double-ended list, one end used).
local function fifo() return { first = 1, last = 0 } end

local function push(q, v)
  local last = q.last + 1
  q.last, q[last] = last, v
end

local function pop(q)
  local first = q.first
  if first > q.last then return nil end
  local v = q[first]
  q[first] = nil
  if first == q.last then q.first, q.last = 1, 0 else q.first = first + 1 end
  return v
end

local Chan = {}
Chan.__index = Chan

-- chan.new([cap]): a channel with a buffer of cap values (0: unbuffered).
function M.new(cap)
  return setmetatable({ cap = cap or 0, buf = fifo(), recvq = fifo(),
                        sendq = fifo(), closed = false }, Chan)
end

function Chan:send(v)
  if self.closed then error("send on closed channel", 2) end
  local r = pop(self.recvq)
  if r then ready(r, v) return end
  local buf = self.buf
  if buf.last - buf.first + 1 < self.cap then push(buf, v) return end
  push(self.sendq, { coroutine.running(), v })
  coroutine.yield()
end

function Chan:recv()
  local buf = self.buf
  if buf.last >= buf.first then
    local v = pop(buf)
    local s = pop(self.sendq)
    if s then push(buf, s[2]); ready(s[1]) end
    return v, true
  end
  local s = pop(self.sendq)
  if s then ready(s[1]); return s[2], true end
  if self.closed then return nil, false end
  push(self.recvq, coroutine.running())
  local v = coroutine.yield()
  if v == CLOSED then return nil, false end
  return v, true
end

function Chan:close()
  if self.closed then error("close of closed channel", 2) end
  self.closed = true
  for co in pop, self.recvq do ready(co, CLOSED) end
end

-- for v in ch:range() do ... end: receives until the channel is closed
-- (the values must not be nil).
function Chan:range()
  return function()
    local v, ok = self:recv()
    if ok then return v end
  end
end

-- chan.go(f, ...): starts f(...) as a new goroutine.
function M.go(f, ...)
  local n, args = select("#", ...), { ... }
  live = live + 1
  ready(coroutine.create(function()
    f(table.unpack(args, 1, n))
    live = live - 1
  end))
end

function M.num_goroutine() return live end

-- chan.run(main, ...): runs main(...) as the first goroutine and schedules
-- until it returns; the other goroutines are then abandoned, as in Go.
function M.run(main, ...)
  M.go(main, ...)
  local main_co = run_co[tail]
  while head <= tail do
    local co, v = run_co[head], run_val[head]
    run_co[head], run_val[head] = nil, nil
    if head == tail then head, tail = 1, 0 else head = head + 1 end
    local ok, err = coroutine.resume(co, v)
    if not ok then error(debug.traceback(co, err), 0) end
    if co == main_co and coroutine.status(co) == "dead" then return end
  end
  error("all goroutines are asleep - deadlock!", 0)
end

return M
