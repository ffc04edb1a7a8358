-- Test helpers for the hexview tests (run by `brisk --headless --hex -l`):
-- TAP lines on stdout, os.exit status = result.
local script = arg and arg[0] or ""
local here = script:match("^(.*)/[^/]*$") or "."
local T = assert(loadfile(here .. "/../../lib/tap.lua", "t", _ENV))()

T.root = T.root_of(script, "hexview")
T.samples = T.root .. "/tests/data/hex"
T.tmpdir = os.getenv("HEX_TEST_TMP") or "/tmp"

function T.tmp(name) return T.tmpdir .. "/" .. name end

-- A copy of a sample (the test fails when the sample is missing).
function T.sample_copy(name, to)
  local s = T.read(T.samples .. "/" .. name)
  if not T.ok(s ~= nil, "sample tests/data/hex/" .. name .. " is there") then T.done() end
  T.write(to, s)
  return s
end

-- Opens path in the hex view, focused.
function T.open_hex(path)
  local b = assert(brisk.open(path))
  b:mode("hex")
  b:focus()
  return b
end

-- Deterministic pseudo-random bytes (xorshift), no os.time.
function T.random_bytes(n, seed)
  local x = seed or 88172645463325252
  local out = {}
  for i = 1, n do
    x = x ~ (x << 13); x = x ~ (x >> 7); x = x ~ (x << 17)
    out[i] = string.char(x & 0xff)
  end
  return table.concat(out)
end

function T.hex(s)
  return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end))
end

return T
