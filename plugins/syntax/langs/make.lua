-- Makefiles (GNU and POSIX make).
return {
  name = "make", extensions = {"mk", "mak", "make"},
  filenames = {"Makefile", "makefile", "GNUmakefile", "BSDmakefile", "Kbuild"},
  shebang = {"make", "gmake"},
  comment = "# ", tabwidth = 8, expandtab = false,
  states = {
    main = {
      {[==[(?<!\\)#.*]==], "comment"},
      {[==[^\s*-?(?:include|sinclude|ifeq|ifneq|ifdef|ifndef|else|endif|define|endef|export|unexport|override|vpath|undefine)\b]==], "keyword"},
      {[==[\$\([^)]*\)|\$\{[^}]*\}|\$[@<^+?*%|]|\$\$\w*]==], "variable"},
      {[==[^[\w.\-/]+(?=\s*(?:[:+?!]|::)?=)]==], "variable"},
      {[==[^[^\s:#=\t][^:#=]*?(?=::?(?!=))]==], "function"},
      {[==["(?:[^"\\]|\\.)*"|'[^']*']==], "string"},
    },
  },
}
