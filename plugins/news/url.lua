-- news.url: URL helpers in pure Lua: resolving relative references
-- (RFC 3986 section 5), normalizing links for item identity, and stripping
-- tracking parameters before a link is opened.
local M = {}

--- Splits a URL into scheme, authority, path, query, fragment (RFC 3986
-- appendix B); absent parts are nil.
function M.split(u)
	local scheme, rest = u:match("^([%a][%w+.-]*):(.*)$")
	rest = rest or u
	local auth
	if rest:sub(1, 2) == "//" then
		auth, rest = rest:match("^//([^/?#]*)(.*)$")
	end
	local frag
	local h = rest:find("#", 1, true)
	if h then frag = rest:sub(h + 1); rest = rest:sub(1, h - 1) end
	local query
	local q = rest:find("?", 1, true)
	if q then query = rest:sub(q + 1); rest = rest:sub(1, q - 1) end
	return scheme, auth, rest, query, frag
end

local function join(scheme, auth, path, query, frag)
	local t = {}
	if scheme then t[#t + 1] = scheme .. ":" end
	if auth then t[#t + 1] = "//" .. auth end
	t[#t + 1] = path or ""
	if query then t[#t + 1] = "?" .. query end
	if frag then t[#t + 1] = "#" .. frag end
	return table.concat(t)
end
M.join = join

--- Removes "." and ".." segments (RFC 3986 5.2.4).
function M.remove_dots(input)
	if not input:find(".", 1, true) then return input end
	local out = {}
	while #input > 0 do
		if input:sub(1, 3) == "../" then
			input = input:sub(4)
		elseif input:sub(1, 2) == "./" then
			input = input:sub(3)
		elseif input:sub(1, 3) == "/./" then
			input = "/" .. input:sub(4)
		elseif input == "/." then
			input = "/"
		elseif input:sub(1, 4) == "/../" then
			input = "/" .. input:sub(5)
			out[#out] = nil
		elseif input == "/.." then
			input = "/"
			out[#out] = nil
		elseif input == "." or input == ".." then
			input = ""
		else
			local seg = input:match("^/?[^/]*")
			out[#out + 1] = seg
			input = input:sub(#seg + 1)
		end
	end
	return table.concat(out)
end

local function merge(bauth, bpath, rpath)
	if bauth and (bpath == nil or bpath == "") then return "/" .. rpath end
	local dir = bpath:match("^(.*/)") or ""
	return dir .. rpath
end

--- Resolves ref against base; ref returned as is when base is nil or ref is
-- absolute.
function M.resolve(base, ref)
	if ref == nil then return nil end
	ref = ref:match("^%s*(.*%S)") or "" -- trimmed (not "(.-)%s*$": quadratic)
	if base == nil or base == "" then return ref end
	local rs, ra, rp, rq, rf = M.split(ref)
	if rs then return join(rs, ra, M.remove_dots(rp), rq, rf) end
	local bs, ba, bp, bq = M.split(base)
	if not bs then return ref end
	if ra then return join(bs, ra, M.remove_dots(rp), rq, rf) end
	if rp == "" then
		return join(bs, ba, bp, rq or bq, rf)
	end
	if rp:sub(1, 1) == "/" then
		return join(bs, ba, M.remove_dots(rp), rq, rf)
	end
	return join(bs, ba, M.remove_dots(merge(ba, bp, rp)), rq, rf)
end

--- True for an absolute URL with a scheme.
function M.is_absolute(u)
	return u ~= nil and u:match("^[%a][%w+.-]*:") ~= nil
end

local default_port = { http = "80", https = "443" }

--- Normalized form of a link for identity: lower-case scheme and host,
-- default port and fragment dropped, empty path made "/".
function M.normalize(u)
	if u == nil or u == "" then return nil end
	local s, a, p, q = M.split(u)
	if not s then return u end
	s = s:lower()
	if a then
		local userinfo, host = a:match("^(.*@)(.*)$")
		host = host or a
		host = host:lower()
		local h, port = host:match("^(.*):(%d*)$")
		if h and (port == "" or port == default_port[s]) then host = h end
		a = (userinfo or "") .. host
		if p == "" then p = "/" end
	end
	return join(s, a, M.remove_dots(p), q, nil)
end

-- Query parameters that only track the reader.
local tracking_prefix = { "utm_", "mtm_", "pk_", "hsa_", "_hs" }
local tracking = {
	fbclid = true, gclid = true, dclid = true, msclkid = true, yclid = true,
	mc_cid = true, mc_eid = true, igshid = true, ref_src = true,
	_ga = true, oly_anon_id = true, oly_enc_id = true, vero_id = true,
	wt_mc = true, ["wt.mc_id"] = true, rb_clickid = true, s_cid = true,
	mkt_tok = true, spm = true, __s = true,
}

local function is_tracking(name)
	name = name:lower()
	if tracking[name] then return true end
	for _, p in ipairs(tracking_prefix) do
		if name:sub(1, #p) == p then return true end
	end
	return false
end

--- Removes common tracking parameters from a URL's query.
function M.strip_tracking(u)
	local s, a, p, q, f = M.split(u)
	if not q then return u end
	local keep = {}
	for part in q:gmatch("[^&]+") do
		local name = part:match("^([^=]*)")
		if not is_tracking(name) then keep[#keep + 1] = part end
	end
	q = #keep > 0 and table.concat(keep, "&") or nil
	return join(s, a, p, q, f)
end

return M
