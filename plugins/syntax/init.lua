-- syntax: file types and syntax colours. Detects a buffer's file type
-- (modeline, name, shebang: syntax.detect), works out its settings
-- (language defaults < brisk.filetypes[ft] from init.lua < .editorconfig
-- < modeline: syntax.editorconfig) and colours it with the language's
-- PCRE2 rule table (syntax.lexer, languages in syntax/langs/ and
-- $XDG_CONFIG_HOME/brisk/syntax/NAME.lua) through brisk.set_syntax, so
-- only lines on screen are lexed and an edit re-lexes until the state
-- settles. Themes: syntax.theme. The file type is separate from the
-- buffer's mode (hex, log): a buffer with a mode keeps that mode's colours.
local lexer = require("syntax.lexer")
local detect = require("syntax.detect")
local editorconfig = require("syntax.editorconfig")
local theme = require("syntax.theme")

local M = {lexer = lexer, detect = detect, editorconfig = editorconfig, theme = theme}

M.bundled = {"c", "lua", "sh", "perl", "python", "make", "markdown", "diff", "json", "xml", "dtrace"}
M.langs = {}      -- name -> definition
M.buffers = {}    -- buffer id -> {filetype=, settings=}
M.enabled = true

brisk.filetypes = brisk.filetypes or {}

--- define(name, def): adds or replaces a language. def: {extensions=,
--- filenames=, shebang=, comment=, tabwidth=, expandtab=, states=}.
function M.define(name, def)
  def.name = name
  def.compiled = nil
  M.langs[name] = def
  return def
end

for _, name in ipairs(M.bundled) do M.define(name, require("syntax.langs." .. name)) end

-- The user's own languages: $XDG_CONFIG_HOME/brisk/syntax/NAME.lua.
local function load_user_langs()
  local dir = brisk.config_dir and brisk.config_dir .. "/syntax"
  local names = dir and brisk.list_dir(dir)
  for _, f in ipairs(names or {}) do
    local name = f:match("^([%w_-]+)%.lua$")
    if name then
      local chunk, err = loadfile(dir .. "/" .. f)
      local ok, def = false, err
      if chunk then ok, def = pcall(chunk) end
      if ok and type(def) == "table" then M.define(name, def)
      else brisk.error("syntax: " .. dir .. "/" .. f .. ": " .. tostring(def)) end
    end
  end
end
load_user_langs()

local function absolute(path)
  if not path or path == "" or path:sub(1, 1) == "/" then return path end
  local pwd = os.getenv("PWD")
  return pwd and (pwd .. "/" .. path:gsub("^%./", "")) or nil
end

