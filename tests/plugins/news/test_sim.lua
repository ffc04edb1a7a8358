-- The 30-day simulation: 12 feeds with different update rates and window
-- sizes, some re-exposing old items, served over HTTP in this process
-- (brisk.http.serve, with ETags and gzip, summaries of realistic
-- length) and polled at their own intervals (with jitter) through the
-- real plugin code (news-poll with brisk.time.now overridden), the store
-- shared by a reader marking items read (as a sidebar beside the news
-- service would) and by the service, whose client syncs every 2 hours and
-- reads now and then.
-- History: no item may ever be shown as new twice, none that was fetched
-- may be missed, and read stays read.
-- The service: the client's bytes <= 0.5 x polling the feeds directly
-- (what the service's own polling costs), an unchanged sync <= 600 bytes,
-- and the client ends with exactly the service's unread items. Bytes are
-- counted as brisk.http reports them (request heads and bodies sent,
-- response heads and bodies received).
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
math.randomseed(tonumber(os.getenv("NEWS_SIM_SEED") or "") or 20240310)

local DAY = 86400
local T0 = 1700000000
local DAYS = tonumber(os.getenv("NEWS_SIM_DAYS") or "") or 30
local simnow = T0
brisk.time.now = function() return simnow end

local SYNC_EVERY = 2 * 3600
local news = require("news")
local service = require("news.service")
local auth = require("news.auth")
local client = require("news.client")
local storemod = require("news.store")
local syncmod = require("news.sync")
news.setup({ db_path = T.tmp("sim.db"), keep_days = 5, forget_days = 30,
	concurrency = 3, jitter = 0.1, feeds = {} })
local sim = assert(loadfile(T.dir .. "/simfeeds.lua", "t", _ENV))()

--{====================================================================
-- Feeds with text of realistic size (summaries of 20-100 words of
-- brisk's own prose), the same text for an item every time it is listed
--=====================================================================

local words = {}
for _, p in ipairs({ "/README.md", "/plugins/news/README.md", "/docs/api.md" }) do
	for w in (T.read(T.root .. p) or ""):gmatch("%a+") do words[#words + 1] = w end
end
assert(#words > 1000, "no prose to make feed text from")

local described = {}
local function describe(f, it)
	local key = f.i * 1000000 + it.n
	if described[key] then return described[key] end
	local x = (f.i * 7919 + it.n * 104729) % 2147483647
	local function rnd(n)
		x = (x * 48271) % 2147483647
		return x % n
	end
	local ws = {}
	for k = 1, 20 + rnd(80) do ws[k] = words[1 + rnd(#words)] end
	described[key] = "&lt;p&gt;" .. table.concat(ws, " ") .. ".&lt;/p&gt;"
	return described[key]
end

local feeds = sim.make(T0, DAYS)
local bodies = {}
local feedsrv = assert(brisk.http.serve{ port = 0, on_request = function(req)
	local b = bodies[req.path]
	if not b then return { status = 404 } end
	return { status = 200, body = b, etag = true, compress = true,
		headers = { ["Content-Type"] = "application/rss+xml" } }
end })

for i, f in ipairs(feeds) do
	f.url = ("http://127.0.0.1:%d/%s.xml"):format(feedsrv:port(), f.name)
	news.config.feeds[i] = { url = f.url, title = f.name, interval = f.interval }
end

local function write_feed(f, t)
	local doc, w = sim.document(f, t, describe)
	bodies["/" .. f.name .. ".xml"] = doc
	return w
end

--{====================================================================
-- The service, its client, and the byte counts
--=====================================================================

local token = brisk.crypto.random(32)
local svc = service.new({ news = news, auth = auth.new(token) })
local srv = assert(brisk.http.serve{ port = 0,
	on_request = function(req) return svc:handle(req) end,
	on_log = function(req, info) svc:log(req, info) end })

local cstore = assert(storemod.open(T.tmp("client.db")))
-- The simulation measures the plugin's rules and bytes, not the disk: no
-- fsync (a checkpoint waiting on a busy disk would overrun a callback's
-- time budget at random).
for _, db in ipairs({ assert(news.store()).db, cstore.db }) do db:exec("PRAGMA synchronous=OFF") end
local cl = client.new({ store = cstore, url = "http://127.0.0.1:" .. srv:port(), token = token })

local up = { bytes = 0, requests = 0, r304 = 0 }
local down = { bytes = 0, requests = 0, r304 = 0, max304 = 0 }
local to_service = ":" .. srv:port() .. "/"
local request = brisk.http.request
brisk.http.request = function(opts)
	local acc = opts.url:find(to_service, 1, true) and down or up
	local cb = opts.on_response
	opts.on_response = function(r)
		local b = (r.wire_bytes or 0) + (r.sent_bytes or 0)
		acc.bytes = acc.bytes + b
		acc.requests = acc.requests + 1
		if r.status == 304 then
			acc.r304 = acc.r304 + 1
			if acc == down then down.max304 = math.max(down.max304, b) end
		end
		if cb then cb(r) end
	end
	return request(opts)
end

local sync_ok, sync_fail = 0, 0
brisk.register_command("sim-sync", function()
	cl:sync(function(ok)
		if ok then sync_ok = sync_ok + 1 else sync_fail = sync_fail + 1 end
	end)
	return true
end)
local marks = 0
brisk.register_command("sim-read", function()
	-- the reader reads about a third of what is unread
	local ids = {}
	for r in cstore.db:rows("SELECT id FROM items WHERE read = 0 ORDER BY id") do
		if math.random() < 0.33 then ids[#ids + 1] = r.id end
	end
	marks = marks + #ids
	cl:mark(ids, true)
	return true
end)

-- Shown as new: counted per (feed, item number).
local shown, dups, shown_total = {}, {}, 0
news.on_new(function(feed, items)
	for _, it in ipairs(items) do
		local key = feed.url .. " " .. (it.title or "")
		shown_total = shown_total + 1
		if shown[key] then dups[#dups + 1] = key end
		shown[key] = simnow
	end
end)

local fetched = {}   -- key -> whether its first fetch should show it as new
local too_old = 0    -- items first fetched when already older than keep_days
local reexposed = 0  -- times an item came back after it had left a window
local last_window = {}
local read_marked = {}
local polls, fetches = 0, 0

local store
local step = 0
local next_sync, syncs = T0, 0
while simnow < T0 + DAYS * DAY do
	step = step + 1
	local windows = {}
	for i, f in ipairs(feeds) do windows[i] = write_feed(f, simnow) end
	local before = {}
	store = store or news.store()
	if store then
		for i, f in ipairs(feeds) do before[i] = store:feed(f.url).last_ok end
	end
	brisk.command("news-poll")
	polls = polls + 1
	store = store or news.store()
	for i, f in ipairs(feeds) do
		local row = store:feed(f.url)
		if row.last_ok == simnow and before[i] ~= simnow then
			fetches = fetches + 1
			local now_in = {}
			for _, it in ipairs(windows[i]) do
				local key = f.url .. " " .. f.name .. " item " .. it.n
				now_in[key] = true
				if fetched[key] and not (last_window[i] or {})[key] then
					reexposed = reexposed + 1
				end
				if fetched[key] == nil then
					-- news unless first seen already older than keep_days
					-- (outside the feed's first window): such items are
					-- archived as read
					fetched[key] = f.mode == "nodate" or before[i] == nil
						or it.t >= simnow - 5 * DAY
					if not fetched[key] then too_old = too_old + 1 end
				end
			end
			last_window[i] = now_in
		end
	end
	-- the reader reads a few unread items now and then
	if step % 7 == 0 then
		for _, r in ipairs(store:unread()) do
			if math.random() < 0.3 then
				brisk.command("news-mark-read " .. r.id)
				read_marked[r.feed_url .. " " .. r.title] = true
			end
		end
	end
	if simnow >= next_sync then
		brisk.command("sim-sync")
		syncs = syncs + 1
		if syncs % 4 == 0 then brisk.command("sim-read") end
		next_sync = next_sync + SYNC_EVERY
	end
	simnow = simnow + math.random(5, 90) * 60
end
brisk.command("sim-sync")
-- and once more at once: nothing changed in between
local r304, bytes0 = down.r304, down.bytes
brisk.command("sim-sync")
local unchanged = down.r304 > r304 and down.bytes - bytes0 or nil

local missed = 0
for key, want in pairs(fetched) do
	if want and not shown[key] then
		missed = missed + 1
		if missed <= 3 then print("# fetched but never shown as new: " .. key) end
	end
end
local unread_again = 0
for _, r in ipairs(store:unread()) do
	if read_marked[r.feed_url .. " " .. r.title] then unread_again = unread_again + 1 end
end
local nfetched = 0
for _ in pairs(fetched) do nfetched = nfetched + 1 end

for k = 1, math.min(3, #dups) do print("# shown as new twice: " .. dups[k]) end
T.eq(#dups, 0, "no item shown as new twice")
T.eq(missed, 0, "every fetched item shown as new once (but " .. too_old .. " first seen when too old)")
T.eq(unread_again, 0, "items read stay read when they come back")
T.ok(reexposed > 0, "old items were re-exposed (" .. reexposed .. " times)")
T.ok(fetches > 100, "feeds were polled (" .. fetches .. " fetches)")
local huge = store:one("SELECT count(*) AS n FROM items JOIN feeds ON feeds.id = items.feed_id WHERE feeds.url = ?", feeds[11].url).n
T.ok(huge >= 300, "a 300-item window is kept whole (" .. huge .. " items)")
local forgotten = store:one("SELECT count(*) AS n FROM forgotten").n
T.ok(forgotten > 0, "aged-out items are remembered by key (" .. forgotten .. ")")

local st = news.store()
local want = {}
for _, r in ipairs((syncmod.unread_items(st, svc:feed_ids(st)))) do want[r.id] = true end
local got, missing, extra = {}, 0, 0
for r in cstore.db:rows("SELECT remote_id FROM items WHERE read = 0") do got[r.remote_id] = true end
for id in pairs(want) do if not got[id] then missing = missing + 1 end end
for id in pairs(got) do if not want[id] then extra = extra + 1 end end
local nwant = 0
for _ in pairs(want) do nwant = nwant + 1 end

T.eq(sync_fail, 0, "every sync succeeded (" .. sync_ok .. ")")
T.ok(missing == 0 and extra == 0 and nwant > 0,
	("the client ends with the service's %d unread items (%d missing, %d extra)"):format(nwant, missing, extra))
local ratio = down.bytes / math.max(1, up.bytes)
T.ok(ratio <= 0.5, ("the client's bytes are %.3f x polling the feeds directly (at most 0.5)"):format(ratio))
T.ok(unchanged and unchanged <= 600 and down.max304 <= 600,
	("an unchanged sync is at most 600 bytes on the wire (%s; %d during the run, the largest %d)"):format(
	tostring(unchanged), down.r304, down.max304))
print(("# figure: %d days, 12 feeds polled at their pace: %d requests, %d bytes; client syncing every 2 h: %d requests (%d syncs, %d unchanged, %d read marks), %d bytes = %.3f x"):format(
	DAYS, up.requests, up.bytes, down.requests, sync_ok, down.r304, marks, down.bytes, ratio))
print(string.format("# sim: %d days, 12 feeds, %d polls, %d fetches, %d distinct items fetched, %d shown as new (each once), %d re-exposures, %d duplicates, %d in store",
	DAYS, polls, fetches, nfetched, shown_total, reexposed, #dups, store:count_items()))
feedsrv:close()
srv:close()
T.done()
