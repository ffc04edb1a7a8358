-- Decorations and syntax colours, headless: ranges that move with edits,
-- undo and redo; namespaces; virtual text; the syntax hook called for the
-- asked lines only and again only for lines whose text changed. Run by
-- ui-api.t.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()

local function raises(fn, word, desc)
  local ok, err = pcall(fn)
  T.ok(not ok and tostring(err):find(word, 1, true) ~= nil, desc, err)
end

local function range(b, id)
  for _, d in ipairs(b:decorations()) do
    if d.id == id then return d.from .. "-" .. d.to end
  end
  return "gone"
end

local b = brisk.scratch("d")
b:insert(0, "hello world\nsecond line\nthird\n")
local w = b:decorate{from = 6, to = 11, fg = "red", bold = true}
T.is(range(b, w), "6-11", "decorate{from, to}")
b:insert(0, ">>")
T.is(range(b, w), "8-13", "an insert before moves it")
b:insert(8, "[")
T.is(range(b, w), "9-14", "an insert at its start stays outside")
b:insert(14, "]")
T.is(range(b, w), "9-14", "an insert right after its end stays outside")
b:insert(11, "XX")
T.is(range(b, w), "9-16", "an insert inside grows it")
b:delete(10, 3)
T.is(range(b, w), "9-13", "a delete inside shrinks it")
b:undo()
T.is(range(b, w), "9-16", "undo moves it back")
b:redo()
T.is(range(b, w), "9-13", "redo again")
b:delete(12, 2)
T.is(range(b, w), "9-12", "deleting its last byte and what follows")
b:delete(8, 6)
T.is(range(b, w), "8-8", "deleting all of it leaves it empty")

-- many edits at once (a multi-cursor batch) move every decoration
local c = brisk.scratch("c")
c:insert(0, ("abc\n"):rep(5))
local ids = {}
for i = 0, 4 do ids[#ids + 1] = c:decorate{from = i * 4 + 1, to = i * 4 + 2, bg = 4} end
c:apply{{0, 0, "1"}, {4, 0, "22"}, {8, 0, "333"}, {12, 1, ""}, {16, 0, "4444"}}
local got = {}
for i, id in ipairs(ids) do got[i] = range(c, id) end
T.is(table.concat(got, " "), "2-3 8-9 15-16 18-19 26-27", "a batch moves each decoration through its edit")
for i, id in ipairs(ids) do
  local d = c:decorations()[i]
  T.is(c:text(d.from, d.to - d.from), "b", "decoration " .. i .. " still covers its 'b'")
end

-- line=, virtual text, namespaces
local l2 = b:decorate{line = 2, underline = true, ns = "lint", virt_text = "<- here", virt_style = {fg = "grey"}}
local d2 = b:decorations("lint")[1]
T.is(b:text(d2.from, d2.to - d2.from), b:line(2), "line= covers the whole line")
T.is(d2.virt_text, "<- here", "virtual text is kept")
local v = b:decorate{from = 0, virt_text = "\27[31mevil", ns = "lint"}
T.is(range(b, v), "0-0", "a decoration may be only virtual text")
T.is(#b:decorations(), 3, "three decorations")
T.is(b:clear_decorations("lint"), 2, "clear_decorations(ns) removes that namespace")
T.is(#b:decorations(), 1, "the others stay")
T.ok(b:undecorate(w), "undecorate(id)")
T.is(b:undecorate(w), false, "twice: false")
T.is(#b:decorations(), 0, "none left")
T.is(range(b, l2), "gone", "cleared ones are gone")
raises(function() b:decorate{from = 0, to = 1e6} end, "out of the buffer", "ranges are checked")
raises(function() b:decorate{from = 3, to = 1} end, "out of the buffer", "to >= from")
raises(function() b:decorate{} end, "from=", "a range is needed")
raises(function() b:decorate{from = 0, fg = "ultraviolet"} end, "unknown colour", "colours are checked")
T.ok(pcall(b.decorate, b, {from = 0, to = 1, fg = "#ff8800", bg = 236, italic = true}), "#rrggbb and palette indexes")
T.is(b:clear_decorations(), 1, "clear_decorations() removes all")

-- decorations die with their buffer
local gone = brisk.scratch("gone")
gone:insert(0, "x")
gone:decorate{from = 0, to = 1}
gone:close()
raises(function() gone:decorations() end, "buffer is closed", "a closed buffer's handle raises")

-- syntax colours: called per line, cached, recomputed for changed lines
local s = brisk.scratch("syn")
s:insert(0, "local x = 1\nprint(x)\nlocal y = 2\n-- end\n")
local calls = {}
brisk.set_syntax(s, function(n, text, buf)
  calls[#calls + 1] = n
  T.ok(buf == s, "the function gets the buffer") -- once is enough, but cheap
  local out = {}
  for st, en in text:gmatch("()local()") do out[#out + 1] = {st, en - 1, fg = "blue", bold = true} end
  return out
end)
local sp = s:syntax_spans(1)
T.is(#sp, 1, "one span on line 1")
T.is(sp[1][1] .. "-" .. sp[1][2], "1-5", "spans are 1-based inclusive")
T.is(#s:syntax_spans(2), 0, "no span on line 2")
s:syntax_spans(3)
s:syntax_spans(1)
s:syntax_spans(2)
T.is(#calls, 3, "cached: asking again does not call the function")
s:insert(s:line_start(2), "local ")
s:syntax_spans(1)
s:syntax_spans(3)
T.is(#calls, 3, "edits elsewhere: unchanged lines are not recomputed")
s:syntax_spans(2)
T.is(#calls, 4, "the edited line is recomputed")
T.is(#s:syntax_spans(2), 1, "and now has its span")
T.is(table.concat(calls, ","), "1,2,3,2", "the function saw only the lines asked for")

-- by mode; a buffer function wins; errors stop the calls
local m = brisk.scratch("m")
m:insert(0, "ERROR one\nfine\n")
m:mode("logx")
brisk.set_syntax("logx", function(n, text)
  local a, e = text:find("ERROR")
  if a then return {{a, e, fg = "red"}} end
end)
T.is(#m:syntax_spans(1), 1, "a syntax function by mode")
T.is(#m:syntax_spans(2), 0, "nil means no spans")
local o = 0
brisk.set_syntax(m, function() o = o + 1; return {} end)
T.is(#m:syntax_spans(1), 0, "a function set for the buffer wins over its mode's")
brisk.set_syntax(m, nil)
T.is(#m:syntax_spans(1), 1, "removed: the mode's applies again")
local errs = 0
brisk.set_syntax("logx", function() errs = errs + 1; error("syntax boom") end)
m:syntax_spans(1)
m:syntax_spans(2)
T.is(errs, 1, "a function that raises is not called again")
brisk.set_syntax("logx", function(n, text) return {{1, #text + 10, style = "nope"}} end)
T.is(#m:syntax_spans(1), 0, "bad spans: reported, no colours")
brisk.style("kw", {fg = "magenta"})
brisk.set_syntax("logx", function(n, text) return {{1, #text + 10, style = "kw"}, {0, -3}} end)
local sp2 = m:syntax_spans(1)
T.is(#sp2, 1, "named styles in spans; empty spans dropped")
T.is(sp2[1][2], 9, "spans are clipped to the line")
raises(function() brisk.set_syntax("logx", 42) end, "function expected", "set_syntax wants a function or nil")

T.finish()
