-- Hex view figures inside one headless run (brisk --headless --hex -l
-- bench_hex.lua FILE): render, paging, search, checksums, many cursors.
-- Prints figures only; asserts nothing.
local path = assert(arg[1], "usage: bench_hex.lua FILE")
local b = assert(brisk.open(path))
b:mode("hex")
b:focus()
local clock = brisk.clock
local function ms(t) return ("%.2f ms"):format(t * 1000) end
local function s(t) return ("%.3f s"):format(t) end
local function line(what, v) print(("  %-44s %s"):format(what, v)) end

local W, H = 120, 40
local t = clock()
brisk.hex.screen(b, {w = W, h = H})
line("first paint (render 120x40, file loaded)", ms(clock() - t))

local n = 500
t = clock()
for _ = 1, n do
  brisk.keys("<PageDown>")
  brisk.hex.screen(b, {w = W, h = H})
end
line(("PageDown + render (mean of %d)"):format(n), ms((clock() - t) / n))

t = clock()
brisk.keys("<C-End>")
brisk.hex.screen(b, {w = W, h = H})
line("Ctrl-End + render", ms(clock() - t))

t = clock()
local r = brisk.hex.find(b, "\1\2\3\4")
line("4-byte pattern over the file (" .. (r and "found" or "absent") .. ")", s(clock() - t))
t = clock()
r = brisk.hex.find(b, "\222\173\190\239", "\255\255\0\255")
line("4-byte pattern with a wildcard (de ad ?? ef)", s(clock() - t))
t = clock()
r = brisk.hex.find(b, "\1\2\3\4", nil, b:len(), true)
line("4-byte pattern, backwards from the end", s(clock() - t))
t = clock()
b:search("\\x01\\x02\\x03\\x04", 0, {regex = true, bytes = true})
line("the same as a PCRE2 byte regex (b:search)", s(clock() - t))

t = clock()
brisk.hex.crc32(b)
line("CRC-32 of the file (zlib)", s(clock() - t))
t = clock()
brisk.hex.digest(b, "sha256")
line("SHA-256 of the file (libcrypto)", s(clock() - t))
local out = (os.getenv("BRISK_BENCH_DIR") or "/tmp/brisk-bench") .. "/hex-64m.hex"
t = clock()
brisk.hex.export(b, out, {len = 64 * 1024 * 1024})
line("hex-export of 64 MB (xxd format)", s(clock() - t))
os.remove(out)

brisk.command("goto 0")
t = clock()
brisk.command("stride 1024 1000000")
line("stride 1024 1000000 (a million cursors)", s(clock() - t))
t = clock()
brisk.keys("7e")
line("type one byte at a million cursors", s(clock() - t))
t = clock()
b:undo()
line("undo it", s(clock() - t))
brisk.quit()
