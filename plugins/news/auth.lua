-- news.auth: who may read the service. One secret token (kept in a file
-- only its owner can read), shown three ways: `Authorization: Bearer
-- TOKEN` (the API), Basic auth with the token as password (feed readers),
-- and a session cookie derived from the token (the page; changing the
-- token signs every browser out). Tokens are compared in constant time.
-- Failed attempts are answered later and later per address (up to
-- max_delay_ms); a successful one never waits.
local M = {}
M.__index = M

M.COOKIE = "brisk_news"

--- An authenticator for token. opts: max_delay_ms (1000), now (a clock
-- in ms, for tests).
function M.new(token, opts)
	opts = opts or {}
	assert(type(token) == "string" and #token > 0, "auth: no token")
	return setmetatable({
		token = token,
		session = brisk.crypto.hmac(token, "brisk news session v1"),
		fails = {},   -- address -> {n =, last =} (ms)
		nfails = 0,
		max_delay_ms = opts.max_delay_ms or 1000,
		clock = opts.now or function() return math.floor(brisk.clock() * 1000) end,
	}, M)
end

local function bearer(req)
	local h = req.headers and req.headers.authorization
	return type(h) == "string" and h:match("^[Bb][Ee][Aa][Rr][Ee][Rr]%s+(%S+)%s*$") or nil
end

--- Whether the request carries the token as a Bearer token.
function M:bearer_ok(req)
	local t = bearer(req)
	return t ~= nil and brisk.crypto.equal(t, self.token)
end

--- Bearer, or Basic auth whose password is the token (any user name).
function M:feed_ok(req)
	if self:bearer_ok(req) then return true end
	return type(req.password) == "string" and brisk.crypto.equal(req.password, self.token)
end

--- Bearer, or the session cookie.
function M:page_ok(req)
	if self:bearer_ok(req) then return true end
	local c = req.cookies and req.cookies[M.COOKIE]
	return type(c) == "string" and brisk.crypto.equal(c, self.session)
end

--- Whether a login form's token is right.
function M:token_ok(given)
	return type(given) == "string" and brisk.crypto.equal(given, self.token)
end

--- The Set-Cookie value that signs a browser in (Secure over TLS).
function M:cookie(tls)
	return M.COOKIE .. "=" .. self.session .. "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict"
		.. (tls and "; Secure" or "")
end

-- Forgets addresses that have not failed for ten minutes, so the table
-- stays small however many addresses try.
function M:prune(now)
	if self.nfails < 1000 then return end
	for addr, f in pairs(self.fails) do
		if now - f.last > 600000 then
			self.fails[addr] = nil
			self.nfails = self.nfails - 1
		end
	end
end

--- Records a failed attempt from addr; returns how long (ms) its answer
-- should wait: 0 for the first, then doubling from 125 ms, at most
-- max_delay_ms. Ten quiet minutes start the count again.
function M:failed(addr)
	addr = addr or "?"
	local now = self.clock()
	self:prune(now)
	local f = self.fails[addr]
	if not f or now - f.last > 600000 then
		if not f then self.nfails = self.nfails + 1 end
		f = { n = 0 }
		self.fails[addr] = f
	end
	f.n = f.n + 1
	f.last = now
	if f.n == 1 then return 0 end
	return math.floor(math.min(self.max_delay_ms, 125 * 2 ^ (f.n - 2)))
end

return M
