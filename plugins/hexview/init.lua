-- hexview: find and patch bytes in binary files (mode "hex").
--
-- The view itself is drawn by brisk (editor/render_hex.c) for any buffer in
-- mode "hex"; this plugin gives that mode its keys (hex digits overwrite
-- nibbles at every cursor, Tab switches to the ASCII column, arrows move by
-- byte) and its commands (goto, stride, search, inspector, layouts,
-- checksums, diff, export). All edits overwrite: the file keeps its size
-- unless hex-insert / hex-delete say otherwise. See README.md.
local parse = require("hexview.parse")
local inspect = require("hexview.inspect")
local layout = require("hexview.layout")
local hex = brisk.hex

local M = {parse = parse, inspect = inspect, layout = layout}
local HEX = {mode = "hex"}
local MAX_CURSORS = 10000000

-- Per-buffer state, by buffer id: search, layout, pending high nibble.
local state = {}
local function st(b)
  local s = state[b:id()]
  if not s then
    s = {}
    state[b:id()] = s
  end
  return s
end

local function cur() return brisk.buffer() end

-- After every hex key and command: the column typed into in the status bar
-- (brisk shows the offset), the inspector pane (when shown) at the cursor.
local function refresh(b)
  b = b or cur()
  if not b or b:mode() ~= "hex" then return end
  local L = hex.layout(b)
  pcall(brisk.status_segment, "hex", L.column == "ascii" and "ASCII" or L.nibble == 1 and "HEX lo" or "HEX")
  if M.refresh_inspector then M.refresh_inspector(b) end
end
M.refresh = refresh

local function command(name, fn, help, opts)
  local o = {help = help}
  for k, v in pairs(opts or {}) do o[k] = v end
  brisk.register_command(name, function(args)
    local b = cur()
    local r1, r2 = fn(b, args or "")
    refresh(b)
    return r1, r2
  end, o)
end

local function bpr(b) return hex.layout(b).bytes_per_row end

-- One cursor at pos (the selection from anchor when given).
local function place(b, pos, anchor)
  b:set_selections({{anchor or pos, pos}})
  hex.layout(b, {nibble = 0})
  st(b).high = nil
end

-- ===== typing ==========================================================

-- A hex digit: the high nibble at every cursor, then the low one, then
-- every cursor moves to the next byte. Both nibbles are one undo step.
local function type_digit(b, d)
  local s = st(b)
  local h = s.high
  local low = hex.layout(b).nibble == 1 and h and h.version == hex.version(b) and h.head == b:cursor()
  local n, err
  if low then
    n, err = hex.overwrite(b, string.char(d), {nibble = "low", advance = 1, join = true})
    hex.layout(b, {nibble = 0})
    s.high = nil
  else
    n, err = hex.overwrite(b, string.char(d << 4), {nibble = "high", advance = 0})
    if n and n > 0 then
      hex.layout(b, {nibble = 1})
      s.high = {version = hex.version(b), head = b:cursor()}
    end
  end
  if not n then return false, err end
  if n == 0 then return false, "at the end of the buffer: hex-insert adds bytes" end
  return true
end

-- A printable key: a character in the ASCII column, a digit in the hex one.
local function type_key(c)
  local b = cur()
  local ok, err
  if hex.layout(b).column == "ascii" then
    local n, e = hex.overwrite(b, c)
    ok, err = n and n > 0, e or "at the end of the buffer: hex-insert adds bytes"
  elseif c:match("%x") then
    ok, err = type_digit(b, tonumber(c, 16))
  else
    ok, err = false, ("'%s' is not a hex digit (Tab: the ASCII column)"):format(c)
  end
  if not ok then brisk.error(err) end
end

-- ===== moving ==========================================================

local function move(delta_fn, extend)
  return function()
    local b = cur()
    hex.move(b, delta_fn(b), extend)
    hex.layout(b, {nibble = 0})
    st(b).high = nil
  end
end

local function page(b) return math.max(1, hex.rows(b) - 1) * bpr(b) end

