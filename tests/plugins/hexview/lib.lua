-- Test helpers for the hexview tests (run by `brisk --headless --hex -l`):
-- TAP lines on stdout, os.exit status = result.
local T = {n = 0, failed = 0}

T.root = ((arg and arg[0] or ""):match("^(.*)/tests/plugins/hexview/[^/]*$")) or "."
if T.root:sub(1, 1) ~= "/" then T.root = (os.getenv("PWD") or ".") .. "/" .. T.root end
T.samples = T.root .. "/../shared/samples/hex"
T.tmpdir = os.getenv("HEX_TEST_TMP") or "/tmp"

local function show(v)
  if type(v) == "string" then return ("%q"):format(#v > 200 and v:sub(1, 200) .. "..." or v) end
  return tostring(v)
end

function T.ok(cond, name, extra)
  T.n = T.n + 1
  if cond then
    print("ok " .. T.n .. " - " .. name)
  else
    T.failed = T.failed + 1
    print("not ok " .. T.n .. " - " .. name .. (extra and ("  # " .. extra) or ""))
  end
  return cond
end

function T.eq(got, want, name)
  return T.ok(got == want, name, "got " .. show(got) .. ", want " .. show(want))
end

function T.read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return s
end

function T.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

function T.tmp(name) return T.tmpdir .. "/" .. name end

-- A copy of a sample (the test fails when the sample is missing).
function T.sample_copy(name, to)
  local s = T.read(T.samples .. "/" .. name)
  if not T.ok(s ~= nil, "sample ../shared/samples/hex/" .. name .. " is there") then T.done() end
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

function T.done()
  print(("1..%d"):format(T.n))
  if T.failed > 0 then print(("# %d of %d failed"):format(T.failed, T.n)) end
  io.stdout:flush()
  os.exit(T.failed == 0 and 0 or 1)
end

return T
