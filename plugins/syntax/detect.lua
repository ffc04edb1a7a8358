-- File type detection: a modeline (vim or emacs) in the first or last 5
-- lines wins, then the file name (exact names, then extensions), then the
-- shebang line. Pure functions of (name, lines), headless-testable.
local M = {}

-- Names an emacs mode or a vim filetype may use for ours.
M.aliases = {
  ["shell-script"] = "sh", bash = "sh", zsh = "sh", ksh = "sh", shell = "sh",
  cperl = "perl", makefile = "make", ["makefile-gmake"] = "make", ["gfm"] = "markdown",
  md = "markdown", html = "xml", xhtml = "xml", nxml = "xml", sgml = "xml", svg = "xml",
  patch = "diff", d = "dtrace", py = "python", python3 = "python", h = "c", javascript = nil,
}

-- Settings a vim modeline may carry: ft=, ts=, sw=, et/noet.
local function vim_modeline(line)
  local body = line:match("%f[%w]vim?:%s*set?%s+(.-):") or line:match("%f[%w]vim?:%s*(.*)")
    or line:match("%f[%w]ex:%s*set?%s+(.-):")
  if not body then return nil end
  local r = {}
  for item in body:gmatch("[^%s:]+") do
    local k, v = item:match("^(%w+)=(.*)$")
    k = k or item
    if k == "ft" or k == "filetype" or k == "syntax" or k == "syn" then r.filetype = v
    elseif k == "ts" or k == "tabstop" then r.tabwidth = tonumber(v)
    elseif k == "sw" or k == "shiftwidth" then r.indent = tonumber(v)
    elseif k == "et" or k == "expandtab" then r.expandtab = true
    elseif k == "noet" or k == "noexpandtab" then r.expandtab = false end
  end
  return r
end

-- -*- mode: c; tab-width: 4; indent-tabs-mode: nil -*-  or  -*- c -*-
local function emacs_modeline(line)
  local body = line:match("%-%*%-(.-)%-%*%-")
  if not body then return nil end
  local r = {}
  if not body:find(":") then
    r.filetype = body:match("^%s*(.-)%s*$"):lower()
    return r
  end
  for k, v in body:gmatch("([%w-]+)%s*:%s*([^;]+)") do
    v = v:match("^%s*(.-)%s*$")
    k = k:lower()
    if k == "mode" then r.filetype = v:lower()
    elseif k == "tab-width" then r.tabwidth = tonumber(v)
    elseif k == "indent-tabs-mode" then r.expandtab = (v == "nil") end
  end
  return r
end

-- The modeline settings of a file's first and last lines, or nil.
function M.modeline(lines)
  local n = #lines
  for i = 1, n do
    if i <= 5 or i > n - 5 then
      local line = lines[i]
      local r = (i <= 2 and emacs_modeline(line)) or vim_modeline(line)
      if r then return r end
    end
  end
  return nil
end

-- The interpreter of a shebang line: "#!/usr/bin/env python3" -> "python3".
function M.interpreter(first)
  if not first or first:sub(1, 2) ~= "#!" then return nil end
  local words = {}
  for w in first:sub(3):gmatch("%S+") do words[#words + 1] = w end
  local prog = words[1] and words[1]:match("([^/]+)$")
  if prog == "env" then
    for i = 2, #words do
      if words[i]:sub(1, 1) ~= "-" and not words[i]:find("=") then prog = words[i]; break end
    end
  end
  return prog
end

local function canonical(langs, name)
  if not name or name == "" then return nil end
  name = name:lower()
  if langs[name] then return name end
  local a = M.aliases[name]
  return a and langs[a] and a or nil
end

-- detect(langs, path, lines) -> filetype or nil, modeline settings or nil.
-- langs: name -> definition {extensions=, filenames=, shebang=}.
function M.detect(langs, path, lines)
  local ml = M.modeline(lines)
  local ft = ml and canonical(langs, ml.filetype)
  if ft then return ft, ml end
  local base = (path or ""):match("([^/]*)$")
  for name, def in pairs(langs) do
    for _, f in ipairs(def.filenames or {}) do
      if f == base then return name, ml end
    end
  end
  local lower = base:lower()
  local ext = lower:match("%.([^.]+)$") or lower:match("^%.(.+)$")
  if lower:match("%.orig$") or lower:match("%.bak$") or lower:match("~$") then
    ext = lower:gsub("%.orig$", ""):gsub("%.bak$", ""):gsub("~$", ""):match("%.([^.]+)$")
  end
  if ext then
    for name, def in pairs(langs) do
      for _, e in ipairs(def.extensions or {}) do
        if e == ext then return name, ml end
      end
    end
  end
  local prog = M.interpreter(lines[1])
  if prog then
    local bare = prog:gsub("[%d.]+$", "")
    for name, def in pairs(langs) do
      for _, s in ipairs(def.shebang or {}) do
        if s == prog or s == bare then return name, ml end
      end
    end
  end
  if lines[1] and (lines[1]:match("^<%?xml") or lines[1]:match("^<!DOCTYPE") or lines[1]:match("^<html")) then
    return langs.xml and "xml" or nil, ml
  end
  if lines[1] and (lines[1]:match("^diff %-") or lines[1]:match("^%-%-%- ") or lines[1]:match("^From [0-9a-f]+ ")) then
    return langs.diff and "diff" or nil, ml
  end
  return nil, ml
end

return M
