-- The sync client against a real service process (plugins/news/serve.lua,
-- started and killed here): a restart in the middle of a paged sync loses
-- nothing and duplicates nothing, and read marks the service took survive
-- a kill -9 (SQLite WAL).
-- usage: brisk --headless -l tests/plugins/news/test_client.lua BRISK TMPDIR
-- (TMPDIR/svc/cfg/brisk/init.lua names the feeds, as news-service.t writes it)
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local storemod = require("news.store")
local client = require("news.client")

local brisk_bin, tmp = arg[1], arg[2]
local dir = tmp .. "/tc"
local tokfile = dir .. "/token"
local port, proc

local function free_port()
	local s = assert(brisk.http.serve{port = 0, on_request = function() return {} end})
	local p = s:port()
	s:close()
	return p
end

local function start(done)
	proc = assert(brisk.spawn{cmd = brisk_bin,
		args = {"--headless", "-l", T.root .. "/plugins/news/serve.lua", "--listen", "127.0.0.1:" .. port,
			"--token-file", tokfile},
		env = {XDG_CONFIG_HOME = tmp .. "/svc/cfg", XDG_DATA_HOME = dir .. "/data"},
		on_stderr = function(d) io.stderr:write(d) end})
	-- ready once it lists the items of its three feeds
	local tries = 0
	local function probe()
		tries = tries + 1
		local tok = T.read(tokfile)
		brisk.http.request{url = "http://127.0.0.1:" .. port .. "/api/v1/sync", timeout_ms = 2000,
			headers = {Authorization = "Bearer " .. (tok or ""):gsub("%s", "")},
			on_response = function(r)
				local d = r.status == 200 and brisk.json.decode(r.body)
				if d and #d.items >= 12 then return done(d) end
				if tries > 150 then return done(nil) end
				brisk.timer(100, probe)
			end}
	end
	probe()
end

local function stop(sig)
	if proc and proc:running() then proc:kill(sig or "TERM") end
end

local function new_client(name, opts)
	local st = assert(storemod.open(dir .. "/" .. name .. ".db"))
	local tok = assert(brisk.crypto.secret_file(tokfile, {create = false}))
	opts = opts or {}
	opts.store, opts.url, opts.token = st, "http://127.0.0.1:" .. port, tok
	return client.new(opts), st
end

local function count(st, where)
	return st:one("SELECT count(*) AS n FROM items" .. (where or "")).n
end

local function finish()
	stop("KILL")
	T.done()
end

port = free_port()
start(function(first)
	if not T.ok(first ~= nil, "the service started and polled its feeds") then return finish() end
	local pages = 0
	local c, st = new_client("paged", {page = 5, on_page = function()
		pages = pages + 1
		if pages == 1 then stop("KILL") end -- dies between two answers
	end})
	c:sync(function(ok1, err1)
		T.ok(not ok1 and err1, "killed in the middle of a paged sync: the sync fails", tostring(err1))
		T.eq(count(st), 5, "the first answer is stored, the rest is not")
		local cursor = st:one("SELECT value FROM meta WHERE key = 'sync_cursor'")
		T.ok(cursor and cursor.value:match("%-%d+$"), "its cursor is stored with it")
		start(function(again)
			T.ok(again ~= nil, "the service restarts on the same store")
			c.on_page = nil
			c:sync(function(ok2, err2)
				T.ok(ok2, "the next sync completes", tostring(err2))
				T.eq(count(st), #again.items, "every item once, none twice")
				T.eq(count(st, " WHERE read = 0"), #again.items, "all unread, as on the service")
				-- marks taken by the service survive a kill -9
				local ids = {}
				for r in st.db:rows("SELECT id FROM items ORDER BY id LIMIT 3") do ids[#ids + 1] = r.id end
				c:mark(ids, true, function(ok3, err3)
					T.ok(ok3, "three read marks sent", tostring(err3))
					stop("KILL")
					start(function()
						local fresh, fst = new_client("fresh")
						fresh:sync(function(ok4)
							T.ok(ok4, "a new client syncs after the kill -9")
							T.eq(count(fst, " WHERE read = 1"), 3, "the three marks survived the kill -9")
							T.eq(count(fst), count(st), "the new client has every item")
							finish()
						end)
					end)
				end)
			end)
		end)
	end)
end)
brisk.timer(100000, function() T.ok(false, "finished in time"); finish() end)
