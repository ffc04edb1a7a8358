-- logview.follow: keeps a read-only log buffer growing. Two sources:
--   follow.file(b, path)   a file on disk (brisk.watch_file): appends are
--                          appended; a truncated file is reloaded; a rotated
--                          file (a new file under the name) is appended
--                          after the rest of the old one, as tail -F does;
--   follow.run(b, argv)    a child's stdout and stderr (brisk.spawn).
-- Reads are bounded per loop turn (READ_MAX), so a fast writer never
-- freezes the UI; memory is the log itself (no other copy is kept).
-- listeners (fn(b, first_new_line)) hear about new text.
local M = {}

local READ_MAX = 4 << 20 -- bytes appended per loop turn, at most
local CHECK = 64         -- bytes compared to tell an append from a rewrite

M.by_buf = {}            -- buffer id -> follower
M.listeners = {}

-- False once the buffer was closed (its handle raises then).
local function alive(b)
	return (pcall(b.len, b))
end

local function notify(b, first)
	for _, fn in ipairs(M.listeners) do fn(b, first) end
end

-- Appends text at the end of a read-only buffer. A cursor at the end stays
-- at the end (the view follows); one further up stays where it is.
function M.append(b, text)
	if text == "" then return end
	local len = b:len()
	local at_end = b:cursor() == len
	local first = b:lines() -- the line the new text starts on
	local ro = b:readonly()
	b:readonly(false)
	local ok, err = b:insert(len, text)
	b:readonly(ro)
	if not ok then
		brisk.error("log: " .. tostring(err))
		return
	end
	if at_end and #b:selections() == 1 then b:set_selections({ { b:len(), b:len() } }) end
	notify(b, first)
end

-- Replaces the whole text (a truncated file, reloaded).
local function replace_all(b, text)
	local ro = b:readonly()
	b:readonly(false)
	b:replace(0, b:len(), text)
	b:readonly(ro)
	b:set_selections({ { b:len(), b:len() } })
	notify(b, 1)
end

--{====================================================================
-- Files
--=====================================================================

local File = {}
File.__index = File

-- Reads up to READ_MAX bytes from pos; schedules the rest.
function File:pump()
	if not self.fh or self.stopped then return end
	if not alive(self.buf) then return self:stop() end
	local size = self.fh:seek("end")
	if not size then return end
	if size < self.pos then return self:reload("truncated") end
	if size == self.pos then return end
	self.fh:seek("set", self.pos)
	local n = math.min(size - self.pos, READ_MAX)
	local data = self.fh:read(n) or ""
	self.pos = self.pos + #data
	M.append(self.buf, data)
	if self.pos < size and not self.pending then
		self.pending = true
		brisk.defer(function()
			self.pending = false
			self:pump()
		end)
	end
end

-- True when the file still holds, just before pos, what the buffer holds.
function File:same_prefix()
	if self.pos == 0 then return true end
	local k = math.min(CHECK, self.pos)
	self.fh:seek("set", self.pos - k)
	local disk = self.fh:read(k) or ""
	local b = self.buf
	return disk == b:text(b:len() - k, k)
end

function File:reload(why)
	if self.fh then self.fh:close() end
	self.fh = io.open(self.path, "rb")
	if not self.fh then return end
	local data = self.fh:read(READ_MAX) or ""
	self.pos = #data
	replace_all(self.buf, data)
	brisk.message(string.format("log %s: %s, reloaded", why, self.buf:name()))
	self:pump()
end

function File:on_event(ev)
	if self.stopped then return end
	if not alive(self.buf) then return self:stop() end
	if ev == "append" then
		if not self.fh then self.fh = io.open(self.path, "rb") end
		if not self.fh then return end
		-- Rewritten under the same inode (truncated, then grown past us)?
		if self.fh:seek("end") >= self.pos and not self:same_prefix() then
			return self:reload("rewritten")
		end
		self:pump()
	elseif ev == "truncate" then
		self:reload("truncated")
	elseif ev == "replace" then
		-- Rotation: what the old file got before it moved, then the new one.
		if self.fh then
			self:pump()
			self.fh:close()
		end
		self.fh = io.open(self.path, "rb")
		self.pos = 0
		brisk.message("log rotated: " .. self.buf:name() .. ", following the new file")
		self:pump()
	end
end

function File:stop()
	self.stopped = true
	if self.watch then self.watch:cancel() end
	if self.fh then self.fh:close() end
	self.fh = nil
	for id, f in pairs(M.by_buf) do
		if f == self then M.by_buf[id] = nil end
	end
end

--- Follows path into buffer b, which holds the file's first b:len() bytes.
-- opts.poll: stat instead of inotify. Returns the follower or nil, message.
function M.file(b, path, opts)
	local old = M.by_buf[b:id()]
	if old then old:stop() end
	local fh, err = io.open(path, "rb")
	if not fh then return nil, err end
	local self = setmetatable({ buf = b, path = path, fh = fh, pos = b:len(), kind = "file" }, File)
	if not brisk.watch_file then return nil, "brisk.watch_file is not available" end
	local w, werr = brisk.watch_file(path, function(ev) self:on_event(ev) end, { poll = opts and opts.poll })
	if not w then
		fh:close()
		return nil, werr
	end
	self.watch = w
	M.by_buf[b:id()] = self
	-- The file may have grown (or changed) between loading and watching.
	if fh:seek("end") ~= self.pos or not self:same_prefix() then
		self:on_event(fh:seek("end") < self.pos and "truncate" or "append")
	end
	return self
end

--{====================================================================
-- Child processes
--=====================================================================

local Run = {}
Run.__index = Run

function Run:stop()
	if self.proc and self.proc:running() then self.proc:kill() end
	self.stopped = true
end

--- Runs argv (a list: command and arguments) and streams its output into
-- buffer b. opts.on_exit(code, signal). Returns the runner or nil, message.
function M.run(b, argv, opts)
	local old = M.by_buf[b:id()]
	if old then old:stop() end
	local self = setmetatable({ buf = b, argv = argv, kind = "run" }, Run)
	local args = {}
	for i = 2, #argv do args[#args + 1] = argv[i] end
	local function out(data)
		if self.stopped then return end
		if not alive(b) then return self:stop() end
		M.append(b, data)
	end
	local p, err = brisk.spawn{
		cmd = argv[1], args = args,
		on_stdout = out, on_stderr = out,
		on_exit = function(code, sig)
			self.code, self.signal = code, sig
			for id, r in pairs(M.by_buf) do
				if r == self then M.by_buf[id] = nil end
			end
			if opts and opts.on_exit then opts.on_exit(code, sig) end
		end,
	}
	if not p then return nil, err end
	self.proc = p
	M.by_buf[b:id()] = self
	return self
end

--- The follower of buffer b (file or child), or nil.
function M.of(b)
	return M.by_buf[b:id()]
end

return M
