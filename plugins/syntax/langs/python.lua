-- Python 3.
return {
  name = "python", extensions = {"py", "pyw", "pyi"}, filenames = {"SConstruct", "SConscript"},
  shebang = {"python", "python2", "python3", "pypy", "pypy3"},
  comment = "# ", tabwidth = 4, expandtab = true,
  states = {
    main = {
      {[==[#.*]==], "comment"},
      {[==[\b[rRbBuUfF]{0,2}"""]==], "string", next = "tdq"},
      {[==[\b[rRbBuUfF]{0,2}''']==], "string", next = "tsq"},
      {[==["""]==], "string", next = "tdq"},
      {[==[''']==], "string", next = "tsq"},
      {[==[\b[rRbBuUfF]{1,2}"(?:[^"\\]|\\.)*"?|"(?:[^"\\]|\\.)*"?]==], "string"},
      {[==[\b[rRbBuUfF]{1,2}'(?:[^'\\]|\\.)*'?|'(?:[^'\\]|\\.)*'?]==], "string"},
      {[==[^\s*@[\w.]+]==], "preproc"},
      {[==[\b(?:and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield|match|case)\b]==], "keyword"},
      {[==[\b(?:True|False|None|self|cls|__\w+__)\b]==], "constant"},
      {[==[(?<=def )\w+|(?<=class )\w+|\b[A-Za-z_]\w*(?=\()]==], "function"},
      {[==[\b(?:0[xXoObB][0-9a-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?[jJ]?|\.\d+)\b]==], "number"},
    },
    tdq = {style = "string", {[==[\\.]==], "special"}, {[==["""]==], "string", next = "main"}},
    tsq = {style = "string", {[==[\\.]==], "special"}, {[==[''']==], "string", next = "main"}},
  },
}
