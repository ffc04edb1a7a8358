-- EditorConfig (https://editorconfig.org): .editorconfig files in the
-- file's directory and its parents (up to one with root = true); sections
-- whose glob matches the file set indent_style, indent_size, tab_width,
-- insert_final_newline.
-- Globs: * ** ? [set] [!set] {a,b} {n..m}; a glob without a slash matches
-- the base name in any directory below the file that holds it.
local M = {}

local function esc(c) return (c:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}%|\\/]", "\\%0")) end

-- A glob as a PCRE2 pattern (anchored).
function M.glob_to_regex(glob)
  local out, i, n, depth = {}, 1, #glob, 0
  while i <= n do
    local c = glob:sub(i, i)
    if c == "*" then
      if glob:sub(i + 1, i + 1) == "*" then out[#out + 1] = ".*"; i = i + 1
      else out[#out + 1] = "[^/]*" end
    elseif c == "?" then out[#out + 1] = "[^/]"
    elseif c == "[" then
      local j = glob:find("]", i + 1, true)
      if j then
        local set = glob:sub(i + 1, j - 1):gsub("^!", "^"):gsub("\\", "\\\\")
        out[#out + 1] = "[" .. set .. "]"
        i = j
      else out[#out + 1] = "\\[" end
    elseif c == "{" then
      local j = glob:find("}", i + 1, true)
      local inner = j and glob:sub(i + 1, j - 1)
      local a, b
      if inner then a, b = inner:match("^(%-?%d+)%.%.(%-?%d+)$") end
      if a then
        out[#out + 1] = "(?:" .. (function()
          local t = {}
          for k = tonumber(a), tonumber(b) do t[#t + 1] = tostring(k) end
          return table.concat(t, "|")
        end)() .. ")"
        i = j
      elseif inner and inner:find(",") then
        out[#out + 1] = "(?:"; depth = depth + 1
      else out[#out + 1] = "\\{" end
    elseif c == "," and depth > 0 then out[#out + 1] = "|"
    elseif c == "}" and depth > 0 then out[#out + 1] = ")"; depth = depth - 1
    elseif c == "\\" and i < n then out[#out + 1] = esc(glob:sub(i + 1, i + 1)); i = i + 1
    else out[#out + 1] = esc(c) end
    i = i + 1
  end
  return "^" .. table.concat(out) .. "$"
end

-- Does glob (from an .editorconfig in dir) match the absolute path?
function M.matches(glob, dir, path)
  local rel = path:sub(#dir + 2)
  local pat
  if glob:find("/", 1, true) then
    pat = M.glob_to_regex(glob:gsub("^/", ""))
  else
    pat = "(?:^|/)" .. M.glob_to_regex(glob):sub(2)
  end
  local re = brisk.regex.new(pat, "b")
  return re ~= nil and re:find(rel) ~= nil
end

-- Parses one file: root flag and {glob, props} sections in order.
function M.parse(text)
  local root, sections, cur = false, {}, nil
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    line = line:gsub("\r$", ""):match("^%s*(.-)%s*$")
    if line == "" or line:match("^[#;]") then
    elseif line:match("^%[.*%]$") then
      cur = {glob = line:sub(2, -2), props = {}}
      sections[#sections + 1] = cur
    else
      local k, v = line:match("^([^=]-)%s*=%s*(.*)$")
      if k then
        k, v = k:lower(), v:lower()
        if cur then cur.props[k] = v elseif k == "root" then root = (v == "true") end
      end
    end
  end
  return root, sections
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- Settings {tabwidth=, indent=, expandtab=, final_newline=} for an
-- absolute path, or nil.
-- Nearer files win; within a file, later sections win.
function M.settings(path, reader)
  reader = reader or read
  if not path or path:sub(1, 1) ~= "/" then return nil end
  local files, dir = {}, path:match("^(.*)/[^/]*$")
  while dir do
    local text = reader((dir == "" and "" or dir) .. "/.editorconfig")
    if text then
      local root, sections = M.parse(text)
      table.insert(files, 1, {dir = dir, sections = sections})
      if root then break end
    end
    if dir == "" then break end
    dir = dir:match("^(.*)/[^/]*$")
  end
  local props = {}
  for _, f in ipairs(files) do
    for _, s in ipairs(f.sections) do
      if M.matches(s.glob, f.dir, path) then
        for k, v in pairs(s.props) do props[k] = v end
      end
    end
  end
  local r, any = {}, false
  if props.indent_style == "space" then r.expandtab, any = true, true
  elseif props.indent_style == "tab" then r.expandtab, any = false, true end
  local size = tonumber(props.indent_size)
  local tw = tonumber(props.tab_width)
  if size then r.indent, any = size, true end
  -- tab_width defaults to indent_size (the spec).
  if tw then r.tabwidth, any = tw, true
  elseif size then r.tabwidth = size end
  if props.insert_final_newline == "true" then r.final_newline, any = true, true
  elseif props.insert_final_newline == "false" then r.final_newline, any = false, true end
  return any and r or nil
end

return M
