-- Markdown (CommonMark, with GitHub fences).
return {
  name = "markdown", extensions = {"md", "markdown", "mkd", "mdown"},
  comment = "<!-- ", tabwidth = 4, expandtab = true,
  states = {
    main = {
      {[==[^#{1,6}(?:\s.*|$)]==], "heading"},
      {[==[^\s*(?:```|~~~).*]==], "code", next = "fence"},
      {[==[^(?: {4}|\t).*]==], "code"},
      {[==[^\s*>.*]==], "comment"},
      {[==[^\s*(?:[-*+]|\d+[.)])(?=\s)]==], "special"},
      {[==[^(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$]==], "special"},
      {[==[<!--]==], "comment", next = "comment"},
      {[==[`[^`]+`]==], "code"},
      {[==[\*\*[^*]+\*\*|__[^_]+__]==], "bold"},
      {[==[(?<![*\w])\*[^*\s][^*]*\*|(?<![_\w])_[^_\s][^_]*_]==], "italic"},
      {[==[!?\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])|<https?://[^>]+>]==], "link"},
    },
    fence = {style = "code", {[==[^\s*(?:```|~~~)\s*$]==], "code", next = "main"}},
    comment = {style = "comment", {[==[-->]==], "comment", next = "main"}},
  },
}
