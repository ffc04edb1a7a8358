-- news: an RSS/Atom reader for brisk. Feeds from init.lua
-- (require("news").setup{feeds = {{url =, title =, interval =}, ...}}),
-- history in SQLite, fetching in the background through brisk.http.
-- Owns the commands, the reader's state and the glue to panes/buffers; the
-- rows themselves are drawn by news.view (pure), so they can be tested.
local storemod = require("news.store")
local fetchmod = require("news.fetch")
local syncmod = require("news.sync")
local clientmod = require("news.client")
local view = require("news.view")
local opml = require("news.opml")
local text = require("news.text")
local urlm = require("news.url")

local M = {}

-- The plugin's own folder (demo feeds live there).
local here
do
	local _, file = ...
	if type(file) == "string" then here = file:match("^(.*)/[^/]*$") end
	if not here and brisk.plugin_dir then here = brisk.plugin_dir .. "/news" end
	here = here or "plugins/news"
	if here:sub(1, 1) ~= "/" then
		local cwd = os.getenv("PWD")
		if cwd then here = cwd .. "/" .. here:gsub("^%./", "") end
	end
end
M.dir = here

M.defaults = {
	feeds = nil,             -- { {url =, title =, interval = seconds}, ... }
	interval = 3600,         -- default poll interval (seconds)
	keep_days = 90,          -- history kept this long after an item leaves its feed
	forget_days = 365,       -- keys of aged-out items remembered this much longer
	concurrency = 4,         -- requests at once
	timeout_ms = 20000,
	max_bytes = 8 * 1024 * 1024,
	jitter = 0.1,            -- poll times spread by +-10 %
	max_backoff = 24 * 3600, -- longest wait after repeated errors
	first_retry = false,     -- seconds to the first retry of a failed feed (false: its interval)
	strip_tracking = true,   -- drop utm_* & co. from links opened in $BROWSER
	browser = nil,           -- default: $BROWSER, else xdg-open
	db_path = nil,           -- default: $XDG_DATA_HOME/brisk/news.db
	demo = true,             -- show the bundled demo feeds when none are set
	width = 40,              -- sidebar width
	side = nil,              -- "left" or "right" (default: the platform's)
	poll_ms = 60000,         -- how often the UI checks for due feeds
	service = nil,           -- a news service's URL: read it instead of the feeds
	token_file = nil,        -- the service's token (default: $XDG_CONFIG_HOME/brisk/news-token)
	sync_interval = 3600,    -- seconds between syncs with the service
}

M.config = {}
for k, v in pairs(M.defaults) do M.config[k] = v end

M.state = { mode = "feeds", selected = 1, top = 1, items = {}, feeds = {} }
M.listeners = {} -- fn(feed, new_items), called for every item shown as new

local function now()
	return math.floor(brisk.time.now())
end

local function say(msg)
	if brisk.message then brisk.message(msg) end
end

-- A failure as one short line: head, then the reason's first words
-- ("cannot connect", "HTTP 401 (wrong token?)"). When that leaves out
-- curl's detail, the whole line (long_head, the reason in full) goes to
-- *messages* just before it.
local SHORT_REASON = 40
local function say_failure(head, long_head, reason)
	reason = text.line(tostring(reason))
	local short = reason
	if #short > SHORT_REASON then
		short = reason:match("^(.-) %(") or text.cut(reason, SHORT_REASON)
		say(long_head .. ": " .. reason)
		short = short .. "; more in *messages*"
	end
	say(head .. ": " .. short)
end

--{====================================================================
-- Feeds, store, fetcher
--=====================================================================

--- Whether the reader is a client of a news service (setup{service =}).
function M.client_mode()
	return type(M.config.service) == "string" and M.config.service ~= ""
end

-- A client's feeds: those the service announced, in its order.
local function service_feeds()
	local st = M.store_if_open()
	local out = {}
	if not st then return out end
	for _, r in ipairs(st:all("SELECT url, title FROM feeds WHERE remote_id IS NOT NULL ORDER BY remote_id")) do
		out[#out + 1] = { url = r.url, title = r.title, interval = M.config.sync_interval }
	end
	return out
end

--- The feeds to read: configured ones, then imported subscriptions; the
-- bundled demo feeds when there are none. A client reads the service's.
function M.feed_list()
	if M.client_mode() then return service_feeds() end
	local out, seen = {}, {}
	local function add(f, demo)
		if type(f) == "string" then f = { url = f } end
		if type(f) ~= "table" or type(f.url) ~= "string" or seen[f.url] then return end
		seen[f.url] = true
		out[#out + 1] = { url = f.url, title = f.title,
			interval = tonumber(f.interval) or M.config.interval, demo = demo,
			timeout_ms = f.timeout_ms, max_bytes = f.max_bytes }
	end
	for _, f in ipairs(M.config.feeds or {}) do add(f) end
	local st = M.store_if_open()
	if st then
		for _, s in ipairs(st:subscriptions()) do add({ url = s.url, title = s.title }) end
	end
	if #out == 0 and M.config.demo then
		for _, f in ipairs(M.demo_feeds()) do add(f, true) end
	end
	return out
end

--- The feed list with titles filled in from the feeds themselves.
function M.feed_list_titled()
	local list = M.feed_list()
	local st = M.store_if_open()
	for _, f in ipairs(list) do
		if not f.title and st then f.title = st:feed(f.url).title end
	end
	return list
end

function M.demo_feeds()
	local out = {}
	local names = brisk.list_dir and brisk.list_dir(M.dir .. "/demo") or {}
	for _, n in ipairs(names or {}) do
		if n:match("%.xml$") or n:match("%.rss$") or n:match("%.atom$") or n:match("%.rdf$") then
			out[#out + 1] = { url = "file://" .. M.dir .. "/demo/" .. n, interval = 86400 }
		end
	end
	return out
end

function M.db_path()
	if M.config.db_path then return M.config.db_path end
	local dir = brisk.data_dir or storemod.default_dir()
	-- a client keeps what it synced apart from any store that polls feeds
	return dir .. (M.client_mode() and "/news-client.db" or "/news.db")
end

--- The open store, or nil when it is not open (yet).
function M.store_if_open()
	return M._store
end

--- Opens the store (brisk.db.open creates its folder); nil, message on
-- failure. With existing_only, a missing database is not created.
function M.store(existing_only)
	if M._store then return M._store end
	local path = M.db_path()
	if existing_only then
		local f = io.open(path, "rb")
		if not f then return nil, "no news database yet (" .. path .. ")" end
		f:close()
	end
	local st, err = storemod.open(path)
	if not st then return nil, err end
	-- changes are numbered for a service's clients (whoever writes them)
	local ok, e = pcall(M.client_mode() and clientmod.install or syncmod.install, st)
	if not ok then
		st:close()
		return nil, tostring(e)
	end
	M._store = st
	return st
end

--- The client of the service (client mode), made on first use; nil and a
-- message when the token cannot be read.
function M.client()
	if M._client then return M._client end
	local st, err = M.store()
	if not st then return nil, err end
	local path = M.config.token_file or (brisk.config_dir .. "/news-token")
	path = path:gsub("^~/", function() return (os.getenv("HOME") or "") .. "/" end)
	local token, e = brisk.crypto.secret_file(path, { create = false })
	if not token then return nil, "token: " .. tostring(e) end
	M._client = clientmod.new({ store = st, url = M.config.service, token = token,
		timeout_ms = M.config.timeout_ms })
	return M._client
end

-- A sync with the service, reported like a round of fetches.
local function client_sync(done, quiet)
	local c, err = M.client()
	if not c then
		brisk.error("news: " .. tostring(err))
		if done then done({ [M.config.service] = { ok = false, info = err } }) end
		return
	end
	c:sync(function(ok, e, new)
		if not ok then
			say_failure("news: sync failed (reading offline)",
				"news: sync with " .. M.config.service .. " failed", e)
		elseif not quiet then
			say(string.format("news: synced with the service, %d new item%s", new, new == 1 and "" or "s"))
		end
		M.redraw()
		if done then done({ [M.config.service] = { ok = ok, info = ok and new or e } }) end
	end)
	M.redraw()
end

-- A change the reader asks for (read marks, an import), written as soon
-- as no fetch is merging: a merge holds the store's transaction open
-- across the slices of its task, and a write inside it would be lost
-- with it when it rolls back (store:write). The list is drawn again
-- once it is written.
local function user_write(st, what, fn)
	st:write(fn, function(ok, err)
		if not ok then brisk.error("news: " .. what .. " not saved: " .. text.line(err)) end
		M.redraw()
	end)
end

--- Marks items (row ids) read or unread; a client also tells the service.
function M.set_read(ids, read)
	if M.client_mode() then
		local c, err = M.client()
		if not c then return false, err end
		c:mark(ids, read, function(ok, e)
			if not ok then
				say_failure("news: read marks queued until the service can be reached",
					"news: read marks not sent to " .. M.config.service, e)
			end
		end)
		return true
	end
	local st, err = M.store()
	if not st then return false, err end
	user_write(st, "read mark", function()
		for _, id in ipairs(ids) do st:mark_read(id, read) end
	end)
	return true
end

--- Calls fn(store) once the store is open; reports a failure as an error
-- message.
function M.with_store(fn)
	local st, err = M.store()
	if not st then
		brisk.error("news: " .. tostring(err))
		return
	end
	return fn(st)
end

function M.fetcher(st)
	if M._fetcher then return M._fetcher end
	local c = M.config
	M._fetcher = fetchmod.new({
		store = st, concurrency = c.concurrency, timeout_ms = c.timeout_ms,
		max_bytes = c.max_bytes, keep_days = c.keep_days, jitter = c.jitter,
		max_backoff = c.max_backoff, first_retry = c.first_retry,
		on_new = function(feed, items)
			for _, fn in ipairs(M.listeners) do fn(feed, items) end
		end,
		on_change = function() M.redraw() end,
	})
	return M._fetcher
end

--- Registers fn(feed, items) to be called with the items shown as new.
function M.on_new(fn)
	M.listeners[#M.listeners + 1] = fn
end

local function match_feed(feeds, which)
	if not which or which == "" then return feeds end
	local out = {}
	for _, f in ipairs(feeds) do
		if f.url == which or f.title == which then out[#out + 1] = f end
	end
	if #out == 0 then
		local lw = which:lower()
		for _, f in ipairs(feeds) do
			if (f.title or f.url):lower():find(lw, 1, true) then out[#out + 1] = f end
		end
	end
	return out
end

-- After a round of fetches: age out old history, report, redraw.
local function round_done(results, quiet)
	local st = M._store
	if st then
		local ok, err = pcall(st.expire, st, M.config.keep_days, M.config.forget_days)
		if not ok then brisk.error("news: expire: " .. tostring(err)) end
	end
	local n, bad, new = 0, 0, 0
	for url, r in pairs(results) do
		n = n + 1
		if not r.ok then
			bad = bad + 1
			say("news: " .. text.line(url) .. ": " .. text.line(tostring(r.info)))
		elseif type(r.info) == "number" then
			new = new + r.info
		end
	end
	if not quiet then
		say(string.format("news: %d feed%s refreshed, %d new item%s%s", n,
			n == 1 and "" or "s", new, new == 1 and "" or "s",
			bad > 0 and (", " .. bad .. " failed") or ""))
	end
	M.redraw()
end

--- Fetches the feeds matching `which` (all when nil) now; done(results)
-- when every fetch has ended.
function M.refresh(which, done)
	if M.client_mode() then return client_sync(done, false) end
	M.with_store(function(st)
		local feeds = match_feed(M.feed_list(), which)
		M.fetcher(st):fetch_all(feeds, function(results)
			round_done(results, false)
			if done then done(results) end
		end)
		M.redraw()
	end)
end

--- Fetches the feeds that are due (their interval, jitter and backoff
-- elapsed); the UI calls this on a timer, tests call it with a simulated
-- clock (command news-poll).
function M.poll(done)
	if M.client_mode() then
		local c = M.client()
		local last = c and c:last_sync()
		if c and last and now() - last < M.config.sync_interval then
			if done then done({}, {}) end
			return
		end
		return client_sync(done and function(r) done(r, {}) end, true)
	end
	M.with_store(function(st)
		local f = M.fetcher(st)
		local due = f:due(M.feed_list(), now())
		f:fetch_all(due, function(results)
			if #due > 0 then round_done(results, true) end
			if done then done(results, due) end
		end)
	end)
end

--- Seconds until the next feed is due (a service polls on this).
function M.next_poll_in()
	local f = M._fetcher
	local t, soonest = now(), nil
	for _, feed in ipairs(M.feed_list()) do
		local due = f and f.next_due[feed.url]
		if due and (not soonest or due < soonest) then soonest = due end
	end
	if not soonest then return M.config.poll_ms / 1000 end
	return math.max(0, soonest - t)
end

--{====================================================================
-- Reader state (what the sidebar shows)
--=====================================================================

local function feed_titles(st)
	local by_url = {}
	for _, f in ipairs(M.feed_list()) do by_url[f.url] = f end
	local out = {}
	for _, row in ipairs(st:feeds()) do
		local f = by_url[row.url]
		out[row.id] = f and f.title or row.title or row.url
	end
	return out
end
M.feed_titles = feed_titles

--- Rebuilds the state's lists from the store.
function M.load_state()
	local s = M.state
	s.now = now()
	local st = M.store()
	s.feeds = {}
	s.total_unread = 0
	if not st then
		s.items = {}
		return s
	end
	local counts = st:unread_counts()
	local fetching = M._fetcher and M._fetcher.status or {}
	for _, f in ipairs(M.feed_list()) do
		local row = st:feed(f.url)
		local n = counts[row.id] or 0
		s.total_unread = s.total_unread + n
		s.feeds[#s.feeds + 1] = { id = row.id, url = f.url,
			title = f.title or row.title or f.url, unread = n,
			error = (row.failures or 0) > 0 and row.last_error or nil,
			fetching = fetching[f.url] ~= nil }
	end
	if s.mode == "items" then
		local titles = feed_titles(st)
		s.items = st:items(s.feed_id, 2000)
		for _, it in ipairs(s.items) do it.feed_title = titles[it.feed_id] end
	elseif s.mode == "search" then
		local titles = feed_titles(st)
		s.items = st:search(s.query or "", 500)
		for _, it in ipairs(s.items) do it.feed_title = titles[it.feed_id] end
	end
	s.progress = M._fetcher and M._fetcher.progress
	local n = s.mode == "feeds" and #s.feeds or #s.items
	s.selected = math.max(1, math.min(s.selected or 1, n))
	return s
end

--{====================================================================
-- Display: the sidebar pane when the platform has one, else a buffer
--=====================================================================

local function rows_text(r)
	local lines = { view.row_text(r.header) }
	for _, row in ipairs(r.rows) do lines[#lines + 1] = view.row_text(row) end
	return table.concat(lines, "\n") .. "\n"
end

local function set_text(b, s)
	b:readonly(false)
	b:replace(0, b:len(), s)
	b:readonly(true)
end

-- Styles of view.lua's segment kinds, in brisk.pane's terms.
local STYLES = {
	unread = { bold = true }, read = { dim = true }, dim = { dim = true },
	error = { fg = "red" }, header = { bold = true },
}

-- A view row as a pane line (a list of styled segments).
local function pane_line(row)
	local segs = {}
	for _, seg in ipairs(row) do
		if seg.text ~= "" then
			local sg = { seg.text }
			for k, v in pairs(STYLES[seg.style] or {}) do sg[k] = v end
			segs[#segs + 1] = sg
		end
	end
	if #segs == 0 then return "" end
	return segs
end
M.pane_line = pane_line

-- The list shown as a read-only buffer in mode "news" (a fallback for
-- when there is no pane API); its first line is the header.
local function list_buffer()
	local b = M._list_buf
	if b and pcall(b.len, b) then return b end
	b = brisk.scratch("*news*", { readonly = true, undo = false })
	b:mode("news")
	M._list_buf = b
	return b
end

--- The unread count in the status bar (when the platform has one).
function M.update_status()
	if not brisk.status_segment or (brisk.headless and not M.draw_headless) then return end
	local st = M._store
	if not st then return end
	local n = 0
	local counts = st:unread_counts()
	for _, f in ipairs(M.feed_list()) do
		local row = st:feed(f.url)
		n = n + (counts[row.id] or 0)
	end
	pcall(brisk.status_segment, "news", n > 0 and ("news " .. n) or nil,
		{ fg = "yellow" })
end

-- Columns a pane row has: the sidebar's width less its separator and the
-- pane's left margin.
local function pane_width()
	local ok, w = pcall(M._pane.width, M._pane)
	if ok and type(w) == "number" and w > 10 then return w - 2 end
	return M.config.width - 2
end

-- Headless runs draw nothing, unless a test asks (M.draw_headless).
local function drawing()
	return not brisk.headless or M.draw_headless
end

function M.redraw()
	if not drawing() then return end
	local ok, err = pcall(function()
		M.update_status()
		if not M._visible then return end
		local s = M.load_state()
		if M._pane then
			local r = view.render(s, pane_width(), nil)
			local lines = {}
			for i, row in ipairs(r.rows) do lines[i] = pane_line(row) end
			M._pane:title(view.title(s))
			M._pane:set_lines(lines, s.selected)
		else
			local b = list_buffer()
			set_text(b, rows_text(view.render(s, M.config.width, nil)))
		end
	end)
	if not ok then brisk.error("news: " .. tostring(err)) end
end

-- The selected row: the pane's, or the cursor line in the list buffer
-- (line 1 is the header).
local function selected_index()
	local s = M.state
	if M._pane then
		local ok, row = pcall(M._pane.selected, M._pane)
		if ok and row then s.selected = row end
		return s.selected
	end
	local b = M._list_buf
	if b and brisk.buffer and brisk.buffer() == b then
		local line = b:line_of(b:cursor())
		s.selected = math.max(1, line - 1)
	end
	return s.selected
end

-- Shows the list: in a sidebar pane (not focused: focus=true for a user's
-- explicit request), else as a buffer.
function M.show(focus)
	M._visible = true
	if not M._polling then M.start_polling() end
	if brisk.sidebar and not (M._pane and pcall(M._pane.id, M._pane)) then
		local ok, pane = pcall(brisk.sidebar, { title = "News", mode = "news",
			side = M.config.side, width = M.config.width,
			on_activate = function(row)
				M.state.selected = row
				M.activate()
			end,
			on_select = function(row) M.state.selected = row end })
		M._pane = ok and pane or nil
		if not ok then brisk.error("news: " .. tostring(pane)) end
	elseif M._pane then
		M._pane:show()
	end
	M.redraw()
	if M._pane then
		if focus then M._pane:focus() end
	elseif M._list_buf then
		M._list_buf:focus()
	end
end

function M.hide()
	M._visible = false
	if M._pane then pcall(M._pane.hide, M._pane) end
end

function M.is_visible()
	if M._pane then
		local ok, v = pcall(M._pane.visible, M._pane)
		return ok and v
	end
	return M._visible
end

--{====================================================================
-- Actions
--=====================================================================

local function item_buffer(item, feed_title)
	local body = view.item_text(item, feed_title, 78)
	local b = M._item_buf
	if not (b and pcall(b.len, b)) then
		b = brisk.scratch("*news item*", { readonly = true, undo = false })
		M._item_buf = b
	end
	set_text(b, body)
	b:set_selections({ { 0, 0 } })
	b:focus()
	return b
end

--- Opens an item (row id) in a read-only buffer and marks it read.
-- Headless, its text is printed.
function M.open_item(id)
	local st = M.store()
	if not st then return false, "no news database yet" end
	local item = st:item(id)
	if not item then return false, "no item " .. tostring(id) end
	M.set_read({ id }, true)
	local title = feed_titles(st)[item.feed_id]
	if not drawing() then
		io.write(view.item_text(item, title, 78))
	else
		item_buffer(item, title)
	end
	M.redraw()
	return true
end

-- The item a command acts on: its argument, else the selected row.
local function target_item(args)
	local id = tonumber(args)
	if id then return id end
	local s = M.state
	if s.mode ~= "feeds" then
		local it = s.items[selected_index()]
		if it then return it.id end
	end
	return nil
end

function M.next_unread()
	local st = M.store()
	if not st then return false, "no news database yet" end
	local ids = {}
	for _, f in ipairs(M.feed_list()) do ids[#ids + 1] = st:feed(f.url).id end
	local list = st:unread(ids)
	if #list == 0 then
		say("news: no unread items")
		return true
	end
	return M.open_item(list[1].id)
end

function M.activate()
	local s = M.state
	local i = selected_index()
	if s.mode == "feeds" then
		local f = s.feeds[i]
		if not f then return end
		-- Back (BS, q) returns to this row of the feed list.
		s.feeds_at = { selected = s.selected, top = s.top }
		s.mode, s.feed_id, s.feed_title, s.selected, s.top = "items", f.id, f.title, 1, 1
		M.redraw()
	else
		local it = s.items[i]
		if it then M.open_item(it.id) end
	end
end

function M.back()
	local s = M.state
	if s.mode ~= "feeds" then
		local at = s.feeds_at or { selected = 1, top = 1 }
		s.mode, s.selected, s.top = "feeds", at.selected, at.top
		M.redraw()
	else
		M.hide()
	end
end

--- Opens a link in $BROWSER (no Referer: a browser started this way has
-- no referring page), tracking parameters stripped when configured.
function M.browse(link)
	if not link or not link:match("^https?://") then return false, "no web link" end
	if M.config.strip_tracking then link = urlm.strip_tracking(link) end
	local b = M.config.browser or os.getenv("BROWSER")
	if not b or b == "" then b = "xdg-open" end
	-- $BROWSER may hold several commands separated by ':'
	b = b:match("^([^:]+)")
	local args = {}
	local cmd
	for w in b:gmatch("%S+") do
		if not cmd then cmd = w else args[#args + 1] = w end
	end
	local has_subst = false
	for i, a in ipairs(args) do
		if a:find("%s", 1, true) then args[i] = a:gsub("%%s", function() return link end); has_subst = true end
	end
	if not has_subst then args[#args + 1] = link end
	local ok, err = pcall(brisk.spawn, { cmd = cmd, args = args })
	if not ok then return false, tostring(err) end
	return true
end

function M.stats_lines(days, raw)
	local st = M.store()
	if not st then return { "no news database yet" } end
	local since = brisk.time.format(now() - ((tonumber(days) or 30) - 1) * 86400, "%Y-%m-%d")
	local rows = st:stats(since)
	local titles = feed_titles(st)
	for _, r in ipairs(rows) do r.title = titles[r.feed_id] or r.title end
	return view.stats_lines(rows, raw)
end

local function show_lines(name, lines)
	if brisk.headless then
		for _, l in ipairs(lines) do print(l) end
		return
	end
	M._bufs = M._bufs or {}
	local b = M._bufs[name]
	if not (b and pcall(b.len, b)) then
		b = brisk.scratch(name, { readonly = true, undo = false })
		M._bufs[name] = b
	end
	set_text(b, table.concat(lines, "\n") .. "\n")
	b:focus()
end

local function read_file(path)
	local f, err = io.open(path, "rb")
	if not f then return nil, err end
	local s = f:read("a")
	f:close()
	return s
end

local function import(list, what)
	local st = M.store()
	if not st then return false, "no news database yet" end
	user_write(st, "import", function()
		for _, f in ipairs(list) do st:subscribe(f.url, f.title) end
	end)
	say(string.format("news: %d feed%s imported from %s", #list,
		#list == 1 and "" or "s", what))
	M.redraw()
	return true
end

--{====================================================================
-- Commands and keys
--=====================================================================

local function cmd(name, help, fn)
	brisk.register_command(name, function(args)
		local ok, r1, r2 = pcall(fn, args or "")
		if not ok then return false, tostring(r1) end
		return r1, r2
	end, { help = help })
end

local function needs_store(fn)
	return function(args)
		local st, err = M.store()
		if not st then return false, err end
		return fn(args)
	end
end

cmd("news", "show the news sidebar and focus it (hide it when focused)", function()
	if M._pane and M.is_visible() and M._pane:focused() then
		M.hide()
	else
		M.show(true)
	end
	return true
end)
cmd("news-refresh", "fetch every feed now (or the one named)", function(args)
	if not M.client_mode() and #match_feed(M.feed_list(), args) == 0 then
		return false, "no feed matches " .. args
	end
	M.refresh(args)
	return true
end)
cmd("news-poll", "fetch the feeds that are due", function()
	M.poll()
	return true
end)
cmd("news-stats", "per feed and day: requests, 304s, bytes, bytes saved", function(args)
	show_lines("*news stats*", M.stats_lines(args:match("%d+")))
	return true
end)
cmd("news-open", "open the selected item (or item ID)", needs_store(function(args)
	local id = target_item(args)
	if not id then M.activate() return true end
	return M.open_item(id)
end))
cmd("news-next-unread", "open the next unread item", needs_store(function()
	return M.next_unread()
end))
cmd("news-mark-read", "mark the selected item (or item ID) read", needs_store(function(args)
	local id = target_item(args)
	if not id then return false, "no item selected" end
	M.set_read({ id }, true)
	M.redraw()
	return true
end))
cmd("news-mark-unread", "mark the selected item (or item ID) unread", needs_store(function(args)
	local id = target_item(args)
	if not id then return false, "no item selected" end
	M.set_read({ id }, false)
	M.redraw()
	return true
end))
cmd("news-mark-all-read", "mark every item read (or those of feed FEED)", needs_store(function(args)
	local st = M.store()
	local feeds -- feed ids, nil for all
	if args ~= "" then
		feeds = {}
		for _, f in ipairs(match_feed(M.feed_list(), args)) do feeds[#feeds + 1] = st:feed(f.url).id end
	elseif M.state.mode == "items" and M._visible and M.state.feed_id then
		feeds = { M.state.feed_id }
	end
	if M.client_mode() then
		-- the service must hear of each item
		local ids = {}
		for _, r in ipairs(st:unread(feeds)) do ids[#ids + 1] = r.id end
		M.set_read(ids, true)
	else
		-- the items there are now: none a merge adds before this is written
		local upto = st:last_item_id()
		user_write(st, "read marks", function()
			for _, id in ipairs(feeds or { false }) do st:mark_all_read(id or nil, upto) end
		end)
	end
	M.redraw()
	return true
end))
cmd("news-search", "search every item ever fetched", needs_store(function(args)
	if args == "" then return false, "search for what?" end
	if not drawing() then
		local st = M.store()
		local titles = feed_titles(st)
		for _, r in ipairs(st:search(args, 500)) do
			print(table.concat({ r.id, text.line(titles[r.feed_id] or ""),
				text.line(r.title or ""), text.line(r.link or "") }, "\t"))
		end
		return true
	end
	M.state.mode, M.state.query, M.state.selected, M.state.top = "search", args, 1, 1
	M.show()
	return true
end))
cmd("news-unread", "list the unread items", needs_store(function()
	local lines = {}
	local st = M.store()
	local titles = feed_titles(st)
	local ids = {}
	for _, f in ipairs(M.feed_list()) do ids[#ids + 1] = st:feed(f.url).id end
	for _, r in ipairs(st:unread(ids)) do
		lines[#lines + 1] = table.concat({ text.line(titles[r.feed_id] or ""),
			text.line(r.title or ""), text.line(r.link or "") }, "\t")
	end
	show_lines("*news unread*", lines)
	return true
end))
cmd("news-browse", "open the selected item's link in $BROWSER", needs_store(function(args)
	local id = target_item(args)
	local link
	if id then
		local it = M.store():item(id)
		link = it and it.link
	elseif args:match("^https?://") then
		link = args
	end
	return M.browse(link)
end))
cmd("news-import-opml", "subscribe to the feeds of an OPML file", needs_store(function(args)
	local s, err = read_file(args)
	if not s then return false, tostring(err) end
	local list, e = opml.parse_opml(s)
	if not list then return false, e end
	return import(list, args)
end))
cmd("news-import-urls", "subscribe to the feeds of a newsboat urls file", needs_store(function(args)
	local path = args
	if path == "" then
		local home = os.getenv("HOME") or "."
		path = home .. "/.newsboat/urls"
		local cfg = os.getenv("XDG_CONFIG_HOME")
		local alt = (cfg and cfg ~= "" and cfg or home .. "/.config") .. "/newsboat/urls"
		if not io.open(path) and io.open(alt) then path = alt end
	end
	local s, err = read_file(path)
	if not s then return false, tostring(err) end
	return import(opml.parse_urls(s), path)
end))
cmd("news-export-opml", "write the feed list as OPML to PATH", function(args)
	if args == "" then return false, "export to which file?" end
	local f, err = io.open(args, "w")
	if not f then return false, tostring(err) end
	M.store()
	f:write(opml.to_opml(M.feed_list_titled()))
	f:close()
	say("news: feeds written to " .. args)
	return true
end)
cmd("news-back", "news list: back to the feeds (or close)", function()
	M.back()
	return true
end)

-- Keys in the news list buffer (mode "news").
local function bind(keys, fn)
	if brisk.bind then pcall(brisk.bind, keys, fn, { mode = "news" }) end
end
bind("<Enter>", function() M.activate() end)
bind("<BS>", function() M.back() end)
bind("q", function() M.back() end)
bind("r", function() M.refresh() end)
bind("n", function() brisk.command("news-next-unread") end)
bind("m", function() brisk.command("news-mark-read") end)
bind("u", function() brisk.command("news-mark-unread") end)
bind("A", function() brisk.command("news-mark-all-read") end)
bind("o", function() brisk.command("news-browse") end)

function M.on_key(key)
	local map = { ["<Enter>"] = M.activate, ["<BS>"] = M.back, q = M.back,
		r = function() M.refresh() end,
		n = function() brisk.command("news-next-unread") end,
		m = function() brisk.command("news-mark-read") end,
		u = function() brisk.command("news-mark-unread") end,
		A = function() brisk.command("news-mark-all-read") end,
		o = function() brisk.command("news-browse") end }
	local fn = map[key]
	if fn then fn() return true end
	return false
end

--{====================================================================
-- Setup and background polling (never in headless mode)
--=====================================================================

function M.start_polling()
	if brisk.headless or M._polling or not brisk.timer then return end
	M._polling = brisk.timer(M.config.poll_ms, function() M.poll() end,
		{ ["repeat"] = true })
	-- the first look soon after start, then on the timer
	brisk.timer(1500, function() M.poll() end)
end

--- Configures the reader. opts: feeds = { {url =, title =, interval =},
-- ... } and any key of M.defaults.
function M.setup(opts)
	opts = opts or {}
	for k, v in pairs(opts) do
		if M.defaults[k] ~= nil or k == "feeds" or k == "browser" or k == "db_path"
			or k == "side" or k == "service" or k == "token_file" then
			M.config[k] = v
		else
			say("news: unknown setup option " .. tostring(k))
		end
	end
	if M._fetcher then
		local f = M._fetcher
		f.concurrency, f.timeout_ms, f.max_bytes = M.config.concurrency,
			M.config.timeout_ms, M.config.max_bytes
		f.keep_days, f.jitter = M.config.keep_days, M.config.jitter
	end
	if not brisk.headless then M.start_polling() end
	return M
end

return M
