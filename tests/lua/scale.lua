-- Opening a big file costs a screenful, not the file: the regression
-- guard of the paged buffer (counts work, not time, so it holds on any
-- machine). Each file is opened and its first screen drawn as the UI
-- draws it (brisk.screen, plugins included: the syntax plugin's file-type
-- detection runs on open); b:stats() says how many bytes of the file that
-- showed through the mapping, read, or counted for lines. An O(line) or
-- O(file) step on the open path reads the 100 MB and fails here.
-- Usage: brisk --headless -l scale.lua ONE_LINE_FILE MANY_LINES_FILE
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local SCREEN = 1 << 20 -- what a first screen may cost at most (a 100 MB file: 1%)

local function cost(b)
  local s = b:stats()
  return s.shown + s.read + s.counted, s
end

-- A 100 MB line (one final newline).
local one = assert(brisk.open(arg[1]))
one:focus()
local c, s = cost(one)
T.ok(s.mapped, "the 100 MB line is mapped, not read")
T.ok(c <= SCREEN, "opening it read " .. c .. " bytes (at most " .. SCREEN .. ")")
local rows, pending = brisk.screen({w = 120, h = 40})
T.is(rows[1], one:text(0, 120), "its first screen shows its first 120 bytes")
T.ok(pending, "rows below wait for the line's end (the count in the background finds it)")
c, s = cost(one)
T.ok(c <= SCREEN, "opening and drawing it read " .. c .. " bytes (shown " .. s.shown .. ", read " .. s.read
  .. ", counted " .. s.counted .. ")")
T.is(s.lines, nil, "its lines are not counted yet")
local head, tail = one:edge_lines(5, 1024)
T.ok(#head == 1 and #head[1] == 1024 and #tail == 0, "edge_lines: the line's first KiB, no tail line")
brisk.command("move-end")
rows = brisk.screen({w = 120, h = 40})
T.is(rows[1]:sub(-10), one:text(one:len() - 11, 10), "End shows the line's end")
T.is(one:stats().shown < 4 * SCREEN, true, "and maps in no more of it (a walk over it reads copies)")

-- 100 MB of short lines.
local many = assert(brisk.open(arg[2]))
many:focus()
rows = brisk.screen({w = 120, h = 40})
c, s = cost(many)
T.ok(s.mapped and c <= SCREEN, "100 MB of lines: open and first screen read " .. c .. " bytes")
T.is(rows[40], (many:text(39 * 50, 49):gsub(" +$", "")), "the first screen shows its first 40 lines")
-- Lines of 50 bytes: line 1,000,001 starts at 50,000,000.
brisk.command("goto 1000001")
c = many:stats().counted
T.ok(c >= 50000000 and c <= 50000000 + 4 * SCREEN, "goto half way counted the first half only (" .. c .. " bytes)")
T.is(many:cursor(), 50000000, "and went there")
T.is(many:stats().lines, nil, "the rest is still not counted")
T.is(many:lines(), 2000001, "b:lines() counts the rest")

-- Far-apart edits copy next to nothing.
local seed = 7
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
for _ = 1, 500 do
  many:insert(rnd(many:len()), "ab")
  many:delete(rnd(many:len() - 2), 2)
end
s = many:stats()
T.ok(s.owned <= 1000, "1,000 far-apart edits made " .. s.owned .. " small owned pages")
T.finish()
