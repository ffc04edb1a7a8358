-- brisk.watch_file: append, truncate, replace; inotify and polling.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local path = os.tmpname()
T.write(path, "start\n")
local evs = {i = {}, p = {}}
local wi = brisk.watch_file(path, function(ev, size) table.insert(evs.i, ev .. "@" .. size) end)
local wp = brisk.watch_file(path, function(ev, size) table.insert(evs.p, ev .. "@" .. size) end, {poll = true})
T.ok(wi and wi:active(), "watcher (inotify) created")
local steps = {
  function() T.write(path, "more\n", "ab") end,                     -- append: 11
  function() T.write(path, "") end,                                 -- truncate: 0
  function() os.rename(path, path .. ".1"); T.write(path, "new file\n") end, -- replace: 9
  function() T.write(path, "x\n", "ab") end,                        -- append: 11
  function() os.remove(path) end,                                   -- nothing
  function() T.write(path, "back\n") end,                           -- replace: 5
}
local want = "append@11 truncate@0 replace@9 append@11 replace@5"
local done = T.wait("watch")
local i = 0
brisk.timer(650, function(h)
  i = i + 1
  if steps[i] then return steps[i]() end
  h:cancel()
  T.is(table.concat(evs.i, " "), want, "inotify: append, truncate, replace")
  T.is(table.concat(evs.p, " "), want, "polling: append, truncate, replace")
  T.is(wi:cancel(), true, "cancel")
  wp:cancel()
  os.remove(path); os.remove(path .. ".1")
  done()
end, {["repeat"] = true})
T.go(15000)
