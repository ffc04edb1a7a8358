-- The news service's parts on their own: news.page (escaping, links,
-- shortening, the Atom feed as XML), news.auth (tokens, the cookie, the
-- slow-down schedule) and news.sync (cursors, deltas, read marks) on a
-- store of its own.
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local page = require("news.page")
local auth = require("news.auth")
local sync = require("news.sync")
local storemod = require("news.store")

--{====================================================================
-- page
--=====================================================================

T.eq(page.escape([[<script>"x" & 'y'</script>]]), "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;", "escape: markup and quotes")
T.eq(page.escape("a\0b\27[31mc\127"), "ab[31mc", "escape: control bytes dropped (no terminal or XML surprises)")
T.eq(page.shorten("one two three four five six", 20), "one two three four…", "shorten: at a word")
T.eq(page.shorten("abcdefghijklmnopqrstuvwxyz", 10), "abcdefghij…", "shorten: inside a long word when there is no space")
T.eq(page.shorten("ééééé", 5), "éé…", "shorten: never inside a UTF-8 sequence")
T.eq(page.shorten("short", 10), "short", "shorten: short text unchanged")
T.eq(page.safe_link("javascript:alert(1)"), nil, "links: javascript: dropped")
T.eq(page.safe_link("data:text/html,x"), nil, "links: data: dropped")
T.eq(page.safe_link("https://a.example/p?utm_source=x&id=3&fbclid=y"), "https://a.example/p?id=3", "links: tracking parameters stripped")
T.eq(page.safe_link("https://a.example/p?utm_source=x", false), "https://a.example/p?utm_source=x", "links: kept when stripping is off")

local items = {
	{ id = 1, title = "A <b>bold</b> \"title\"", link = "https://a.example/1?utm_medium=rss", date = 1700000000,
		author = "Ann", summary = "Text & more", feed_title = "Feed <A>" },
	{ id = 2, title = nil, link = "javascript:alert(1)", date = nil, summary = ("long "):rep(300), feed_title = "B" },
}
local html = page.render(items, { summary_chars = 100 })
T.ok(html:find("A &lt;b&gt;bold&lt;/b&gt; &quot;title&quot;", 1, true), "page: titles escaped")
T.ok(not html:find("javascript:", 1, true), "page: no javascript: link")
T.ok(html:find('<a href="https://a.example/1" rel="noreferrer noopener">', 1, true), "page: rel=noreferrer noopener, tracking stripped")
T.ok(html:find("(no title)", 1, true), "page: an item without a title")
T.ok(not html:find(("long "):rep(30), 1, true), "page: summaries shortened")
T.ok(html:find('name="ids" value="1,2"', 1, true), "page: the button lists what was shown")
T.ok(not html:find("<script", 1, true) and not html:find("<img", 1, true) and not html:find("<link", 1, true), "page: no script, image or link element")
T.ok(page.render({}, {}):find("Nothing new", 1, true), "page: empty")
local login = page.login("Wrong token.")
T.ok(login:find('action="/login"', 1, true) and login:find('type="password"', 1, true), "login: a form posting the token")

local atom = page.atom(items, { id = "urn:brisk-news:test", title = "News & co", self = "https://x.example/feed.atom" })
local doc, err = brisk.xml.parse(atom)
T.ok(doc and doc.name == "feed" and doc.ns == "http://www.w3.org/2005/Atom", "atom: well-formed, in the Atom namespace", err)
local entries = 0
for _, c in ipairs(doc and doc.children or {}) do
	if type(c) == "table" and c.name == "entry" then entries = entries + 1 end
end
T.eq(entries, 2, "atom: one entry per item")
T.ok(atom:find("<updated>2023-11-14T22:13:20Z</updated>", 1, true), "atom: RFC 3339 dates")
T.ok(not atom:find("javascript:", 1, true), "atom: no javascript: link")

--{====================================================================
-- auth
--=====================================================================

local clock = 0
local a = auth.new("the-token-of-this-test", { now = function() return clock end })
T.ok(a:bearer_ok({ headers = { authorization = "Bearer the-token-of-this-test" } }), "auth: Bearer")
T.ok(a:bearer_ok({ headers = { authorization = "bearer   the-token-of-this-test " } }), "auth: Bearer, any case and spacing")
T.ok(not a:bearer_ok({ headers = { authorization = "Bearer the-token-of-this-tesT" } }), "auth: a wrong Bearer")
T.ok(not a:bearer_ok({ headers = { authorization = "Basic the-token-of-this-test" } }), "auth: Basic is not Bearer")
T.ok(a:feed_ok({ headers = {}, password = "the-token-of-this-test" }), "auth: the feed takes Basic (token as password)")
T.ok(not a:feed_ok({ headers = {}, password = "nope" }), "auth: not a wrong password")
local cookie = a:cookie(false)
T.ok(cookie:find("HttpOnly") and cookie:find("SameSite=Strict") and not cookie:find("Secure"), "auth: cookie flags over HTTP")
T.ok(a:cookie(true):find("; Secure", 1, true), "auth: Secure over TLS")
local value = cookie:match("^brisk_news=([^;]+)")
T.ok(value and not value:find("the-token", 1, true), "auth: the cookie is not the token")
T.ok(a:page_ok({ headers = {}, cookies = { brisk_news = value } }), "auth: the cookie opens the page")
T.ok(not auth.new("another-token-for-the-test"):page_ok({ headers = {}, cookies = { brisk_news = value } }),
	"auth: a new token signs the old cookie out")
local waits = {}
for i = 1, 7 do waits[i] = a:failed("10.0.0.1") end
T.eq(table.concat(waits, " "), "0 125 250 500 1000 1000 1000", "auth: failures wait 0, then doubling to at most 1 s")
T.eq(a:failed("10.0.0.2"), 0, "auth: per address")
clock = clock + 600001
T.eq(a:failed("10.0.0.1"), 0, "auth: ten quiet minutes start the count again")

--{====================================================================
-- sync
--=====================================================================

local st = assert(storemod.open(T.tmp("parts.db")))
sync.install(st)
sync.install(st) -- twice: nothing changes
local f = st:feed("http://f.example/")
local c0 = sync.cursor(st)
T.ok(c0:match("^%w+%-%d+$"), "sync: a cursor is INSTANCE-N", c0)
local mk = function(n)
	local t = {}
	for i = 1, n do t[i] = { id = "i" .. i, title = "Item " .. i, link = "http://f.example/" .. i,
		published = 1700000000 + i, summary = ("s" .. i .. " "):rep(3) } end
	return t
end
st:merge(f.id, mk(5), {})
local full = sync.changes(st, nil, { f.id })
T.eq(#full.items, 5, "sync: a full sync has every item")
T.eq(#full.feeds, 1, "sync: and the feed")
local since = sync.since(st, full.cursor)
T.eq(#sync.changes(st, since, { f.id }).items, 0, "sync: nothing since the latest cursor")
st:merge(f.id, mk(5), {})
T.eq(#sync.changes(st, since, { f.id }).items, 0, "sync: a fetch that changes nothing changes no cursor")
local n, before, after = sync.mark(st, { full.items[1].id, full.items[2].id }, true)
T.eq(n, 2, "sync: two marked")
T.ok(before == full.cursor and after ~= before, "sync: the marks lie between before and after")
local delta = sync.changes(st, since, { f.id })
T.eq(#delta.items, 2, "sync: the delta carries the marks")
T.ok(delta.items[1].title == nil and delta.items[1].read == true, "sync: a read mark alone is {id, read}")
T.eq(select(1, sync.mark(st, { full.items[1].id }, true)), 0, "sync: marking read again changes nothing")
local changed = mk(5)
changed[3].title = "Item 3, corrected"
st:merge(f.id, changed, {})
local d2 = sync.changes(st, sync.since(st, delta.cursor), { f.id })
T.ok(#d2.items == 1 and d2.items[1].title == "Item 3, corrected", "sync: a changed title comes whole")
T.eq(sync.since(st, "otherstore-3"), nil, "sync: another store's cursor means everything")
T.eq(sync.since(st, c0:match("^%w+") .. "-999999"), nil, "sync: a cursor from the future means everything")
T.eq(sync.since(st, "garbage"), nil, "sync: garbage means everything")
local paged, pages, cur = {}, 0, nil
repeat
	local p = sync.changes(st, cur and sync.since(st, cur), { f.id }, { limit = 2 })
	for _, it in ipairs(p.items) do paged[#paged + 1] = it.id end
	cur, pages = p.cursor, pages + 1
until not p.more or pages > 10
T.ok(#paged == 5 and pages == 3, "sync: limit 2 pages 5 items into 3 answers", #paged .. " " .. pages)
-- a sidebar sharing the store marks an item: the trigger numbers it too
local at = sync.cursor(st)
st:mark_read(full.items[5].id, true)
T.eq(#sync.changes(st, sync.since(st, at), { f.id }).items, 1, "sync: a mark made by another writer of the store is seen")
local total = select(2, sync.unread_items(st, { f.id }, 2))
T.eq(total, 2, "sync: unread count (5 less 3 read)")
T.eq(#sync.changes(st, nil, {}).items, 0, "sync: no feeds, no items (and no SQL error)")
sync.add_downstream(st, "phone", { requests = 2, syncs = 1, not_modified = 1, bytes = 300 })
sync.add_downstream(st, "phone", { requests = 1, syncs = 1, bytes = 200 })
local row = sync.downstream(st, "")[1]
T.ok(row and row.requests == 3 and row.syncs == 2 and row.not_modified == 1 and row.bytes == 500, "sync: downstream counts add up")

--{====================================================================
-- the service while a fetch holds the store's transaction open
--=====================================================================

-- A merge in a brisk.task keeps its transaction open across slices; a
-- request arriving between them waits, and is answered from what was
-- committed (never from rows that could still be rolled back).
local service = require("news.service")
local svc = service.new({ auth = a, news = {
	store = function() return st end,
	feed_list = function() return { { url = "http://f.example/" } } end,
	feed_titles = function() return {} end,
} })
local bearer = { authorization = "Bearer the-token-of-this-test" }
local function request(path, query)
	local r = { method = "GET", path = path, query = query or {}, headers = bearer, cookies = {}, remote = "127.0.0.1" }
	function r:respond(resp) self.answer = resp; return true end
	return r
end
local before_merge = sync.cursor(st)
local release = false
local task = brisk.task(function()
	st:merge(f.id, mk(8), { chunk = 1, pause = function()
		while not release do coroutine.yield() end
	end })
end)
local req
local steps = 0
-- one-shot timers, one after another: each is pending work, so the
-- headless run lasts until the last check
local function step()
	steps = steps + 1
	if steps == 1 then
		T.ok(st.db:in_transaction(), "busy store: the task holds its transaction open between slices")
		req = request("/api/v1/sync", { since = before_merge })
		T.eq(svc:handle(req), nil, "busy store: a sync is not answered at once")
	elseif steps == 5 then
		T.eq(req.answer, nil, "busy store: nor while the transaction stays open")
		release = true
	elseif req.answer or steps > 2000 then
		local body = req.answer and brisk.json.decode(req.answer.body or "")
		local links = {}
		for _, it in ipairs(body and body.items or {}) do links[it.link] = true end
		T.ok(task:status() == "done" and req.answer and req.answer.status == 200
			and links["http://f.example/6"] and links["http://f.example/7"] and links["http://f.example/8"]
			and body.cursor == sync.cursor(st),
			"busy store: answered once the merge committed, with its new items and the committed cursor",
			req.answer and req.answer.status)
		st:close()
		T.done()
	end
	brisk.timer(1, step)
end
brisk.timer(1, step)
