-- Lua 5.x.
return {
  name = "lua", extensions = {"lua", "rockspec", "luacheckrc"}, shebang = {"lua", "luajit"},
  comment = "-- ", tabwidth = 2, expandtab = true,
  states = {
    main = {
      {[==[--\[\[]==], "comment", next = "comment0"},
      {[==[--\[=\[]==], "comment", next = "comment1"},
      {[==[--.*]==], "comment"},
      {[==[\[\[]==], "string", next = "string0"},
      {[==[\[=\[]==], "string", next = "string1"},
      {[==["(?:[^"\\]|\\.)*"?]==], "string"},
      {[==['(?:[^'\\]|\\.)*'?]==], "string"},
      {[==[\b(?:0[xX][0-9a-fA-F.]+(?:[pP][+-]?\d+)?|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\b]==], "number"},
      {[==[\b(?:and|break|do|else|elseif|end|for|function|goto|if|in|local|not|or|repeat|return|then|until|while)\b]==], "keyword"},
      {[==[\b(?:nil|true|false|self|_ENV|_G)\b]==], "constant"},
      {[==[\b[A-Za-z_][\w.:]*(?=\s*[({"'])]==], "function"},
    },
    comment0 = {style = "comment", {[==[\]\]]==], "comment", next = "main"}},
    comment1 = {style = "comment", {[==[\]=\]]==], "comment", next = "main"}},
    string0 = {style = "string", {[==[\]\]]==], "string", next = "main"}},
    string1 = {style = "string", {[==[\]=\]]==], "string", next = "main"}},
  },
}
