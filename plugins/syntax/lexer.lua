-- Rule-table lexer: a language is a set of named states, each a list of
-- PCRE2 rules {pattern, style, next = "state"}; the leftmost match wins
-- (the first rule on a tie), text no rule matches takes the state's own
-- style. The state a line ends in (an integer) is handed to the next line
-- by brisk.set_syntax, so block comments and strings span lines.
local M = {}

-- Compiles a definition's states once: def.compiled = {states by index,
-- index by name}. Raises on a bad pattern, naming the language and rule.
function M.compile(def)
  if def.compiled then return def.compiled end
  local names, index = {}, {}
  names[1] = "main"
  for name in pairs(def.states) do
    if name ~= "main" then names[#names + 1] = name end
  end
  table.sort(names, function(a, b) return a == "main" or (b ~= "main" and a < b) end)
  for i, name in ipairs(names) do index[name] = i end
  local states = {}
  for i, name in ipairs(names) do
    local src = def.states[name]
    local st = {name = name, style = src.style, eol = src.eol and index[src.eol], rules = {}}
    for k, r in ipairs(src) do
      local re, err = brisk.regex.new(r[1], r.flags)
      if not re then error(("syntax %s: state %s rule %d: %s"):format(def.name, name, k, err), 0) end
      if r.next and not index[r.next] then
        error(("syntax %s: state %s rule %d: no state %s"):format(def.name, name, k, r.next), 0)
      end
      st.rules[k] = {re = re, style = r[2], next = r.next and index[r.next]}
    end
    states[i] = st
  end
  def.compiled = {states = states, index = index}
  return def.compiled
end

local STYLE = setmetatable({}, {__index = function(t, k)
  local v = "syntax." .. k
  t[k] = v
  return v
end})

-- Lexes one line from state (0-based index; 0 = main): spans for
-- brisk.set_syntax ({s, e, style = "syntax.NAME"}) and the end state.
function M.lex(def, text, state)
  local c = def.compiled or M.compile(def)
  local st = c.states[(state or 0) + 1] or c.states[1]
  local rules, spans, ns = st.rules, {}, 0
  local ms, me = {}, {}
  local pos, len, guard = 1, #text, 4 * #text + 16
  local function add(s, e, style)
    if not style or e < s then return end
    local last = spans[ns]
    if last and last[2] == s - 1 and last.style == STYLE[style] then
      last[2] = e
    else
      ns = ns + 1
      spans[ns] = {s, e, style = STYLE[style]}
    end
  end
  while pos <= len and guard > 0 do
    guard = guard - 1
    local best, bs, be = nil, len + 2, 0
    for i = 1, #rules do
      local s = ms[i]
      if s == nil or (s and s < pos) then
        s, me[i] = rules[i].re:find(text, pos)
        ms[i] = s or false
      end
      if s and s < bs then best, bs, be = i, s, me[i] end
    end
    if not best then break end
    add(pos, bs - 1, st.style)
    local r = rules[best]
    add(bs, be, r.style or st.style)
    pos = be >= bs and be + 1 or bs
    if r.next then
      st = c.states[r.next]
      rules, ms, me = st.rules, {}, {}
    elseif be < bs then
      add(bs, bs, st.style)
      pos = bs + 1
    end
  end
  add(pos, len, st.style)
  if st.eol then st = c.states[st.eol] end
  return spans, c.index[st.name] - 1
end

return M
