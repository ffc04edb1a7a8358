-- POSIX shell, bash, zsh, ksh.
local var = [==[\$\{[^}]*\}|\$\w+|\$[@*#?$!0-9-]]==]
return {
  name = "sh", extensions = {"sh", "bash", "zsh", "ksh", "bashrc", "profile"},
  filenames = {".bashrc", ".profile", ".bash_profile", ".zshrc", "PKGBUILD", "configure"},
  shebang = {"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash"},
  comment = "# ", tabwidth = 8, expandtab = false,
  states = {
    main = {
      {[==[(?<![^\s;|&(])#.*]==], "comment"},
      {[==["]==], "string", next = "dq"},
      {[==['[^']*'?]==], "string"},
      {[==[<<-?\s*['"]?[A-Za-z_]+['"]?]==], "special", next = "heredoc"},
      {var, "variable"},
      {[==[\b(?:if|then|else|elif|fi|case|esac|for|while|until|do|done|in|function|select|return|exit|local|export|readonly|shift|break|continue|set|unset|trap|eval|exec|source|declare|typeset|alias|time)\b]==], "keyword"},
      {[==[^\s*[A-Za-z_][\w-]*\s*\(\s*\)]==], "function"},
      {[==[\b\d+\b]==], "number"},
    },
    dq = {
      style = "string",
      {[==[\\.]==], "special"},
      {var, "variable"},
      {[==["]==], "string", next = "main"},
    },
    heredoc = {
      style = "string",
      {[==[^\s*(?:[A-Z_]+|EOF|END|EOT|eof|end)\s*$]==], "special", next = "main"},
    },
  },
}