-- The first and last 5 lines (what detection looks at), each cut to 1 KiB
-- and read from the two ends of the buffer only: a GB file or a 100 MB
-- line costs what a small one does (a modeline is near its line's start).
local function sample(b)
  local head, tail = b:edge_lines(5, 1024)
  local lines = {}
  for _, l in ipairs(head) do lines[#lines + 1] = l end
  for _, l in ipairs(tail) do lines[#lines + 1] = l end
  return lines -- detect.modeline looks at i <= 5 or i > #lines - 5: all of them
end

--- settings(ft, path, modeline) -> {tabwidth=, expandtab=, indent=, comment=}
function M.settings_for(ft, path, ml)
  local def = ft and M.langs[ft] or {}
  local s = {tabwidth = def.tabwidth, expandtab = def.expandtab, comment = def.comment}
  for k, v in pairs(ft and brisk.filetypes[ft] or {}) do s[k] = v end
  for k, v in pairs(editorconfig.settings(absolute(path)) or {}) do s[k] = v end
  for k, v in pairs(ml or {}) do if k ~= "filetype" then s[k] = v end end
  return s
end

-- The editor's tab settings are global: the focused buffer's go to
-- `set tabwidth` / `set expandtab` (checked when idle). A buffer without a
-- type gets brisk.filetypes.text, else the editor's defaults (8, tabs) once
-- a typed buffer changed them; until then nothing is touched, so a `set`
-- in init.lua holds for plain files.
local applied -- {tw=, et=} last pushed to the editor

local function apply_settings(b)
  local info = b and M.buffers[b:id()]
  local s = info and info.filetype and info.settings or brisk.filetypes.text or {}
  local tw, et = s.tabwidth, s.expandtab
  if not (info and info.filetype) and info and info.settings then
    -- EditorConfig or a modeline on a file without a type.
    tw = info.settings.tabwidth or tw
    if info.settings.expandtab ~= nil then et = info.settings.expandtab end
  end
  if not applied and tw == nil and et == nil then return end
  if tw == nil then tw = 8 end
  if et == nil then et = false end
  if applied and applied.tw == tw and applied.et == et then return end
  brisk.command("set tabwidth " .. math.floor(tw))
  brisk.command("set expandtab " .. (et and 1 or 0))
  applied = {tw = tw, et = et}
end

local function colour(b)
  local info = M.buffers[b:id()]
  local def = info and info.filetype and M.langs[info.filetype]
  if not M.enabled or not def or b:mode() ~= "" then
    brisk.set_syntax(b, nil)
    return
  end
  brisk.set_syntax(b, function(_, text, _, state) return lexer.lex(def, text, state) end, {state = true})
end

--- set_filetype(b, name | nil): sets (or detects again with nil) a buffer's type.
function M.set_filetype(b, name)
  local id = b:id()
  local ft, ml
  if name then
    if not M.langs[name] then return nil, "no file type " .. name end
    ft = name
  else
    ft, ml = detect.detect(M.langs, b:path() or b:name(), sample(b))
  end
  M.buffers[id] = {filetype = ft, settings = M.settings_for(ft, b:path(), ml)}
  -- EditorConfig's insert_final_newline is the buffer's own (saving reads it).
  local fnl = M.buffers[id].settings.final_newline
  if fnl ~= nil then b:final_newline(fnl) end
  b:filetype_label(ft or "") -- shown in the status bar
  colour(b)
  if b == brisk.buffer() then apply_settings(b) end
  return ft
end

--- filetype(b) -> name or nil
function M.filetype(b)
  local info = M.buffers[b:id()]
  return info and info.filetype
end

--- buffer_settings(b) -> {tabwidth=, expandtab=, indent=, comment=}
function M.buffer_settings(b)
  local info = M.buffers[b:id()]
  return info and info.settings or {}
end

-- b:filetype([name]) on buffer handles (their method table is shared).
local function add_method(b0)
  local mt = b0 and getmetatable(b0)
  local methods = type(mt) == "table" and type(mt.__index) == "table" and mt.__index
  if methods and not methods.filetype then
    methods.filetype = function(b, name)
      if name ~= nil then return M.set_filetype(b, name) end
      return M.filetype(b)
    end
  end
end
add_method(brisk.buffer())

--- setup{theme=, enabled=}: from init.lua.
function M.setup(opts)
  opts = opts or {}
  if opts.theme then assert(theme.apply(opts.theme)) end
  if opts.enabled ~= nil then
    M.enabled = opts.enabled
    for _, b in ipairs(brisk.buffers()) do colour(b) end
  end
  return M
end

theme.apply(brisk.syntax_theme or "dark")

brisk.on("open", function(b)
  add_method(b)
  M.set_filetype(b)
end)
brisk.on("mode", function(b) colour(b) end)
brisk.on("close", function(b) M.buffers[b:id()] = nil end)
brisk.on("idle", function() apply_settings(brisk.buffer()) end)

for _, b in ipairs(brisk.buffers()) do add_method(b); M.set_filetype(b) end

brisk.register_command("theme", function(args)
  local name = args and args:match("^%s*(%S+)")
  if not name then
    brisk.message("theme: " .. tostring(theme.current) .. " (" .. theme.depth() .. " colours)")
    return
  end
  local ok, err = theme.apply(name)
  if not ok then return false, err end
end, {help = "NAME: syntax colours dark, light or mono"})

brisk.register_command("filetype", function(args)
  local name = args and args:match("^%s*(%S+)")
  local b = brisk.buffer()
  if not name then
    brisk.message("filetype: " .. (M.filetype(b) or "none"))
    return
  end
  if name == "auto" then name = nil end
  local ft, err = M.set_filetype(b, name)
  if err then return false, err end
end, {help = "[NAME|auto]: show or set the buffer's file type"})

brisk.register_command("syntax", function(args)
  local v = args and args:match("^%s*(%S+)")
  if v ~= "on" and v ~= "off" then return false, "syntax: on or off" end
  M.setup{enabled = (v == "on")}
end, {help = "on|off: syntax colours"})

return M