local function nibble_step(dir)
  return function()
    local b = cur()
    local L = hex.layout(b)
    st(b).high = nil
    if L.column == "ascii" then
      hex.move(b, dir)
    elseif dir > 0 and L.nibble == 0 then
      hex.layout(b, {nibble = 1})
    elseif dir < 0 and L.nibble == 1 then
      hex.layout(b, {nibble = 0})
    else
      local at = b:cursor()
      hex.move(b, dir)
      if b:cursor() ~= at then hex.layout(b, {nibble = dir > 0 and 0 or 1}) end
    end
  end
end

local function toggle_column()
  local b = cur()
  local L = hex.layout(b)
  hex.layout(b, {column = L.column == "hex" and "ascii" or "hex", nibble = 0})
  st(b).high = nil
end

local function hint(text) return function() brisk.message(text) end end

local function bindk(key, fn)
  if type(fn) == "string" then return brisk.bind(key, fn, HEX) end
  brisk.bind(key, function() fn(); refresh() end, HEX)
end

local function bind_keys()
  for c = 0x20, 0x7e do
    local ch = string.char(c)
    local key = ch == " " and "<Space>" or ch == "<" and "<lt>" or ch
    bindk(key, function() type_key(ch) end)
  end
  local moves = {
    Left = function() return -1 end, Right = function() return 1 end,
    Up = function(b) return -bpr(b) end, Down = function(b) return bpr(b) end,
    PageUp = function(b) return -page(b) end, PageDown = function(b) return page(b) end,
    Home = function() return "home" end, End = function() return "end" end,
  }
  for k, fn in pairs(moves) do
    bindk("<" .. k .. ">", move(fn))
    bindk("<S-" .. k .. ">", move(fn, true))
  end
  bindk("<C-Home>", function() place(cur(), 0) end)
  bindk("<C-End>", function() local b = cur(); place(b, b:len()) end)
  bindk("<C-S-Home>", function() local b = cur(); place(b, 0, b:cursor()) end)
  bindk("<C-S-End>", function() local b = cur(); place(b, b:len(), b:cursor()) end)
  bindk("<C-Left>", nibble_step(-1))
  bindk("<C-Right>", nibble_step(1))
  bindk("<BS>", nibble_step(-1))
  bindk("<Tab>", toggle_column)
  bindk("<S-Tab>", toggle_column)
  bindk("<F3>", function() M.find_next(cur(), 1) end)
  bindk("<S-F3>", function() M.find_next(cur(), -1) end)
  bindk("<C-n>", function() M.find_next(cur(), 1) end)
  bindk("<C-p>", function() M.find_next(cur(), -1) end)
  bindk("<C-x>", "copy")
  local keep = "the hex view overwrites: hex-insert / hex-delete change the size"
  for _, k in ipairs({"<CR>", "<Del>", "<C-v>", "<M-BS>", "<C-Del>", "<C-k><C-v>"}) do
    bindk(k, hint(keep))
  end
  bindk("<C-k>i", function() M.show_inspector(cur(), true) end)
  bindk("<C-k>b", function() M.show_table(cur(), true) end)
end

-- ===== goto and stride =================================================

command("goto", function(b, args)
  local at, err = parse.offset(args, b:cursor(), b:len())
  if not at then return false, err end
  place(b, at)
end, "goto OFFSET: 0x2f0, 752, 2f0h, +0x10, -16, end", HEX)

