-- Runs before the user's init.lua: defaults that init.lua may change.
-- (Only the public brisk.* API here, like any plugin.)

-- Bundled plugins to skip: brisk.disabled_plugins.news = true in init.lua.
brisk.disabled_plugins = brisk.disabled_plugins or {}

-- Per-file-type settings (the syntax plugin): brisk.filetypes.c = {tabwidth = 8}.
brisk.filetypes = brisk.filetypes or {}

-- brisk.inspect(v): a readable one-line rendering of a Lua value, for
-- messages and debugging from the prompt.
function brisk.inspect(v, depth)
  depth = depth or 2
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) ~= "table" or depth == 0 then return tostring(v) end
  local parts, n = {}, 0
  for k, x in pairs(v) do
    n = n + 1
    if n > 20 then parts[#parts + 1] = "..."; break end
    local key = type(k) == "string" and k:match("^[%a_][%w_]*$") and k or "[" .. brisk.inspect(k, 0) .. "]"
    parts[#parts + 1] = key .. " = " .. brisk.inspect(x, depth - 1)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end
