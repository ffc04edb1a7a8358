-- C and its headers.
return {
  name = "c", extensions = {"c", "h", "inc"}, comment = "// ",
  tabwidth = 8, expandtab = false,
  states = {
    main = {
      {[==[/\*]==], "comment", next = "comment"},
      {[==[//.*]==], "comment"},
      {[==[^\s*#\s*include\s*(?:<[^>]*>|"[^"]*")]==], "preproc"},
      {[==[^\s*#\s*\w*]==], "preproc"},
      {[==["(?:[^"\\]|\\.)*"?]==], "string"},
      {[==['(?:[^'\\]|\\.)*'?]==], "string"},
      {[==[\b(?:0[xX][0-9a-fA-F']+|0[bB][01']+|\d[\d']*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)[uUlLfF]*\b]==], "number"},
      {[==[\b(?:if|else|for|while|do|switch|case|default|break|continue|return|goto|sizeof|typedef|struct|union|enum|static|extern|const|volatile|register|inline|restrict|auto|alignas|alignof|static_assert|thread_local|_Alignas|_Alignof|_Atomic|_Generic|_Noreturn|_Static_assert|_Thread_local|typeof)\b]==], "keyword"},
      {[==[\b(?:void|char|short|int|long|float|double|signed|unsigned|bool|_Bool|_Complex|\w+_t)\b]==], "type"},
      {[==[\b(?:NULL|true|false|nullptr|__func__|__FILE__|__LINE__|[A-Z][A-Z0-9_]+)\b]==], "constant"},
      {[==[\b[A-Za-z_]\w*(?=\s*\()]==], "function"},
    },
    comment = {
      style = "comment",
      {[==[\*/]==], "comment", next = "main"},
    },
  },
}