-- stride(b, n, count): cursors every n bytes from the cursor; count in all
-- (the current one included), by default to the end of the selection, of
-- the record table the cursor is in, or of the buffer.
function M.stride(b, n, count)
  local s = st(b)
  n = n or (s.layout and s.layout.size)
  if not n or n < 1 then return nil, "stride N [COUNT]: N bytes from one cursor to the next" end
  local sels, p = b:selections()
  local a, h = sels[p][1], sels[p][2]
  local start = math.min(a, h)
  if not count then
    local stop = b:len()
    local L = s.layout
    if a ~= h then
      stop = math.max(a, h)
    elseif L then
      local tend = L.start + L.size * layout.records(b, L)
      if start >= L.start and start < tend then stop = tend end
    end
    count = math.max(1, (stop - start + n - 1) // n)
  end
  if count < 1 or count > MAX_CURSORS then
    return nil, ("COUNT from 1 to %d"):format(MAX_CURSORS)
  end
  local made = hex.stride(b, start, n, count)
  hex.layout(b, {nibble = 0})
  s.high = nil
  return made
end

command("stride", function(b, args)
  local a1, a2 = args:match("^%s*(%S*)%s*(%S*)")
  local n = a1 ~= "" and parse.number(a1) or nil
  local count = a2 ~= "" and parse.number(a2) or nil
  if (a1 ~= "" and not n) or (a2 ~= "" and not count) then
    return false, "stride N [COUNT]: numbers (decimal or 0x hex)"
  end
  local made, err = M.stride(b, n, count)
  if not made then return false, err end
  brisk.message(("%d cursors, every %d bytes"):format(made, n or st(b).layout.size))
end, "stride N [COUNT]: a cursor every N bytes from the cursor")

-- ===== search ==========================================================

-- A search: {kind = "hex"|"text"|"int"|"regex", pat, mask, desc}.
function M.search_spec(kind, text)
  if kind == "hex" then
    local p, m = parse.hexbytes(text)
    if not p then return nil, m end
    return {kind = kind, pat = p, mask = m, desc = text}
  elseif kind == "text" then
    if text == "" then return nil, "nothing to find" end
    return {kind = kind, pat = text, desc = ("%q"):format(text)}
  elseif kind == "regex" then
    if text == "" then return nil, "nothing to find" end
    return {kind = kind, pat = text, desc = "/" .. text .. "/"}
  elseif kind == "int" then
    local ty, v = text:match("^%s*(%w+)[%s:=]+(%S+)%s*$")
    local p, err = parse.value(ty or "", v or "")
    if not p then return nil, err or "hex-find-int TYPE VALUE (u32le 272280)" end
    return {kind = kind, pat = p, desc = text}
  end
  -- Guess: /re/, "text", TYPE VALUE, hex bytes, else text.
  local re = text:match("^/(.*)/$")
  if re then return M.search_spec("regex", re) end
  local q = text:match('^"(.*)"$') or text:match("^'(.*)'$")
  if q then return M.search_spec("text", q) end
  local ty = text:match("^%s*(%w+)[%s:=]")
  if ty and parse.types[ty:lower()] then return M.search_spec("int", text) end
  local hexp, herr = parse.hexbytes(text)
  if hexp then return M.search_spec("hex", text) end
  -- Hex digits and ? only, but no fixed digit: not text to look for.
  if text:find("?", 1, true) and text:gsub("[%s,]", ""):find("^[%x?]+$") then return nil, herr end
  return M.search_spec("text", text)
end

-- The match at or after from (dir 1) / before from (dir -1): start, end.
local function match(b, s, from, dir)
  if s.kind == "regex" then
    return b:search(s.pat, from, {regex = true, bytes = true, backward = dir < 0})
  end
  local p = hex.find(b, s.pat, s.mask, from, dir < 0)
  return p, p and p + #s.pat
end

-- find(b, spec, from, dir) -> start, end of the next match (wrapping
-- around once), selected with the cursor at its start; or nil, message.
function M.find(b, s, from, dir)
  local p, e = match(b, s, from, dir)
  local wrapped = false
  if not p then
    p, e = match(b, s, dir > 0 and 0 or b:len(), dir)
    wrapped = p ~= nil
  end
  if not p then return nil, "not found: " .. s.desc end
  place(b, p, e)
  if wrapped then brisk.message("search wrapped") end
  return p, e
end

local function start_search(b, kind, text)
  local s, err = M.search_spec(kind, text)
  if not s then return false, err end
  st(b).search = s
  if s.kind ~= "regex" then
    hex.highlight(b, s.pat:sub(1, 256), s.mask and s.mask:sub(1, 256))
  else
    hex.highlight(b)
  end
  local sels, pr = b:selections()
  local p, e = M.find(b, s, math.min(sels[pr][1], sels[pr][2]), 1)
  if not p then return false, e end
  brisk.message(("found %s at 0x%x"):format(s.desc, p))
end

function M.find_next(b, dir)
  local s = st(b).search
  if not s then
    return brisk.command(dir > 0 and "find-next" or "find-prev")
  end
  local p, err = M.find(b, s, dir > 0 and b:cursor() + 1 or b:cursor(), dir)
  if not p then brisk.error(err) end
  return p ~= nil
end

command("hex-find", function(b, a) return start_search(b, nil, a) end,
  "hex-find PATTERN: hex bytes with ?? wildcards, \"text\", /regex/, or TYPE VALUE (u32le 3)")
command("hex-find-hex", function(b, a) return start_search(b, "hex", a) end, "hex-find-hex 00 ?? 12 00")
command("hex-find-text", function(b, a) return start_search(b, "text", a) end, "hex-find-text TEXT (bytes as typed)")
command("hex-find-regex", function(b, a) return start_search(b, "regex", a) end, "hex-find-regex RE (PCRE2 over bytes)")
command("hex-find-int", function(b, a) return start_search(b, "int", a) end, "hex-find-int TYPE VALUE (u16le/be ... u64be, f32le ...)")
command("hex-find-next", function(b) return M.find_next(b, 1) end, "the next match of the hex search")
command("hex-find-prev", function(b) return M.find_next(b, -1) end, "the previous match of the hex search")
command("hex-find-clear", function(b) st(b).search = nil; hex.highlight(b) end, "stop highlighting the hex search")

-- Cursors at every match of the current search (in C but for regexes).
command("hex-find-all", function(b)
  local s = st(b).search
  if not s then return false, "no hex search yet (hex-find ...)" end
  local n = 0
  if s.kind ~= "regex" then
    n = hex.find_all(b, s.pat, s.mask, MAX_CURSORS)
  else
    local sels, from = {}, 0
    while n < MAX_CURSORS do
      local p, e = match(b, s, from, 1)
      if not p then break end
      n = n + 1
      sels[n] = {p, p}
      from = math.max(e, p + 1)
    end
    if n > 0 then b:set_selections(sels) end
  end
  if n == 0 then return false, "not found: " .. s.desc end
  hex.layout(b, {nibble = 0})
  st(b).high = nil
  brisk.message(("%d matches of %s, a cursor at each"):format(n, s.desc))
end, "a cursor at every match of the hex search")

-- ===== writing values ==================================================

local function write_at_cursors(b, bytes, advance)
  local n, err = hex.overwrite(b, bytes, {advance = advance or 0})
  if not n then return false, err end
  if n == 0 then return false, "nothing written: the cursors are at the end" end
  st(b).high = nil
  return true
end

command("hex-set", function(b, args)
  local kind, text = args:match("^%s*(%S+)%s+(.-)%s*$")
  local bytes, err = inspect.encode(kind or "", text or "")
  if not bytes then return false, err or "hex-set TYPE VALUE" end
  return write_at_cursors(b, bytes)
end, "hex-set TYPE VALUE: write a value at every cursor (u8 ... u64be, f32le, binary, char, time32le)")

command("hex-write", function(b, args)
  local p, m = parse.hexbytes(args)
  if not p or m:find("[^\255]") then return false, "hex-write BYTES: hex digits, no wildcards" end
  return write_at_cursors(b, p, #p)
end, "hex-write BYTES: overwrite bytes at every cursor")

-- Edits at every cursor start; one undo step.
local function at_cursors(b, fn)
  local sels = b:selections()
  local edits, last = {}, -1
  for _, s in ipairs(sels) do
    local e = fn(math.min(s[1], s[2]), math.max(s[1], s[2]))
    if e and e[1] >= last then
      edits[#edits + 1] = e
      last = e[1] + e[2]
    end
  end
  if #edits == 0 then return false, "nothing to change" end
  local ok, err = b:apply(edits)
  if not ok then return false, err end
  st(b).high = nil
  return true
end

command("hex-insert", function(b, args)
  local p, m = parse.hexbytes(args)
  if not p or m:find("[^\255]") then return false, "hex-insert BYTES: hex digits, no wildcards" end
  return at_cursors(b, function(s) return {s, 0, p} end)
end, "hex-insert BYTES: insert bytes at every cursor (the file grows)")

command("hex-delete", function(b, args)
  local n = args:match("%S") and parse.number(args:match("%S+"))
  if args:match("%S") and not n then return false, "hex-delete [N]: a count" end
  return at_cursors(b, function(s, e)
    local len = e > s and e - s or (n or 1)
    len = math.min(len, b:len() - s)
    return len > 0 and {s, len, ""} or nil
  end)
end, "hex-delete [N]: delete the selections, or N bytes at every cursor (the file shrinks)")

-- ===== inspector =======================================================

function M.inspect(b, pos) return inspect.decode(b, pos or b:cursor()) end

local function alive(p) return p and pcall(p.count, p) end

-- A pane of ours: made once, lines replaced, shown (and focused) on demand.
local panes = {}
local function pane(name, spec, lines, focus)
  local p = panes[name]
  if not alive(p) then
    p = brisk.pane(spec)
    panes[name] = p
  end
  p:set_lines(lines)
  p:show()
  if focus and not brisk.headless then p:focus() end
  return p
end
M.panes = panes

-- The inspector: a sidebar pane on the right; Enter on a row asks for a
-- new value and writes its bytes at every cursor of the hex buffer.
local inspected -- the buffer it shows
local function inspector_rows(b) return inspect.decode(b, b:cursor()) end

function M.refresh_inspector(b)
  local p = panes.inspector
  if not alive(p) or not p:visible() or b ~= inspected then return end
  p:set_lines(inspect.text(b, b:cursor()), p:selected())
end

function M.show_inspector(b, focus)
  inspected = b
  return pane("inspector", {title = "Inspector", side = "right", width = 40,
    on_activate = function(row)
      local hb = inspected
      local r = hb and inspector_rows(hb)[row - 1]
      if not r then return end
      brisk.prompt{label = r[1] .. " = ", text = r[2], on_done = function(v)
        if not v then return end
        local bytes, err = inspect.encode(r[1], v)
        local ok, e2 = false, err
        if bytes then ok, e2 = write_at_cursors(hb, bytes) end
        if not ok then brisk.error(e2) end
        refresh(hb)
      end}
    end}, inspect.text(b, b:cursor()), focus)
end

command("hex-inspect", function(b)
  M.show_inspector(b, true)
  local r = inspect.decode(b, b:cursor())
  local parts = {}
  for i = 1, math.min(#r, 7) do parts[#parts + 1] = r[i][1] .. " " .. r[i][2] end
  brisk.message(("0x%x: %s"):format(b:cursor(), table.concat(parts, "  ")))
end, "the data inspector at the cursor (a pane on the right; Enter on a row writes a value)")

-- ===== record layouts ==================================================

function M.set_layout(b, spec)
  local L, err = layout.define(spec)
  if not L then return nil, err end
  st(b).layout = L
  return L
end

function M.get_layout(b) return st(b).layout end

local function layout_from_json(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local d = brisk.json.decode(f:read("a"))
  f:close()
  local t = d and (d.record_table or d)
  if type(t) ~= "table" or type(t.fields) ~= "table" then return nil, path .. ": no record_table" end
  local fields = {}
  for i, fl in ipairs(t.fields) do fields[i] = {fl.name, fl.type, fl.offset} end
  return {name = d.file or "records", start = t.offset or t.start, count = t.count, size = t.stride or t.size,
          fields = fields}
end

command("hex-layout", function(b, args)
  local spec, err
  if args:match("^%s*{") then
    local chunk, e = load("return " .. args, "=hex-layout", "t", {})
    if not chunk then return false, e end
    local ok, v = pcall(chunk)
    if not ok then return false, v end
    spec = v
  elseif args:match("%S") then
    spec, err = layout_from_json(args:match("^%s*(.-)%s*$"))
    if not spec then return false, err end
  else
    local L = st(b).layout
    if not L then return false, "no layout: hex-layout {start=, count=, fields={{name, type}...}} or FILE.json" end
    brisk.message(("%s: %d-byte records at 0x%x"):format(L.name, L.size, L.start))
    return true
  end
  local L, e2 = M.set_layout(b, spec)
  if not L then return false, e2 end
  brisk.message(("%s: %d records of %d bytes at 0x%x"):format(L.name, layout.records(b, L), L.size, L.start))
end, "hex-layout {start=0x2f0, count=120, fields={{'stars','u32le'},{'score','u32le'}}} | FILE.json")

command("hex-layout-save", function(b)
  local L = st(b).layout
  if not L or not b:path() then return false, "needs a layout and a file" end
  local ok, err = layout.save(b:path(), L)
  if not ok then return false, err end
  brisk.message("layout saved for " .. b:name())
end, "keep the buffer's record layout for its file")

-- The record table: a pane; moving on a row puts the hex cursor on that
-- record, Enter asks for a field and its new value.
local tabled -- the buffer it shows
local HEAD_ROWS = 2

local function table_lines(b) return layout.lines(b, st(b).layout) end

function M.show_table(b, focus)
  local L = st(b).layout
  if not L then return nil, "no layout (hex-layout ...)" end
  tabled = b
  return pane("table", {title = "Records", side = "right", width = 14 + 13 * #L.fields,
    on_select = function(row)
      local hb = tabled
      if hb and st(hb).layout and row > HEAD_ROWS then
        place(hb, layout.record_at(st(hb).layout, row - HEAD_ROWS - 1))
        refresh(hb)
      end
    end,
    on_activate = function(row)
      local hb = tabled
      local TL = hb and st(hb).layout
      if not TL or row <= HEAD_ROWS then return end
      local names = {}
      for i, f in ipairs(TL.fields) do names[i] = f.name end
      brisk.menu{title = "Field of record " .. (row - HEAD_ROWS - 1), items = names, on_choose = function(name)
        local f = layout.field(TL, name)
        brisk.prompt{label = name .. " = ", text = layout.read(hb, TL, row - HEAD_ROWS - 1, f), on_done = function(v)
          if not v then return end
          local ok, err = M.table_set(hb, row - HEAD_ROWS - 1, name, v)
          if not ok then brisk.error(err) end
        end}
      end}
    end}, table_lines(b), focus)
end

command("hex-table", function(b)
  local t, err = M.show_table(b, true)
  if not t then return false, err end
end, "show the record layout as a table (a pane: moving on a row goes to the record, Enter edits a field)")

-- hex-table-set ROW FIELD VALUE: writes one cell (ROW from 0).
function M.table_set(b, row, name, text)
  local L = st(b).layout
  if not L then return nil, "no layout" end
  local f = layout.field(L, name)
  if not f then return nil, "no field " .. tostring(name) end
  if row < 0 or row >= layout.records(b, L) then return nil, "no record " .. row end
  local bytes, err = layout.encode(f, text)
  if not bytes then return nil, err end
  local ok, e = b:apply({{layout.record_at(L, row) + f.offset, #bytes, bytes}})
  if not ok then return nil, e end
  if alive(panes.table) and tabled == b then panes.table:set_lines(table_lines(b), panes.table:selected()) end
  return true
end

command("hex-table-set", function(b, args)
  local r, name, text = args:match("^%s*(%S+)%s+(%S+)%s+(.-)%s*$")
  local row = r and parse.number(r)
  if not row then return false, "hex-table-set ROW FIELD VALUE" end
  local ok, err = M.table_set(b, row, name, text)
  if not ok then return false, err end
end, "hex-table-set ROW FIELD VALUE: write one cell of the record table")

-- ===== checksums =======================================================

M.algos = {"crc32", "md5", "sha1", "sha256"}

function M.checksum(b, algo, pos, len)
  if algo == "crc32" then return ("%08x"):format(hex.crc32(b, pos, len)) end
  return hex.digest(b, algo, pos, len)
end

command("hex-checksum", function(b, args)
  local first = args:match("^%s*(%S*)")
  local algos = M.algos
  if first ~= "" and not parse.number(first) and not first:find("%.%.") and not first:find("%+") and first ~= "all" then
    algos = {first:lower()}
    args = args:gsub("^%s*%S+", "")
  elseif first == "all" then
    args = args:gsub("^%s*%S+", "")
  end
  local pos, len = parse.range(args, b)
  if not pos then return false, len end
  local out = {}
  for _, a in ipairs(algos) do
    local v, err = M.checksum(b, a, pos, len)
    if not v then return false, err end
    out[#out + 1] = a .. " " .. v
  end
  brisk.message(("%s over 0x%x..0x%x (%d bytes)"):format(table.concat(out, "  "), pos, pos + len, len))
  M.last_checksum = out
end, "hex-checksum [crc32|md5|sha1|sha256] [START..END | START+LEN]: of the selection or the buffer")

-- crc_fix(b, pos, len, at, big) writes the CRC-32 of [pos, pos+len) at at.
function M.crc_fix(b, pos, len, at, big)
  if at < 0 or at + 4 > b:len() then return nil, "the CRC does not fit at that offset" end
  if at < pos + len and at + 4 > pos then return nil, "the CRC would be inside the range it covers" end
  local crc = hex.crc32(b, pos, len)
  local ok, err = b:apply({{at, 4, string.pack(big and ">I4" or "<I4", crc)}})
  if not ok then return nil, err end
  return crc
end

command("hex-crc-fix", function(b, args)
  local r, at, order = args:match("^%s*(%S+)%s+(%S+)%s*(%a*)%s*$")
  local pos, len = parse.range(r or "", b)
  local where = at and parse.number(at)
  if not pos or not where or (order ~= "" and order ~= "le" and order ~= "be") then
    return false, "hex-crc-fix START..END AT [le|be]"
  end
  local crc, err = M.crc_fix(b, pos, len, where, order == "be")
  if not crc then return false, err end
  brisk.message(("crc32 %08x of 0x%x..0x%x written at 0x%x (%s)"):format(crc, pos, pos + len, where, order == "be" and "be" or "le"))
end, "hex-crc-fix START..END AT [le|be]: write the CRC-32 of a range at an offset")

-- ===== diff with the file on disk ======================================

function M.diff(b, max) return hex.diff(b, max) end

command("hex-diff", function(b)
  local ranges, disk, truncated = hex.diff(b)
  if not ranges then return false, disk end
  local lines, bytes = {}, 0
  for _, r in ipairs(ranges) do
    bytes = bytes + r[2] - r[1]
    local n = math.min(r[2] - r[1], 16)
    local now = b:text(r[1], n):gsub(".", function(c) return ("%02x"):format(c:byte()) end)
    lines[#lines + 1] = ("%08x..%08x  %d bytes  now %s%s"):format(r[1], r[2], r[2] - r[1], now, n < r[2] - r[1] and "..." or "")
  end
  local head = ("%d ranges differ (%d bytes)%s; disk %d bytes, buffer %d bytes"):format(
    #ranges, bytes, truncated and ", more not listed" or "", disk, b:len())
  table.insert(lines, 1, head)
  M.last_diff = {ranges = ranges, disk = disk}
  local diffed = b
  pane("diff", {title = "Diff with disk", side = "right", width = 56,
    on_activate = function(row)
      local r = M.last_diff and M.last_diff.ranges[row - 1]
      if r then place(diffed, r[1]); refresh(diffed) end
    end}, lines)
  brisk.message(head)
end, "the bytes that differ from the file on disk (a pane; Enter goes to a range)")

command("hex-diff-next", function(b)
  local ranges = hex.diff(b)
  if not ranges then return false, "no file to compare with" end
  local at = b:cursor()
  for _, r in ipairs(ranges) do
    if r[1] > at then place(b, r[1]); return true end
  end
  if ranges[1] then place(b, ranges[1][1]); brisk.message("diff wrapped"); return true end
  return false, "no differences from the file on disk"
end, "go to the next byte that differs from the file on disk")

-- ===== view and export =================================================

command("hex-toggle", function(b)
  b:mode(b:mode() == "hex" and "" or "hex")
end, "show the buffer in hex, or as text again")

local function set_view(b, key, text, allowed, usage)
  local n = parse.number((text or ""):match("%S+") or "")
  if not n or not allowed[n] then return false, usage end
  local ok = pcall(hex.layout, b, {[key] = n})
  if not ok then return false, usage .. " (a group is at most a row)" end
  return true
end

command("hex-columns", function(b, args)
  return set_view(b, "bytes_per_row", args, {[8] = true, [16] = true, [32] = true}, "hex-columns 8|16|32")
end, "hex-columns 8|16|32: bytes per row")

command("hex-group", function(b, args)
  return set_view(b, "group", args, {[1] = true, [2] = true, [4] = true, [8] = true}, "hex-group 1|2|4|8")
end, "hex-group 1|2|4|8: bytes per group")

command("hex-column", function() toggle_column() end, "switch the cursor between the hex and ASCII columns")

command("hex-export", function(b, args)
  local path, r = args:match("^%s*(%S+)%s*(.-)%s*$")
  if not path then return false, "hex-export PATH [START..END | START+LEN]" end
  local opts
  if r ~= "" then
    local pos, len = parse.range(r, b)
    if not pos then return false, len end
    opts = {from = pos, len = len}
  end
  local ok, err = hex.export(b, brisk.expand_path(path), opts)
  if not ok then return false, err end
  brisk.message("wrote " .. path)
end, "hex-export PATH [RANGE]: an xxd-compatible dump (xxd -r reads it back)")

-- ===== events ==========================================================

-- setup{bytes_per_row = 16, group = 2, ask_on_nul = false} from init.lua.
M.options = {bytes_per_row = 16, group = 2, ask_on_nul = false}
function M.setup(opts)
  for k, v in pairs(opts or {}) do M.options[k] = v end
  for _, b in ipairs(brisk.buffers()) do
    if b:mode() == "hex" then hex.layout(b, {bytes_per_row = M.options.bytes_per_row, group = M.options.group}) end
  end
end

brisk.bind("<C-k>h", "hex-toggle")

brisk.on("mode", function(b)
  if b:mode() ~= "hex" then
    pcall(brisk.status_segment, "hex", nil)
    return
  end
  local s = st(b)
  if not s.seen then
    s.seen = true
    pcall(hex.layout, b, {bytes_per_row = M.options.bytes_per_row, group = M.options.group})
  end
  hex.layout(b, {nibble = 0})
  if not s.layout and b:path() then s.layout = layout.load(b:path()) end
  refresh(b)
end)

brisk.on("close", function(b) state[b:id()] = nil end)

-- A file with NUL bytes opened as text: say how to see it in hex (or ask,
-- with setup{ask_on_nul = true}: the UI's question is modal and takes the
-- next key). Later: at start-up the UI is not up yet, and --hex sets the
-- mode right after opening.
brisk.on("open", function(b)
  if brisk.headless or not b:binary() or b:mode() ~= "" then return end
  -- A one-shot timer, not brisk.defer: deferred calls run before the loop
  -- waits, so the message would show only after the next key.
  brisk.timer(1, function()
    local ok, mode = pcall(b.mode, b)
    if ok and mode == "" then hex.offer(b, M.options.ask_on_nul) end
  end)
end)

-- Edits made elsewhere (undo, other commands) show in the inspector too.
brisk.on("change", function(b) if b:mode() == "hex" then refresh(b) end end)

bind_keys()
return M
