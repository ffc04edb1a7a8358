-- File types and syntax colours (plugins/syntax, brisk.regex, the lexing
-- state of brisk.set_syntax). Run by tests/lua/syntax.t with a temporary
-- directory as arg[1].
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local S = require("syntax")
local dir = assert(arg[1], "a temporary directory")

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

--{ brisk.regex ----------------------------------------------------------
local re = assert(brisk.regex.new([[\b(?:if|else)\b]]))
local s, e = re:find("x = 1 if y else z")
T.ok(s == 7 and e == 8, "regex: find returns 1-based inclusive bounds", tostring(s) .. "," .. tostring(e))
s = re:find("x = 1 if y else z", 9)
T.is(s, 12, "regex: init starts the search")
T.is(re:find("nothing here"), nil, "regex: no match is nil")
T.is(re:match("a else b"), "else", "regex: match returns the text")
local bad, msg = brisk.regex.new("(unclosed")
T.ok(bad == nil and tostring(msg):find("regex"), "regex: a bad pattern gives nil, message", msg)
T.is(brisk.regex.new("abc", "i"):find("xABC"), 2, "regex: flag i ignores case")
T.ok(not pcall(brisk.regex.new, "a", "z"), "regex: unknown flag raises")
T.is(brisk.regex.new([[(?<=x)y]]):find("xy", 2), 2, "regex: lookbehind sees bytes before init")

--{ detection -----------------------------------------------------------
local D = S.detect
local function det(name, lines) return (D.detect(S.langs, name, lines or {})) end
local by_name = {
  ["a/b/main.c"] = "c", ["x.h"] = "c", ["init.lua"] = "lua", ["run.sh"] = "sh", ["x.pl"] = "perl",
  ["Foo.pm"] = "perl", ["app.py"] = "python", ["Makefile"] = "make", ["GNUmakefile"] = "make",
  ["rules.mk"] = "make", ["README.md"] = "markdown", ["fix.patch"] = "diff", ["a.diff"] = "diff",
  ["package.json"] = "json", ["index.html"] = "xml", ["feed.xml"] = "xml", ["trace.d"] = "dtrace",
  [".bashrc"] = "sh", ["main.c.orig"] = "c",
}
for name, want in pairs(by_name) do T.is(det(name), want, "detect by name: " .. name) end
T.is(det("notes.txt"), nil, "detect: plain text has no type")
local by_bang = {
  ["#!/bin/sh"] = "sh", ["#!/usr/bin/env bash"] = "sh", ["#!/usr/bin/perl -w"] = "perl",
  ["#!/usr/bin/env python3"] = "python", ["#!/usr/sbin/dtrace -s"] = "dtrace",
  ["#!/usr/bin/env -S lua5.4"] = "lua", ["#!/usr/bin/make -f"] = "make",
}
for line, want in pairs(by_bang) do T.is(det("script", {line, "x"}), want, "detect by shebang: " .. line) end
T.is(det("weird.txt", {"# vim: set ft=lua:"}), "lua", "detect: vim modeline (set ft=)")
T.is(det("x", {"a", "b", "c", "d", "e", "f", "g", "# vim: ft=python"}), "python", "detect: vim modeline on the last line")
T.is(det("x.c", {"/* vim: set filetype=sh : */"}), "sh", "detect: a modeline wins over the name")
T.is(det("x", {"# -*- mode: makefile -*-"}), "make", "detect: emacs mode: line")
T.is(det("x", {"/* -*- c -*- */"}), "c", "detect: emacs short form")
T.is(det("x", {"<?xml version=\"1.0\"?>"}), "xml", "detect: XML declaration")
T.is(det("x", {"diff --git a/x b/x"}), "diff", "detect: git diff header")
local _, ml = D.detect(S.langs, "x.c", {"// vim: set ts=4 sw=4 et:"})
T.ok(ml and ml.tabwidth == 4 and ml.expandtab == true, "detect: modeline ts= and et", brisk.inspect(ml))
_, ml = D.detect(S.langs, "x", {"# -*- mode: perl; tab-width: 3; indent-tabs-mode: nil -*-"})
T.ok(ml and ml.tabwidth == 3 and ml.expandtab == true, "detect: emacs tab-width, indent-tabs-mode", brisk.inspect(ml))

--{ buffers: detection on open, settings --------------------------------
brisk.filetypes.python = {tabwidth = 6, comment = ";; "}
write(dir .. "/prog", "#!/usr/bin/env python3\nprint(1)\n")
local b = brisk.open(dir .. "/prog")
T.is(b:filetype(), "python", "open: shebang detected on a real buffer")
T.is(S.buffer_settings(b).tabwidth, 6, "settings: brisk.filetypes overrides the language default")
T.is(S.buffer_settings(b).comment, ";; ", "settings: comment prefix from brisk.filetypes")
T.is(S.buffer_settings(b).expandtab, true, "settings: language default kept where not overridden")
os.remove(dir .. "/none")
write(dir .. "/.editorconfig", "root = true\n[*]\nindent_style = tab\n[*.{c,h}]\nindent_size = 3\n[sub/**.lua]\nindent_style = space\nindent_size = 5\n")
os.execute = nil
write(dir .. "/m.c", "int x;\n")
b = brisk.open(dir .. "/m.c")
local st = S.buffer_settings(b)
T.ok(st.tabwidth == 3 and st.expandtab == false, "editorconfig: [*.{c,h}] indent_size, [*] indent_style", brisk.inspect(st))
write(dir .. "/m2.c", "int x;\n/* vim: set ts=7: */\n")
b = brisk.open(dir .. "/m2.c")
T.is(S.buffer_settings(b).tabwidth, 7, "settings: a modeline wins over editorconfig")
b:focus()
brisk.command("filetype lua")
T.is(b:filetype(), "lua", "filetype command sets the type")
T.ok(not brisk.command("filetype nosuch"), "filetype command: unknown type fails")
brisk.command("filetype auto")
T.is(b:filetype(), "c", "filetype auto detects again")
local E = S.editorconfig
T.ok(E.matches("*.py", "/p", "/p/a/b/x.py"), "editorconfig glob: *.py matches in subdirectories")
T.ok(not E.matches("*.py", "/p", "/p/x.pyc"), "editorconfig glob: *.py is anchored")
T.ok(E.matches("sub/**.lua", "/p", "/p/sub/a/b.lua"), "editorconfig glob: ** crosses directories")
T.ok(not E.matches("sub/*.lua", "/p", "/p/sub/a/b.lua"), "editorconfig glob: * stays in one directory")
T.ok(E.matches("[Mm]akefile", "/p", "/p/makefile"), "editorconfig glob: [set]")
T.ok(E.matches("f{1..3}.txt", "/p", "/p/f2.txt") and not E.matches("f{1..3}.txt", "/p", "/p/f4.txt"), "editorconfig glob: {n..m}")
local es = E.settings("/x/y/z.py", function(p)
  if p == "/x/.editorconfig" then return "root=true\n[*.py]\nindent_style=space\nindent_size=4\n" end
  if p == "/x/y/.editorconfig" then return "[z.py]\nindent_size=2\n" end
end)
T.ok(es and es.tabwidth == 2 and es.expandtab == true, "editorconfig: the nearer file wins", brisk.inspect(es))

--{ spans of sample lines -----------------------------------------------
local function style_of(lang, line, needle, state)
  local spans = S.lexer.lex(S.langs[lang], line, state or 0)
  local at = line:find(needle, 1, true)
  if not at then return "needle?" end
  for _, sp in ipairs(spans) do
    if sp[1] <= at and sp[2] >= at + #needle - 1 then return (sp.style:gsub("^syntax%.", "")) end
  end
  return nil
end
local samples = {
  {"c", "static int main(void) { return 0x1f; } // done", {static = "keyword", int = "type", main = "function", ["0x1f"] = "number", ["// done"] = "comment"}},
  {"c", "#include <stdio.h>", {["#include <stdio.h>"] = "preproc"}},
  {"c", [[printf("a \"b\" %d\n", NULL);]], {[ [["a \"b\" %d\n"]] ] = "string", NULL = "constant"}},
  {"lua", "local function f(x) return nil end -- c", {["local"] = "keyword", ["nil"] = "constant", ["-- c"] = "comment"}},
  {"lua", "print('hi', 3.5)", {print = "function", ["'hi'"] = "string", ["3.5"] = "number"}},
  {"sh", [[if [ -n "$HOME" ]; then echo $x; fi # end]], {["if"] = "keyword", ["$x"] = "variable", ["# end"] = "comment", ["$HOME"] = "variable"}},
  {"perl", [[my $n = @list; $s =~ s/a/b/g; # c]], {my = "keyword", ["$n"] = "variable", ["@list"] = "variable", ["s/a/b/g"] = "regex", ["# c"] = "comment"}},
  {"python", "def greet(name): return f'hi' # x", {def = "keyword", greet = "function", ["f'hi'"] = "string", ["# x"] = "comment"}},
  {"python", "x = None if y else True", {None = "constant", ["if"] = "keyword"}},
  {"make", "CFLAGS += -O2 $(EXTRA)", {CFLAGS = "variable", ["$(EXTRA)"] = "variable"}},
  {"make", "all: brisk # build", {all = "function", ["# build"] = "comment"}},
  {"markdown", "# Title", {["# Title"] = "heading"}},
  {"markdown", "Some `code` and **bold** and [a](http://x)", {["`code`"] = "code", ["**bold**"] = "bold", ["[a](http://x)"] = "link"}},
  {"diff", "@@ -1,3 +1,4 @@", {["@@ -1,3 +1,4 @@"] = "hunk"}},
  {"diff", "+added line", {["+added line"] = "added"}},
  {"diff", "-removed", {["-removed"] = "removed"}},
  {"diff", "--- a/file.c", {["--- a/file.c"] = "header"}},
  {"json", [[{"key": "value", "n": -1.5e3, "ok": true}]], {['"key"'] = "attribute", ['"value"'] = "string", ["-1.5e3"] = "number", ["true"] = "constant"}},
  {"xml", [[<a href="x.html">T &amp; U</a>]], {["<a"] = "tag", href = "attribute", ['"x.html"'] = "string", ["&amp;"] = "special", ["</a"] = "tag"}},
  {"xml", "<!-- note -->", {["<!-- note -->"] = "comment"}},
  {"dtrace", "syscall::read:entry", {["syscall::read:entry"] = "function"}},
  {"dtrace", "/execname == \"sshd\"/", {["/execname == \"sshd\"/"] = "special"}},
  {"dtrace", "{ @calls[probefunc] = count(); self->ts = timestamp; }", {["@calls"] = "variable", probefunc = "constant", count = "function", ["self->ts"] = "variable"}},
}
for _, smp in ipairs(samples) do
  for needle, want in pairs(smp[3]) do
    T.is(style_of(smp[1], smp[2], needle), want, ("spans %s: %q in %q"):format(smp[1], needle, smp[2]))
  end
end

--{ state across lines --------------------------------------------------
local function end_state(lang, lines)
  local st = 0
  for _, l in ipairs(lines) do _, st = S.lexer.lex(S.langs[lang], l, st) end
  return st
end
T.ok(end_state("c", {"int a; /* open"}) ~= 0, "lexer: an open C comment ends the line in another state")
T.is(end_state("c", {"/* open", "still", "done */ int b;"}), 0, "lexer: the C comment closes on a later line")
T.is(style_of("c", "still in comment", "still", end_state("c", {"/* open"})), "comment", "lexer: a line inside a C comment is comment")
T.is(style_of("python", "text", "text", end_state("python", {'x = """doc'})), "string", "lexer: Python triple-quoted string spans lines")
T.is(style_of("lua", "body", "body", end_state("lua", {"--[[ long"})), "comment", "lexer: Lua long comment spans lines")
T.is(style_of("sh", "line $v", "$v", end_state("sh", {'echo "multi'})), "variable", "lexer: shell double quotes span lines, variables inside")
T.is(style_of("xml", "b=\"1\">", "b", end_state("xml", {"<a"})), "attribute", "lexer: an XML tag spans lines")
T.is(style_of("markdown", "int x;", "int x;", end_state("markdown", {"```c"})), "code", "lexer: a Markdown fence spans lines")
T.is(style_of("perl", "text", "text", end_state("perl", {"=pod"})), "comment", "lexer: Perl POD spans lines")
T.is(end_state("perl", {"=pod", "x", "=cut"}), 0, "lexer: =cut ends POD")

--{ the editor keeps states, re-lexes until they settle ------------------
local lines = {}
for i = 1, 200 do lines[i] = ("int v%d = %d;"):format(i, i) end
b = brisk.scratch("states")
b:insert(0, table.concat(lines, "\n") .. "\n")
local calls = 0
local def = S.langs.c
brisk.set_syntax(b, function(_, text, _, state)
  calls = calls + 1
  return S.lexer.lex(def, text, state)
end, {state = true})
local function covered(line) -- one span over the whole line?
  local sp = b:syntax_spans(line)
  return #sp == 1 and sp[1][1] == 1 and sp[1][2] == #b:line(line)
end
b:syntax_spans(60)
T.ok(not covered(50), "editor: line 50 is code before any comment")
b:insert(b:line_start(10), "/* ")
T.ok(covered(50), "editor: opening a comment on line 10 makes line 50 a comment")
b:insert(b:line_start(40), "*/ ")
T.ok(not covered(50), "editor: closing it on line 40 makes line 50 code again")
T.ok(covered(30), "editor: line 30 is still inside the comment")
b:syntax_spans(120)
calls = 0
b:insert(b:line_start(20) + 3, "x") -- inside the comment: the state does not change
b:syntax_spans(120)
T.is(calls, 1, "editor: an edit that keeps the state re-lexes only the edited line")
calls = 0
b:insert(b:line_start(100), "/* ") -- opens a comment to the end
T.ok(covered(120), "editor: the new comment reaches line 120")
T.ok(calls >= 20 and calls <= 22, "editor: re-lexed from line 100 to 120 only", calls)
calls = 0
b:insert(b:line_start(100) + 3, "*/ ")
b:syntax_spans(120)
T.ok(not covered(120), "editor: closing it again settles")
T.ok(calls <= 22, "editor: settling re-lexes at most the lines in between", calls)

-- Enter above the screen moves the lines below: their spans are found
-- by their text, the function runs for the two lines the split made.
for l = 120, 170 do b:syntax_spans(l) end
calls = 0
b:insert(b:line_start(130) + 4, "\n")
for l = 131, 170 do b:syntax_spans(l) end
T.ok(calls <= 2, "editor: lines moved by Enter reuse their spans", calls)

-- A far jump lexes from a sync point, not from the first line.
local big = {}
for i = 1, 5000 do big[i] = ("x = %d;"):format(i) end
local b2 = brisk.scratch("big")
b2:insert(0, "/*\n" .. table.concat(big, "\n") .. "\n")
brisk.set_syntax(b2, function(_, text, _, state)
  calls = calls + 1
  return S.lexer.lex(def, text, state)
end, {state = true})
b2:syntax_spans(2)
calls = 0
b2:syntax_spans(4500)
T.ok(calls > 0 and calls <= 302, "editor: a far jump lexes at most the sync distance", calls)
b2:close()

--{ themes --------------------------------------------------------------
T.is(S.theme.depth(function(k) return ({TERM = "xterm", COLORTERM = "truecolor"})[k] end), "256", "theme: COLORTERM=truecolor gives 256 colours")
T.is(S.theme.depth(function(k) return ({TERM = "xterm-256color"})[k] end), "256", "theme: TERM *-256color gives 256 colours")
T.is(S.theme.depth(function(k) return ({TERM = "xterm"})[k] end), "8", "theme: plain xterm gives 8")
T.is(S.theme.depth(function(k) return ({TERM = "dumb"})[k] end), "mono", "theme: dumb is monochrome")
T.is(S.theme.depth(function(k) return ({TERM = "xterm", NO_COLOR = "1"})[k] end), "mono", "theme: NO_COLOR is monochrome")
T.ok(brisk.command("theme light"), "theme light command")
local light = brisk.style("syntax.keyword")
T.ok(brisk.command("theme dark"), "theme dark command")
local dark = brisk.style("syntax.keyword")
T.ok(light.fg ~= dark.fg, "theme: dark and light differ", tostring(light.fg) .. " " .. tostring(dark.fg))
S.theme.apply("dark", "mono")
T.ok(brisk.style("syntax.keyword").fg == nil and brisk.style("syntax.keyword").bold, "theme: monochrome uses attributes only")
T.ok(not brisk.command("theme nosuch"), "theme: unknown name fails")

--{ user languages ---------------------------------------------------------
S.define("ini", {extensions = {"ini"}, states = {main = {{"^\\[.*\\]", "heading"}, {";.*", "comment"}}}})
T.is(det("a.ini"), "ini", "define: a new language is detected by extension")
T.is(style_of("ini", "[core]", "[core]"), "heading", "define: its rules colour")

T.finish()
