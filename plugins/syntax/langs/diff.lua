-- Unified, context and normal diffs; git patches.
return {
  name = "diff", extensions = {"diff", "patch", "rej"}, comment = "# ",
  states = {
    main = {
      {[==[^(?:diff|index|new file|deleted file|similarity|rename|copy|old mode|new mode|Only in|Binary files|commit [0-9a-f]+|Author:|Date:|From [0-9a-f]{40}|Subject:).*]==], "header"},
      {[==[^(?:\+\+\+|---|\*\*\*) .*]==], "header"},
      {[==[^@@.*?@@|^\*{15}.*]==], "hunk"},
      {[==[^[+>].*]==], "added"},
      {[==[^[-<].*]==], "removed"},
      {[==[^!.*]==], "changed"},
      {[==[^\\ .*]==], "comment"},
    },
  },
}
