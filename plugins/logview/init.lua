-- logview: a viewer for dtrace output and kernel logs, on buffers in mode
-- "log" (brisk --log FILE, brisk --log -- CMD..., log-run CMD...).
-- Filtering runs in C (b:filter_add, b:write_visible); recognition is
-- logview.classify (pure Lua, headless-testable); navigation and folds are
-- logview.nav; following files and children is logview.follow; summaries
-- are logview.summary. This file holds the commands, keys, colours, the
-- status segment and the summary sidebar.
local C = require("logview.classify")
local kreport = require("logview.kreport")
local nav = require("logview.nav")
local follow = require("logview.follow")
local summary = require("logview.summary")
local util = require("logview.util")

local M = { classify = C, nav = nav, follow = follow, summary = summary, util = util, kreport = kreport }

-- Report parsing gives the loop a turn when it runs in slices.
kreport.tick = util.tick

M.config = {
	follow = true,        -- follow --log FILE in the UI (not headless)
	summary_width = 72,   -- log-summary's width when none is given
	sidebar_width = 48,
	colors = true,
}

--- setup{...}: overrides M.config fields (from init.lua).
function M.setup(opts)
	for k, v in pairs(opts or {}) do M.config[k] = v end
	if M.config.colors == false and brisk.set_syntax then brisk.set_syntax("log", nil) end
	return M
end

-- Logs shown raw (log-raw): escape sequences as text, no colours from
-- them. By buffer id.
local raw = {}

local function say(fmt, ...)
	brisk.message(select("#", ...) > 0 and string.format(fmt, ...) or fmt)
end

local trim = util.trim

local function is_log(b) return b and b:mode() == "log" end

