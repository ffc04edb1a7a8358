-- brisk.timer / brisk.defer: order, repeat, cancel, headless waiting.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local order = {}
local t0 = T.ms()
brisk.timer(60, function() order[#order + 1] = "60" end)
brisk.timer(20, function() order[#order + 1] = "20" end)
brisk.defer(function() order[#order + 1] = "defer" end)
order[#order + 1] = "sync"
local reps = 0
local rep = brisk.timer(10, function(h) reps = reps + 1; if reps == 5 then h:cancel() end end, {["repeat"] = true})
local never = brisk.timer(30, function() order[#order + 1] = "cancelled!" end)
T.ok(never:active(), "active() before firing")
T.is(never:cancel(), true, "cancel returns true")
T.is(never:cancel(), false, "cancel twice returns false")
T.ok(not pcall(brisk.timer, -1, print), "negative delay raises")
T.ok(not pcall(brisk.timer, 10, "x"), "a non-function raises")
local done = T.wait("timers")
brisk.timer(150, function()
  T.is(table.concat(order, ","), "sync,defer,20,60", "defer runs first, timers in due order")
  T.is(reps, 5, "a repeating timer ran until it cancelled itself")
  T.ok(not rep:active(), "a cancelled repeating timer is inactive")
  T.ok(T.ms() - t0 >= 140, "a timer does not fire early")
  done()
end)
-- After the script: headless brisk must still wait for the one-shot timers.
T.go(5000)
