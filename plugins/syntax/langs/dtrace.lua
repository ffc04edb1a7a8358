-- The D language of DTrace scripts.
return {
  name = "dtrace", extensions = {"d"}, shebang = {"dtrace"},
  comment = "/* ", tabwidth = 8, expandtab = false,
  states = {
    main = {
      {[==[/\*]==], "comment", next = "comment"},
      {[==[//.*]==], "comment"},
      {[==[^\s*#.*]==], "preproc"},
      {[==[^\s*(?:BEGIN|END|ERROR)\b|^\s*[\w*?\-$]*:[\w*?\-$]*:[\w*?\-$]*:[\w*?\-$]*|^\s*(?:profile|tick)-\w+]==], "function"},
      {[==[^\s*/(?!\*).*/\s*$]==], "special"},
      {[==["(?:[^"\\]|\\.)*"?]==], "string"},
      {[==['(?:[^'\\]|\\.)*'?]==], "string"},
      {[==[@\w*|\$\w+|\b(?:self|this)->\w+]==], "variable"},
      {[==[\b(?:if|else|sizeof|offsetof|stringof|xlate|inline|typedef|struct|union|enum|translator|provider|probe|self|this|const|static|extern)\b]==], "keyword"},
      {[==[\b(?:arg\d|args|execname|pid|tid|ppid|uid|gid|timestamp|vtimestamp|walltimestamp|probefunc|probemod|probename|probeprov|curthread|curpsinfo|errno|cpu|zonename|NULL)\b]==], "constant"},
      {[==[\b(?:void|char|short|int|long|float|double|signed|unsigned|string|\w+_t)\b]==], "type"},
      {[==[\b(?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b]==], "number"},
      {[==[\b[A-Za-z_]\w*(?=\s*\()]==], "function"},
    },
    comment = {style = "comment", {[==[\*/]==], "comment", next = "main"}},
  },
}
