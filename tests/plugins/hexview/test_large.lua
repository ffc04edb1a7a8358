-- A large file (arg[1], arg[2] bytes, ending in "BRISK-END"): opens, paints
-- its last page, finds the marker from either end, exports and checksums a
-- range near the end, and a million stride cursors type one byte as one
-- undo step (within the plugin time budget).
local T = assert(loadfile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/lib.lua", "t", _ENV))()
local path, size = arg[1], math.tointeger(tonumber(arg[2] or ""))
if not T.ok(path and size, "arguments: FILE SIZE") then T.done() end

local b = T.open_hex(path)
T.eq(b:len(), size, "loaded whole")
brisk.command("goto end")
local rows, _, cy = brisk.hex.screen(b, {w = 80, h = 24})
local last = rows[cy + 1] or ""
T.ok(last:match("BRISK%-END$") or (rows[cy] or ""):match("BRISK%-E") ~= nil, "the last page shows the marker", last)
T.eq(#last:match("^(%x+):"), 8, "8-digit offsets")
brisk.command("goto 0")
T.ok(brisk.command("hex-find \"BRISK-END\""), "hex-find over the whole file")
T.eq(b:cursor(), size - 9, "found at the end")
T.eq(brisk.hex.find(b, "BRISK-END", nil, size, true), size - 9, "and backwards from the end")
T.eq(brisk.hex.find(b, "\1\2\3\4"), nil, "a 4-byte pattern that is not there")

local out = T.tmp("large-tail.hex")
T.ok(brisk.hex.export(b, out, {from = size - 32, len = 32}), "export the last 32 bytes")
local dump = T.read(out)
T.eq(select(2, dump:gsub("\n", "")), 2, "two xxd lines")
T.ok(dump:match(("%08x: "):format(size - 32)) ~= nil, "with the file's own offsets")
T.eq(("%08x"):format(brisk.hex.crc32(b, size - 9, 9)), "4e8637f5", "crc32 of the marker (python: zlib.crc32(b'BRISK-END'))")

-- A million cursors, one byte typed at each, one undo step.
brisk.command("goto 0")
T.ok(brisk.command("stride 64 1000000"), "stride 64 1000000")
T.eq(#b:selections(), 1000000, "a million cursors")
brisk.keys("7e")
T.eq(b:byte(0) .. "," .. b:byte(64 * 999999), "126,126", "7e at the first and the last")
T.eq(b:byte(1), 0, "and nothing between")
b:undo()
T.eq(b:byte(64 * 500000), 0, "one undo takes it all back")
T.eq(b:modified(), false, "unmodified again")
T.done()
