-- Key fixture driver (tests/run-keys.t): brisk --headless -l keys.lua FILE KEYS OUT [primary]
-- FILE holds the fixture's `in`: %( ... ) marks a selection, %[ ... ] the
-- primary (else the first is). The markers are taken out, the file is
-- written back and opened, the selections set; then each line of KEYS runs:
-- ":command args" through brisk.command, anything else through brisk.keys.
-- OUT gets the text with every selection marked again (the primary as
-- %[ ... ] when the 4th argument is "primary").
local path, keys_path, out_path, want_primary = arg[1], arg[2], arg[3], arg[4] == "primary"

local function slurp(p)
  local f = assert(io.open(p, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function spit(p, s)
  local f = assert(io.open(p, "wb"))
  f:write(s)
  f:close()
end

-- Takes the markers out: plain text, {{anchor, head}...}, primary index.
local function parse(s)
  local out, sels, prim, open = {}, {}, nil, nil
  local i, pos = 1, 0
  while i <= #s do
    local two = s:sub(i, i + 1)
    if not open and (two == "%(" or two == "%[") then
      open = { pos, two == "%[" and "]" or ")" }
      i = i + 2
    elseif open and s:sub(i, i) == open[2] then
      sels[#sels + 1] = { open[1], pos }
      if open[2] == "]" then prim = #sels end
      open = nil
      i = i + 1
    else
      out[#out + 1] = s:sub(i, i)
      pos = pos + 1
      i = i + 1
    end
  end
  return table.concat(out), sels, prim or 1
end

local function dump(b)
  local text = b:text()
  local sels, prim = b:selections()
  local out, last = {}, 0
  for i, s in ipairs(sels) do
    local a, e = math.min(s[1], s[2]), math.max(s[1], s[2])
    local o, c = "%(", ")"
    if want_primary and i == prim then o, c = "%[", "]" end
    out[#out + 1] = text:sub(last + 1, a) .. o .. text:sub(a + 1, e) .. c
    last = e
  end
  out[#out + 1] = text:sub(last + 1)
  return table.concat(out)
end

local plain, sels, prim = parse(slurp(path))
spit(path, plain)
local b = assert(brisk.open(path))
b:focus()
if #sels > 0 then b:set_selections(sels, prim) end
for line in (slurp(keys_path):gsub("\n$", "") .. "\n"):gmatch("(.-)\n") do
  if line:sub(1, 1) == ":" then
    brisk.command(line:sub(2))
  elseif line ~= "" then
    brisk.keys(line)
  end
end
spit(out_path, dump(b))
brisk.quit()
