-- Checksums (against python's zlib/hashlib: arg[1] = "crc32 md5 sha1
-- sha256" of the sample's table, arg[2] = the same of the whole file),
-- record layouts and their table, layouts kept per file, ranges exported.
local T = assert(loadfile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/lib.lua", "t", _ENV))()
local hv = require("hexview")
local path = T.tmp("tools.sav")
T.sample_copy("candy.sav", path)
local b = T.open_hex(path)

-- An exported range of the file as loaded (the .t compares it with xxd -s -l).
T.ok(brisk.command("hex-export " .. T.tmp("range.hex") .. " 0x2f0..0x6b0"), "hex-export PATH RANGE")
T.ok(brisk.hex.export(b, T.tmp("c8g4.hex"), {cols = 8, group = 4}), "export with 8 columns, groups of 4")
T.ok(not brisk.command("hex-export /nonexistent/dir/x.hex"), "an unwritable path is an error")

local function words(s) local t = {} for w in (s or ""):gmatch("%S+") do t[#t + 1] = w end return t end
local table_sums, file_sums = words(arg[1]), words(arg[2])
for i, algo in ipairs(hv.algos) do
  T.eq(hv.checksum(b, algo, 0x2f0, 0x6b0 - 0x2f0), table_sums[i], algo .. " of the record table")
  T.eq(hv.checksum(b, algo), file_sums[i], algo .. " of the whole file")
end
T.eq(brisk.hex.digest(b, "nosuch"), nil, "an unknown digest: nil")
T.ok(brisk.command("hex-checksum 0x2f0..0x6b0"), "hex-checksum START..END")
T.eq(hv.last_checksum[1], "crc32 " .. table_sums[1], "its crc32")
T.ok(brisk.command("hex-checksum sha256 0x2f0+960"), "hex-checksum ALGO START+LEN")
T.eq(hv.last_checksum[1], "sha256 " .. table_sums[4], "its sha256")
b:set_selections({{0x6b0, 0x2f0}})
T.ok(brisk.command("hex-checksum md5"), "hex-checksum of the selection")
T.eq(hv.last_checksum[1], "md5 " .. table_sums[2], "the selection's md5")
T.ok(not brisk.command("hex-checksum 0x2f0..0x99999"), "a range past the end is refused")

-- A layout in Lua, the table, a cell edited, until_zero.
T.ok(brisk.command("hex-layout {name='candy', start=0x2f0, count=120, fields={{'stars','u32le'},{'score','u32le'}}}"),
  "hex-layout {Lua table}")
local L = hv.get_layout(b)
T.eq(L.size, 8, "record size from the fields")
T.ok(brisk.command("hex-table"), "hex-table")
local p = hv.panes.table
T.eq(p:count(), 122, "a title, a header and 120 rows")
T.ok(p:line(3):match("^0%s+000002f0%s+1%s+272280$") ~= nil, "record 0: stars 1, score 272280", p:line(3))
T.ok(brisk.command("hex-table-set 5 score 123456"), "hex-table-set 5 score 123456")
T.eq(string.unpack("<I4", b:text(0x2f0 + 5 * 8 + 4, 4)), 123456, "the bytes are written")
T.ok(p:line(8):match("123456$") ~= nil, "the table shows it", p:line(8))
T.ok(not brisk.command("hex-table-set 500 score 1"), "no record 500")
T.ok(not brisk.command("hex-table-set 1 nosuch 1"), "no field nosuch")
T.ok(not brisk.command("hex-table-set 1 stars -1"), "-1 does not fit in u32")
local z = hv.set_layout(b, {start = 0x2f0, until_zero = true, fields = {{"stars", "u32le"}, {"score", "u32le"}}})
local meta = brisk.json.decode(T.read(T.samples .. "/candy.json"))
local first_zero = #meta.records
for i, r in ipairs(meta.records) do
  if r.stars == 0 and r.score == 0 then first_zero = i - 1; break end
end
T.eq(hv.layout.records(b, z), first_zero, "until_zero: up to the first all-zero record (" .. first_zero .. ")")
T.eq(hv.set_layout(b, {fields = {{"x", "u33"}}}), nil, "a bad field type is refused")

-- Selecting a table row puts the hex cursor on its record.
hv.set_layout(b, L)
brisk.command("hex-table")
p:focus()
p:select(12)
brisk.keys("<Down>")
T.eq(b:cursor(), 0x2f0 + 10 * 8, "moving to the row of record 10 puts the cursor on it")
for _ = 1, 5 do
  if not brisk.focused_pane() then break end
  brisk.sidebar_focus()
end
T.eq(brisk.focused_pane(), nil, "the text has the focus again")
-- Enter on a row: which field, then its value.
p:focus()
p:select(4)
brisk.keys("<CR>")
local pk = brisk.picker()
T.ok(pk and pk.kind == "menu" and #pk.items == 2, "Enter on record 1 offers its two fields")
brisk.keys("score<CR>")
pk = brisk.picker()
T.ok(pk and pk.kind == "prompt" and pk.title == "score = ", "then asks for the score")
for _ = 1, #(pk and pk.text or "") do brisk.keys("<BS>") end
brisk.keys("4242<CR>")
T.eq(string.unpack("<I4", b:text(0x2f0 + 8 + 4, 4)), 4242, "the new score is written")
for _ = 1, 5 do
  if not brisk.focused_pane() then break end
  brisk.sidebar_focus()
end

-- Kept per file.
T.ok(brisk.command("hex-layout-save"), "hex-layout-save")
local saved = hv.layout.load(b:path())
T.ok(saved and saved.start == 0x2f0 and saved.count == 120 and #saved.fields == 2, "loaded back for the file")

T.done()
