-- Tiny TAP helper for tests/lua/*.lua (run by tests/lua/platform.t).
-- Prints "ok - ..." / "not ok - ..." lines without numbers or a plan (the
-- wrapper numbers them), waits for asynchronous checks, and ends the run
-- with "# done NAME" so the wrapper knows the script got to its end.
-- Usage: local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local T = {failed = 0, count = 0, waiting = {}, nwaiting = 0}
local name = (arg and arg[0] or "?"):match("([^/]*)$")

function T.ok(cond, desc, diag)
  T.count = T.count + 1
  if cond then
    print("ok - " .. desc)
  else
    T.failed = T.failed + 1
    print("not ok - " .. desc)
    if diag ~= nil then print("# " .. tostring(diag):gsub("\n", "\n# ")) end
  end
  return cond
end

function T.is(got, want, desc)
  return T.ok(got == want, desc, ("got %s, want %s"):format(tostring(got), tostring(want)))
end

-- Error text contains word (case-insensitive).
function T.err(r, word, desc)
  local e = r and r.error and tostring(r.error):lower()
  return T.ok(e ~= nil and e:find(word:lower(), 1, true) ~= nil, desc, "error: " .. tostring(r and r.error))
end

local finished = false
function T.finish()
  if finished then return end
  finished = true
  print(("# done %s: %d checks, %d failed"):format(name, T.count, T.failed))
  io.stdout:flush()
  if T.failed > 0 then os.exit(1) end
  brisk.quit()
end

-- Returns a function to call when the named asynchronous check is over;
-- the run finishes once every one has been called (or the deadline passes).
function T.wait(what)
  T.nwaiting = T.nwaiting + 1
  T.waiting[what] = true
  return function()
    if not T.waiting[what] then return end
    T.waiting[what] = nil
    T.nwaiting = T.nwaiting - 1
    if T.nwaiting == 0 and T.started then T.finish() end
  end
end

-- Call after starting all asynchronous work.
function T.go(deadline_ms)
  T.started = true
  if T.nwaiting == 0 then return T.finish() end
  brisk.timer(deadline_ms or 30000, function()
    if finished then return end
    for what in pairs(T.waiting) do T.ok(false, "finished in time: " .. what) end
    T.finish()
  end)
end

function T.read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

function T.write(path, s, mode)
  local f = assert(io.open(path, mode or "wb"))
  f:write(s)
  f:close()
end

-- Milliseconds on a monotonic clock (brisk.clock if the host has it).
function T.ms()
  if brisk.clock then return brisk.clock() * 1000 end
  return os.time() * 1000
end

return T