--{====================================================================
-- Status: "log 123/4567 | follow"
--=====================================================================

function M.status(b)
	b = b or brisk.buffer()
	if not brisk.status_segment then return end
	if not is_log(b) then
		brisk.status_segment("log", nil)
		return
	end
	local shown, total = b:filter_stats()
	local parts = {}
	if #b:filter_rules() > 0 then
		parts[#parts + 1] = string.format("%d/%d lines", shown, total)
	else
		parts[#parts + 1] = string.format("%d lines", total)
	end
	local f = follow.of(b)
	if f then parts[#parts + 1] = f.kind == "run" and "running" or "follow" end
	brisk.status_segment("log", table.concat(parts, " | "))
end

-- After a filter change the cursor must sit on a shown line.
local function keep_cursor_shown(b)
	-- At the end (following) it stays at the end, where new lines come.
	if b:cursor() == b:len() then
		b:set_selections({ { b:len(), b:len() } })
		return
	end
	local n = b:line_of(b:cursor())
	if b:shown(n) then return end
	local m = b:next_shown(n) or b:prev_shown(n)
	if m then nav.goto_line(b, m) end
end

local function filter_report(b, what)
	local shown, total = b:filter_stats()
	keep_cursor_shown(b)
	M.status(b)
	say("%s: %d of %d lines", what, shown, total)
end

--{====================================================================
-- Commands
--=====================================================================

local commands = {}
local function command(name, help, fn)
	commands[#commands + 1] = name
	brisk.register_command(name, fn, { help = help })
end

local function add_filter(kind, args, label)
	local b = brisk.buffer()
	if args == "" then return false, "a regex is needed" end
	local ok, err = b:filter_add(kind, args)
	if not ok then return false, err end
	filter_report(b, label or ("log-filter-" .. kind .. " " .. args))
	return true
end

command("log-filter-in", "log-filter-in RE: show only lines matching RE (rules add up: any in, no out)",
	function(args) return add_filter("in", args) end)
command("log-filter-out", "log-filter-out RE: hide lines matching RE",
	function(args) return add_filter("out", args) end)
command("log-filter-clear", "log-filter-clear: remove every filter rule", function()
	local b = brisk.buffer()
	b:filter_clear()
	filter_report(b, "filters cleared")
	return true
end)
command("log-filter-pop", "log-filter-pop: remove the last filter rule", function()
	local b = brisk.buffer()
	local n = #b:filter_rules()
	if n == 0 then return false, "no filter rules" end
	b:filter_remove(n)
	filter_report(b, "rule removed")
	return true
end)
command("log-filters", "log-filters: list the filter rules", function()
	local b = brisk.buffer()
	local rules = b:filter_rules()
	if #rules == 0 then say("no filter rules") return true end
	for i, r in ipairs(rules) do say("%d. %s %s", i, r.kind, r.re) end
	filter_report(b, "filters")
	return true
end)
command("log-filter-cpu", "log-filter-cpu N: only probe firings on CPU N (dtrace default output)", function(args)
	local cpu = trim(args):match("^%d+$")
	if not cpu then return false, "a CPU number is needed" end
	return add_filter("in", "^\\s*" .. cpu .. "\\s+\\d+\\s+\\S*:\\S+", "CPU " .. cpu)
end)
command("log-filter-probe", "log-filter-probe [FUNCTION:NAME]: only firings of a probe (default: the one under the cursor)", function(args)
	local b = brisk.buffer()
	local p = trim(args)
	if p == "" then
		local kind, info = nav.classify_at(b, b:line_of(b:cursor()))
		if kind ~= "dt.probe" then return false, "not on a probe firing" end
		p = info.probe
	end
	local fn, name = p:match("^(.*):([^:]+)$")
	if not fn then return false, "FUNCTION:NAME is needed" end
	local e = util.re_escape
	return add_filter("in", "^\\s*(?:\\S+\\s+\\S+\\s+)?" .. e(fn) .. ":" .. e(name) .. "(?:\\s|$)", "probe " .. p)
end)

command("write-visible", "write-visible PATH: write the lines that pass the filters, each ending in a newline", function(args)
	local b = brisk.buffer()
	local path = trim(args)
	if path == "" then return false, "a file name is needed" end
	path = brisk.expand_path(path)
	local ok, err = b:write_visible(path, { escapes = raw[b:id()] or false })
	if not ok then return false, err end
	local shown = b:filter_stats()
	say("wrote %d lines to %s", shown, path)
	return true
end)

command("log-next-error", "log-next-error: the next BUG/Oops/panic/WARNING or dtrace error/drop", function()
	local ok, what = nav.error(brisk.buffer(), 1)
	if not ok then return false, what end
	return true
end)
command("log-prev-error", "log-prev-error: the previous error", function()
	local ok, what = nav.error(brisk.buffer(), -1)
	if not ok then return false, what end
	return true
end)
command("log-next-firing", "log-next-firing: the next firing of the probe (or function, or frame) under the cursor", function()
	local ok, what = nav.same(brisk.buffer(), 1)
	if not ok then return false, what end
	return true
end)
command("log-prev-firing", "log-prev-firing: the previous firing of the probe under the cursor", function()
	local ok, what = nav.same(brisk.buffer(), -1)
	if not ok then return false, what end
	return true
end)

command("log-fold", "log-fold: fold (or unfold) the stack trace, oops report or histogram under the cursor", function()
	local msg, err = nav.toggle_fold(brisk.buffer())
	if not msg then return false, err end
	say("%s", msg)
	return true
end)
command("log-fold-all", "log-fold-all [stack|trace|oops|histogram|all]...: fold every such block (default: stack and trace)", function(args)
	local b = brisk.buffer()
	local which
	for w in args:gmatch("%S+") do
		which = which or {}
		which[w] = true
	end
	nav.fold_all(b, which, function(n)
		keep_cursor_shown(b)
		say("folded %d blocks", n)
	end)
	return true
end)
command("log-unfold-all", "log-unfold-all: remove every fold", function()
	nav.unfold_all(brisk.buffer())
	say("unfolded")
	return true
end)

command("log-bookmark", "log-bookmark: set or remove a bookmark on the cursor line", function()
	say(nav.toggle_bookmark(brisk.buffer()) and "bookmark set" or "bookmark removed")
	return true
end)
command("log-next-bookmark", "log-next-bookmark", function()
	local ok, err = nav.bookmark(brisk.buffer(), 1)
	if not ok then return false, err end
	return true
end)
command("log-prev-bookmark", "log-prev-bookmark", function()
	local ok, err = nav.bookmark(brisk.buffer(), -1)
	if not ok then return false, err end
	return true
end)

command("log-run", "log-run CMD [ARG]...: run a command (shell-quoted words, no shell) and follow its output", function(args)
	local words, err = util.shell_words(args)
	if not words then return false, err end
	if #words == 0 then return false, "a command is needed" end
	local title = table.concat(words, " ")
	if #title > 24 then title = title:sub(1, 23) .. "~" end
	local b = brisk.scratch("*log: " .. title .. "*", { readonly = true, undo = false })
	b:mode("log")
	b:focus()
	local r, serr = follow.run(b, words, { on_exit = function(code, sig)
		if sig then say("%s: killed by signal %d", words[1], sig)
		else say("%s exited with status %d", words[1], code) end
		M.status(b)
	end })
	if not r then
		return false, serr
	end
	M.status(b)
	return true
end)
command("log-follow", "log-follow [on|off|poll]: follow the file of this log as it grows (append, truncation, rotation)", function(args)
	local b = brisk.buffer()
	local a = trim(args)
	local f = follow.of(b)
	if a == "off" or (a == "" and f) then
		if f then f:stop() end
		say("not following")
		M.status(b)
		return true
	end
	if not b:path() then return false, "this buffer has no file" end
	local ok, err = follow.file(b, b:path(), { poll = a == "poll" })
	if not ok then return false, err end
	say("following %s", b:path())
	M.status(b)
	return true
end)
command("log-stop", "log-stop: stop following, or end the command", function()
	local f = follow.of(brisk.buffer())
	if not f then return false, "nothing to stop" end
	f:stop()
	M.status()
	return true
end)

--- The summary of buffer b as lines; done(lines) (walks the log in slices).
function M.summarize(b, width, done)
	local acc = summary.new()
	return acc:feed(b, 1, function() done(acc:render(width), acc) end)
end

command("log-summary", "log-summary [WIDTH]: counts per probe, function and CPU, time deltas, reports, histograms re-drawn at WIDTH", function(args)
	local b = brisk.buffer()
	local width = tonumber(trim(args)) or M.config.summary_width
	M.summarize(b, width, function(lines)
		local out = brisk.scratch("*log-summary*", { undo = false })
		out:insert(0, table.concat(lines, "\n") .. "\n")
		out:readonly(true)
		out:focus()
	end)
	return true
end)

local INFO_LINES = 5000 -- lines whose kinds say what the format is

--- What log b is: {format=, formats={sorted names}, report=} where report
-- is its first kernel crash report (logview.kreport), or nil. The format
-- comes from the first INFO_LINES lines; the report is searched in the
-- whole log, header lines first (a C search), so a long log costs little.
-- With done, the work runs in slices and done(info) gets the result.
function M.info(b, done)
	if done then
		return util.sliced(function() return M.info(b) end, function(ok, res)
			if ok then done(res) else brisk.error("log-info: " .. tostring(res)) end
		end)
	end
	local lines = util.buffer_lines(b)
	local head = {}
	for i = 1, math.min(#lines, INFO_LINES) do head[i] = lines[i] end
	local r = C.classify(head)
	local fs = {}
	for k in pairs(r.formats) do fs[#fs + 1] = k end
	table.sort(fs)
	local pat = kreport.header_pattern()
	local function skip_to(i)
		local s = b:search(pat, b:line_start(i), { regex = true, bytes = true })
		return s and b:line_of(s)
	end
	local rep = kreport.parse(lines, C.log_start(head), #lines, skip_to)
	return { format = r.format, formats = fs, report = rep }
end

command("log-info", "log-info: what this log is (format, kernel headline)", function()
	M.info(brisk.buffer(), function(info)
		local rep = info.report
		say("%s log (%s)%s", info.format, table.concat(info.formats, ", "), rep and (": " .. rep.title) or "")
	end)
	return true
end)

--{====================================================================
-- Summary sidebar, refreshed while following
--=====================================================================

local side = { pane = nil, acc = nil, buf = nil, timer = nil, dirty = false, job = nil, more = false }
local side_feed

local function side_render()
	if not side.pane or not side.acc then return end
	-- Histograms are re-drawn at the width the pane really has.
	local ok, w = pcall(side.pane.text_width, side.pane)
	side.pane:set_lines(side.acc:render(ok and w and w > 0 and w or M.config.sidebar_width - 2))
	side.dirty = false
end

-- Feeds the lines of the sidebar's log not counted yet (complete lines:
-- a followed log's last line may still grow), in slices; lines that come
-- meanwhile are fed when it is done. The pane redraws at most twice a
-- second.
function side_feed()
	if side.job then
		side.more = true
		return
	end
	local acc, b = side.acc, side.buf
	side.more = false
	side.job = acc:feed(b, acc.lines + 1, function()
		side.job = nil
		if side.acc ~= acc then return end
		if side.more then return side_feed() end
		if not side.timer or not side.timer:active() then
			side.timer = brisk.timer(acc.lines < 100000 and 1 or 500, side_render)
		end
	end, { complete = true })
end

command("log-sidebar", "log-sidebar: show or hide the summary of this log in a sidebar", function()
	if not brisk.sidebar then return false, "no sidebars here" end
	if side.pane then
		side.pane:close()
		if side.job then side.job:cancel() end
		side.pane, side.acc, side.buf, side.job = nil, nil, nil, nil
		return true
	end
	local b = brisk.buffer()
	side.buf = b
	side.acc = summary.new()
	side.pane = brisk.sidebar{ title = "log summary", side = "right", width = M.config.sidebar_width,
		lines = { "summarizing..." } }
	side_feed()
	return true
end)

follow.listeners[#follow.listeners + 1] = function(b, first)
	if b == brisk.buffer() then M.status(b) end
	if side.buf and side.acc and b == side.buf then
		-- New lines go into the accumulator now; the pane redraws at most
		-- twice a second.
		if first <= side.acc.lines then
			-- Lines already counted changed (a reload): start again.
			if side.job then side.job:cancel() end
			side.job = nil
			side.acc = summary.new()
		end
		side_feed()
	end
end

--{====================================================================
-- Colours
--=====================================================================

local STYLES = {
	["log.error"] = { fg = "red", bold = true }, ["log.warning"] = { fg = "yellow" },
	["log.heading"] = { bold = true, underline = true }, ["log.probe"] = { fg = "cyan" },
	["log.function"] = { fg = "green" }, ["log.frame"] = { fg = "blue" },
	["log.number"] = { fg = "magenta" }, ["log.key"] = { fg = "yellow", bold = true },
	["log.comment"] = { dim = true }, ["log.time"] = { fg = "green" },
	["log.bookmark"] = { reverse = true },
}

-- Spans of one line: the whole line in its kind's style, plus the
-- probe name / timestamp picked out.
function M.spans(kind, info, text)
	local style = C.STYLE[kind]
	if not style then return nil end
	local spans = { { 1, #text, style = "log." .. style } }
	if kind == "dt.probe" and info and info.probe then
		local s, e = text:find(info.probe, 1, true)
		if s then spans[#spans + 1] = { s, e, style = "log.key" } end
	end
	local ts = text:match("^(%[%s*%d+%.%d+%])")
	if ts then spans[#spans + 1] = { 1, #ts, style = "log.time" } end
	return spans
end

-- A line's spans: its kind's style, then the colours its SGR escape
-- sequences give (the style in force carries from line to line as the
-- lexing state).
local function line_spans(n, text, b, state)
	local kind, info = nav.classify_at(b, n, 12)
	local spans = M.spans(kind, info, text) or {}
	if raw[b:id()] or (state == 0 and not text:find("\27", 1, true)) then return spans, 0 end
	local sgr, out = brisk.ansi.spans(text, state)
	for _, s in ipairs(sgr) do spans[#spans + 1] = s end
	return spans, out
end

local function setup_colors()
	if not (brisk.style and brisk.set_syntax) or not M.config.colors then return end
	for name, spec in pairs(STYLES) do brisk.style(name, spec) end
	brisk.set_syntax("log", line_spans)
end

command("log-raw", "log-raw: show the escape sequences of this log as text (for debugging), or draw their colours again", function()
	local b = brisk.buffer()
	raw[b:id()] = not raw[b:id()] or nil
	b:hide_escapes(not raw[b:id()])
	setup_colors() -- the colours of every line change
	say(raw[b:id()] and "escape sequences shown as text" or "escape sequences drawn as colours")
	return true
end)

--{====================================================================
-- Keys (mode "log": the buffer is read-only, so plain letters are free)
--=====================================================================

local function run(name)
	return function() brisk.command(name) end
end

local function prompt_then(label, cmd)
	return function()
		if not brisk.prompt then return end
		brisk.prompt{ label = label, on_done = function(text)
			if text and text ~= "" then brisk.command(cmd .. " " .. text) end
		end }
	end
end

-- Up/Down skip lines hidden by filters and folds.
local function step(dir)
	return function()
		local b = brisk.buffer()
		if #b:filter_rules() == 0 and b:folds() == 0 then
			brisk.command(dir > 0 and "move-down" or "move-up")
			return
		end
		local n = b:line_of(b:cursor())
		local m = dir > 0 and b:next_shown(n + 1) or (n > 1 and b:prev_shown(n - 1))
		if m then nav.goto_line(b, m) end
	end
end

local KEYS = {
	{ "e", run("log-next-error") }, { "E", run("log-prev-error") },
	{ "n", run("log-next-firing") }, { "N", run("log-prev-firing") },
	{ "i", prompt_then("filter in: ", "log-filter-in") }, { "x", prompt_then("filter out: ", "log-filter-out") },
	{ "c", run("log-filter-clear") }, { "u", run("log-filter-pop") }, { "p", run("log-filter-probe") },
	{ "z", run("log-fold") }, { "Z", run("log-fold-all") }, { "U", run("log-unfold-all") },
	{ "m", run("log-bookmark") }, { "b", run("log-next-bookmark") }, { "B", run("log-prev-bookmark") },
	{ "s", run("log-sidebar") }, { "S", run("log-summary") }, { "F", run("log-follow") },
	{ "R", run("log-raw") },
	{ "w", prompt_then("write visible lines to: ", "write-visible") },
	{ "<Up>", step(-1) }, { "<Down>", step(1) },
}

for _, k in ipairs(KEYS) do brisk.bind(k[1], k[2], { mode = "log" }) end

--{====================================================================
-- Log buffers
--=====================================================================

-- The status segment is the focused buffer's: a light check twice a
-- second in the UI (there is no focus event), none in headless runs.
local status_timer
local function watch_status()
	if brisk.headless or status_timer then return end
	status_timer = brisk.timer(500, function() M.status() end, { ["repeat"] = true })
end

brisk.on("mode", function(b)
	if not is_log(b) then return end
	b:readonly(true)
	b:undo_history(false)
	-- Coloured tool output: the escape sequences give colours, no text.
	b:hide_escapes(not raw[b:id()])
	if b:path() and M.config.follow and not brisk.headless and not follow.of(b) then
		local ok, err = follow.file(b, b:path())
		if not ok then say("log: not following %s: %s", b:path(), err) end
	end
	if b == brisk.buffer() then M.status(b) end
	watch_status()
end)

brisk.on("resize", function() side_render() end)

brisk.on("close", function(b)
	raw[b:id()] = nil
	local f = follow.of(b)
	if f then f:stop() end
	if side.buf and side.buf == b and side.pane then
		side.pane:close()
		if side.job then side.job:cancel() end
		side.pane, side.acc, side.buf, side.job = nil, nil, nil, nil
	end
end)

setup_colors()
M.commands = commands
return M
