-- logview.util: small helpers shared by the log viewer's modules: shell
-- word splitting, PCRE2 escaping, and reading a buffer's lines in chunks
-- without holding the loop (work is cut into slices run by brisk.defer).
local M = {}

--- Splits a command line into words as sh does for quoting: '...'
-- (literal), "..." (\ escapes \ " $ `), backslash outside quotes.
-- Returns the words, or nil and a message.
function M.shell_words(s)
	local words, cur, i, n, have = {}, {}, 1, #s, false
	while i <= n do
		local c = s:sub(i, i)
		if c == "'" then
			local j = s:find("'", i + 1, true)
			if not j then return nil, "unterminated '" end
			cur[#cur + 1] = s:sub(i + 1, j - 1)
			have, i = true, j + 1
		elseif c == '"' then
			local j = i + 1
			while true do
				local d = s:sub(j, j)
				if d == "" then return nil, 'unterminated "' end
				if d == '"' then break end
				if d == "\\" and s:sub(j + 1, j + 1):match('[\\"$`]') then
					cur[#cur + 1] = s:sub(j + 1, j + 1)
					j = j + 2
				else
					cur[#cur + 1] = d
					j = j + 1
				end
			end
			have, i = true, j + 1
		elseif c == "\\" then
			cur[#cur + 1] = s:sub(i + 1, i + 1)
			have, i = true, i + 2
		elseif c:match("%s") then
			if have then words[#words + 1] = table.concat(cur) end
			cur, have = {}, false
			i = i + 1
		else
			cur[#cur + 1] = c
			have, i = true, i + 1
		end
	end
	if have then words[#words + 1] = table.concat(cur) end
	return words
end

--- s without blanks at either end ("^%s*(.-)%s*$" would try the end at
-- every byte: quadratic in a long line).
function M.trim(s) return s:match("^%s*(.*%S)") or "" end

--- Escapes a string for use as a literal inside a PCRE2 pattern.
function M.re_escape(s)
	return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\/]", "\\%0"))
end

--- Calls fn(text, n) for every line of buffer b (n 1-based), from line
-- `first` (default 1), read in order through b:reader; the work is cut
-- into slices of about 40 ms run through brisk.defer, so a long log never
-- holds the loop (nor runs past a callback's budget). fn may return false
-- to stop. done(n_last) runs at the end. Returns a handle whose
-- :cancel() stops the walk.
function M.each_line(b, fn, done, first)
	local SLICE, CHECK = 0.04, 256
	local job = { cancelled = false }
	function job:cancel() self.cancelled = true end
	first = first or 1
	local rd = b:reader(first > 1 and b:line_start(first) or 0)
	local n = first - 1
	local function slice()
		if job.cancelled then return end
		local t0 = brisk.clock()
		while true do
			local s = rd:line()
			if not s then break end
			n = n + 1
			if fn(s, n) == false then break end
			if n % CHECK == 0 and brisk.clock() - t0 > SLICE then
				brisk.defer(slice)
				return
			end
		end
		if done then done(n) end
	end
	slice()
	return job
end

--{====================================================================
-- Long work in slices
--=====================================================================

local SLICE = 0.02 -- seconds of work per loop turn (well inside a callback's budget)
local slice_start = 0

--- Inside work run by M.sliced: gives the loop a turn once the current
-- slice has lasted long enough (elsewhere it does nothing).
function M.tick()
	if coroutine.isyieldable() and brisk.clock() - slice_start > SLICE then coroutine.yield() end
end

--- Runs fn() in slices of about 20 ms (M.tick inside it yields between
-- them, each slice on a loop turn of its own through brisk.defer), so a
-- long job never holds the loop nor runs past a callback's budget;
-- done(ok, result or message) gets what fn returned. Returns a handle
-- whose :cancel() stops it.
function M.sliced(fn, done)
	local job = { cancelled = false }
	function job:cancel() self.cancelled = true end
	local co = coroutine.create(fn)
	local function step()
		if job.cancelled then return end
		slice_start = brisk.clock()
		local ok, res = coroutine.resume(co)
		if not ok then return done(false, res) end
		if coroutine.status(co) == "dead" then return done(true, res) end
		brisk.defer(step)
	end
	-- Even the first slice on a turn of its own: the caller may have used
	-- much of its callback's budget already.
	brisk.defer(step)
	return job
end

--- How many lines buffer b has (the empty line after a final newline is
-- not one).
function M.line_count(b)
	local n = b:lines()
	if n > 0 and b:line(n) == "" then n = n - 1 end
	return n
end

--- Buffer b's lines as a read-only array (lines[i], #lines), each read
-- when first asked for: a report parser looks at a few thousand lines of
-- a log that may hold millions.
function M.buffer_lines(b)
	local n = M.line_count(b)
	return setmetatable({}, {
		__index = function(t, i)
			if type(i) ~= "number" or i < 1 or i > n then return nil end
			local s = b:line(i)
			rawset(t, i, s)
			return s
		end,
		__len = function() return n end,
	})
end

--- The lines of a file as a table (tests, tools), or nil and a message.
function M.read_lines(path)
	local data, err = M.read_file(path)
	if not data then return nil, err end
	return M.split_lines(data)
end

--- A file's bytes, or nil and a message.
function M.read_file(path)
	local f, err = io.open(path, "rb")
	if not f then return nil, err end
	local data = f:read("a")
	f:close()
	return data
end

--- The lines of a text (a newline ends a line; text after the last one
-- is a line too).
function M.split_lines(text)
	local lines = {}
	for l in text:gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
	local last = text:match("[^\n]+$")
	if last then lines[#lines + 1] = last end
	return lines
end

return M
