-- Multi-cursor figures for `make bench` (run by bench_multi.sh):
--   brisk --headless -l bench_multi.lua DIR [BIG_FILE]
-- A keystroke at 100,000 cursors (typed, Backspace, undo), the 10,000th
-- next-occurrence cursor (Ctrl-D), and the phases of the 1M-occurrence
-- rename on BIG_FILE. Keys and commands are the ones a user runs.
local dir, big = arg[1], arg[2]

local function ms(t0) return (brisk.clock() - t0) * 1000 end
local function line(label, v, unit) print(string.format("  %-52s %9.2f %s", label, v, unit or "ms")) end

local function write(path, n, text)
  local f = assert(io.open(path, "wb"))
  local chunk = text:rep(1000)
  for _ = 1, n // 1000 do f:write(chunk) end
  f:write(text:rep(n % 1000))
  f:close()
end

local function median(t)
  table.sort(t)
  return t[(#t + 1) // 2]
end

-- One keystroke at 100,000 cursors.
local p100 = dir .. "/multi-100k.c"
write(p100, 100000, "    total = compute(foo_count, 42) + 1;\n")
local b = assert(brisk.open(p100))
b:focus()
local t0 = brisk.clock()
brisk.command("select-all-occurrences foo_count")
line(string.format("select-all-occurrences (%d cursors)", #b:selections()), ms(t0))
local first, rest = nil, {}
for i = 1, 11 do
  t0 = brisk.clock()
  brisk.keys("x")
  if i == 1 then first = ms(t0) else rest[#rest + 1] = ms(t0) end
end
line("key at 100,000 cursors: first (replaces selections)", first)
line("key at 100,000 cursors: next ones (median of 10)", median(rest))
local bs = {}
for _ = 1, 5 do
  t0 = brisk.clock()
  brisk.keys("<BS>")
  bs[#bs + 1] = ms(t0)
end
line("Backspace at 100,000 cursors (median of 5)", median(bs))
t0 = brisk.clock()
brisk.keys("<C-z>")
line("undo of that typing run (cursors restored)", ms(t0))
t0 = brisk.clock()
brisk.command("align")
line("align at 100,000 cursors", ms(t0))
b:close()
os.remove(p100)

-- Ctrl-D up to the 10,000th cursor.
local pocc = dir .. "/multi-occ.c"
write(pocc, 20000, "    item_count += step(item_count);\n")
b = assert(brisk.open(pocc))
b:focus()
brisk.keys("<C-Right>")
local times = {}
for i = 1, 10000 do
  t0 = brisk.clock()
  brisk.keys("<C-d>")
  times[i] = ms(t0)
end
local n = #b:selections()
local last1000 = {}
for i = 9001, 10000 do last1000[#last1000 + 1] = times[i] end
line(string.format("Ctrl-D: the 10,000th press (%d selections)", n), times[10000])
line("Ctrl-D: presses 9,001-10,000 (median)", median(last1000))
b:close()
os.remove(pocc)

-- The rename on the big file, phase by phase.
if big then
  t0 = brisk.clock()
  b = assert(brisk.open(big))
  b:focus()
  line("rename: load " .. big:match("[^/]*$"), ms(t0))
  t0 = brisk.clock()
  brisk.command("select-all-occurrences foo_count")
  line(string.format("rename: select-all-occurrences (%d cursors)", #b:selections()), ms(t0))
  t0 = brisk.clock()
  brisk.keys("bar_total_n")
  line("rename: type 11 characters at every cursor", ms(t0))
  t0 = brisk.clock()
  b:save(big .. ".out")
  line("rename: save", ms(t0))
  os.remove(big .. ".out")
  t0 = brisk.clock()
  b:undo()
  line("rename: undo (1M cursors restored)", ms(t0))
end
brisk.quit()
