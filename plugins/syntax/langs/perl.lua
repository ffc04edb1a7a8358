-- Perl 5.
return {
  name = "perl", extensions = {"pl", "pm", "t", "pod", "psgi"}, shebang = {"perl"},
  comment = "# ", tabwidth = 4, expandtab = true,
  states = {
    main = {
      {[==[^=[a-zA-Z]\w*]==], "comment", next = "pod"},
      {[==[^__(?:END|DATA)__\b]==], "preproc", next = "data"},
      {[==[(?<![$@%\\])#.*]==], "comment"},
      {[==["(?:[^"\\]|\\.)*"?]==], "string"},
      {[==['(?:[^'\\]|\\.)*'?]==], "string"},
      {[==[\bq[qwx]?\s*(?:\{[^}]*\}|\([^)]*\)|\[[^\]]*\]|/[^/]*/|\|[^|]*\|)]==], "string"},
      {[==[\b(?:s|tr|y)/(?:[^/\\]|\\.)*/(?:[^/\\]|\\.)*/[a-z]*]==], "regex"},
      {[==[\b(?:m|qr)(?:/(?:[^/\\]|\\.)*/|\{[^}]*\}|!(?:[^!\\]|\\.)*!)[a-z]*]==], "regex"},
      {[==[(?<=[=!]~)\s*/(?:[^/\\]|\\.)*/[a-z]*]==], "regex"},
      {[==[[$@%]\{?\^?\w+(?:::\w+)*\}?|\$[^\w\s{]|[$@%]\{]==], "variable"},
      {[==[\b(?:my|our|local|state|sub|if|elsif|else|unless|while|until|for|foreach|do|return|last|next|redo|goto|use|no|require|package|and|or|not|xor|eq|ne|lt|gt|le|ge|cmp|BEGIN|END|defined|undef|wantarray|die|eval)\b]==], "keyword"},
      {[==[\b(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\b]==], "number"},
      {[==[\b[A-Za-z_]\w*(?=\s*\()]==], "function"},
    },
    pod = {style = "comment", {[==[^=cut\b.*]==], "comment", next = "main"}},
    data = {style = "comment"},
  },
}
