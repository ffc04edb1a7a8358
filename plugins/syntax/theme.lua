-- Colour themes for the syntax.* styles: dark and light, each in the
-- 256-colour palette and in the 8 basic colours, plus "mono" (attributes
-- only). The depth comes from the environment: COLORTERM=truecolor or
-- 24bit, or a TERM with 256color, get 256 colours (brisk's screen uses
-- the xterm palette, #rrggbb picks the nearest entry); NO_COLOR, TERM=dumb
-- or a vt* terminal get monochrome; everything else 8 colours.
local M = {}

M.names = {"comment", "string", "number", "keyword", "type", "constant", "function",
  "preproc", "special", "variable", "regex", "heading", "bold", "italic", "code", "link",
  "added", "removed", "changed", "hunk", "header", "tag", "attribute"}

M.themes = {
  dark = {
    c256 = {
      comment = {fg = "#8a8a8a", italic = true}, string = {fg = "#87d787"}, number = {fg = "#d7af5f"},
      keyword = {fg = "#5fafff", bold = true}, type = {fg = "#5fd7d7"}, constant = {fg = "#d787d7"},
      ["function"] = {fg = "#ffd75f"}, preproc = {fg = "#ff8787"}, special = {fg = "#ffaf5f"},
      variable = {fg = "#afafff"}, regex = {fg = "#ffaf87"}, heading = {fg = "#5fafff", bold = true},
      bold = {bold = true}, italic = {italic = true}, code = {fg = "#87d787"}, link = {fg = "#5fd7ff", underline = true},
      added = {fg = "#87d787"}, removed = {fg = "#ff8787"}, changed = {fg = "#ffd75f"},
      hunk = {fg = "#5fd7d7"}, header = {bold = true}, tag = {fg = "#5fafff"}, attribute = {fg = "#d7af5f"},
    },
    c8 = {
      comment = {fg = "cyan"}, string = {fg = "green"}, number = {fg = "magenta"},
      keyword = {fg = "yellow", bold = true}, type = {fg = "green", bold = true}, constant = {fg = "magenta"},
      ["function"] = {fg = "cyan", bold = true}, preproc = {fg = "red"}, special = {fg = "red", bold = true},
      variable = {fg = "cyan"}, regex = {fg = "magenta"}, heading = {fg = "yellow", bold = true},
      bold = {bold = true}, italic = {underline = true}, code = {fg = "green"}, link = {fg = "blue", underline = true},
      added = {fg = "green"}, removed = {fg = "red"}, changed = {fg = "yellow"},
      hunk = {fg = "cyan"}, header = {bold = true}, tag = {fg = "blue", bold = true}, attribute = {fg = "yellow"},
    },
  },
  light = {
    c256 = {
      comment = {fg = "#808080", italic = true}, string = {fg = "#008700"}, number = {fg = "#af5f00"},
      keyword = {fg = "#0000af", bold = true}, type = {fg = "#005f87"}, constant = {fg = "#870087"},
      ["function"] = {fg = "#875f00"}, preproc = {fg = "#af0000"}, special = {fg = "#d75f00"},
      variable = {fg = "#5f00af"}, regex = {fg = "#af5f00"}, heading = {fg = "#0000af", bold = true},
      bold = {bold = true}, italic = {italic = true}, code = {fg = "#008700"}, link = {fg = "#005fd7", underline = true},
      added = {fg = "#008700"}, removed = {fg = "#af0000"}, changed = {fg = "#875f00"},
      hunk = {fg = "#005f87"}, header = {bold = true}, tag = {fg = "#0000af"}, attribute = {fg = "#875f00"},
    },
    c8 = {
      comment = {fg = "blue"}, string = {fg = "green"}, number = {fg = "magenta"},
      keyword = {fg = "blue", bold = true}, type = {fg = "green", bold = true}, constant = {fg = "magenta"},
      ["function"] = {fg = "red"}, preproc = {fg = "red", bold = true}, special = {fg = "red"},
      variable = {fg = "magenta", bold = true}, regex = {fg = "magenta"}, heading = {fg = "blue", bold = true},
      bold = {bold = true}, italic = {underline = true}, code = {fg = "green"}, link = {fg = "blue", underline = true},
      added = {fg = "green"}, removed = {fg = "red"}, changed = {fg = "magenta"},
      hunk = {fg = "blue"}, header = {bold = true}, tag = {fg = "blue"}, attribute = {fg = "red"},
    },
  },
}

M.mono = {
  comment = {dim = true}, string = {underline = true}, keyword = {bold = true}, preproc = {bold = true},
  heading = {bold = true}, bold = {bold = true}, italic = {underline = true}, link = {underline = true},
  added = {bold = true}, removed = {dim = true}, hunk = {reverse = true}, header = {bold = true},
  tag = {bold = true}, ["function"] = {}, type = {}, number = {}, constant = {}, special = {},
  variable = {}, regex = {underline = true}, code = {}, changed = {}, attribute = {},
}

-- "256", "8" or "mono", from the environment (env: a getenv function).
function M.depth(env)
  env = env or os.getenv
  local term, ct = env("TERM") or "", (env("COLORTERM") or ""):lower()
  if env("NO_COLOR") and env("NO_COLOR") ~= "" then return "mono" end
  if term == "dumb" or term:match("^vt%d") then return "mono" end
  if ct == "truecolor" or ct == "24bit" or term:find("256col") or term:find("direct") then return "256" end
  return "8"
end

-- Defines the syntax.* styles for theme name ("dark", "light", "mono").
function M.apply(name, depth)
  depth = depth or M.depth()
  local t = M.themes[name]
  if not t and name ~= "mono" then return nil, "no theme " .. tostring(name) .. " (dark, light, mono)" end
  local specs = (name == "mono" or depth == "mono") and M.mono or (depth == "256" and t.c256 or t.c8)
  for _, k in ipairs(M.names) do brisk.style("syntax." .. k, specs[k] or {}) end
  M.current = name
  return true
end

return M
