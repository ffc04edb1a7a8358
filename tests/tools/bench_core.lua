-- Core figures for `make bench`: brisk --headless -l bench_core.lua FILE
-- Times load, go to the last line, 10,000 random edits, a regex search and
-- a save, using the same commands a user runs.
local path = arg[1]
local function t(label, fn)
  local t0 = brisk.clock()
  local r = fn()
  print(string.format("  %-38s %8.1f ms", label, (brisk.clock() - t0) * 1000))
  return r
end
local b = t("load " .. path:match("[^/]*$"), function() return assert(brisk.open(path)) end)
b:focus()
print(string.format("  (%d bytes, %d lines)", b:len(), b:lines()))
t("goto last line", function() return brisk.command("goto " .. b:lines()) end)
t("move-buffer-start", function() return brisk.command("move-buffer-start") end)
local seed = 42
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
t("10,000 random inserts/deletes", function()
  for i = 1, 5000 do
    b:insert(rnd(b:len()), "xyz")
    b:delete(rnd(b:len() - 3), 3)
  end
end)
t("regex search (no match, whole file)", function() return b:search("zq[0-9]{7}zq", 0, {regex = true}) end)
t("select-all-occurrences 'return'", function() return brisk.command("select-all-occurrences return") end)
print(string.format("  (%d cursors)", #b:selections()))
t("type 1 char at every cursor", function() brisk.keys("Q") end)
t("undo", function() b:undo() end)
t("save", function() return b:save(path .. ".out") end)
os.remove(path .. ".out")
