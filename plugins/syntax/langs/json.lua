-- JSON (and JSON with comments).
return {
  name = "json", extensions = {"json", "jsonc", "geojson", "json5", "ipynb"},
  filenames = {".jshintrc", ".eslintrc", "composer.lock"},
  comment = "// ", tabwidth = 2, expandtab = true,
  states = {
    main = {
      {[==["(?:[^"\\]|\\.)*"(?=\s*:)]==], "attribute"},
      {[==["(?:[^"\\]|\\.)*"?]==], "string"},
      {[==[-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b]==], "number"},
      {[==[\b(?:true|false|null)\b]==], "constant"},
      {[==[//.*]==], "comment"},
      {[==[/\*]==], "comment", next = "comment"},
    },
    comment = {style = "comment", {[==[\*/]==], "comment", next = "main"}},
  },
}
