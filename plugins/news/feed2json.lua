-- feed2json: `brisk --headless -l plugins/news/feed2json.lua FILE_OR_URL`
-- prints a feed as parsed by news.parse, as JSON:
-- {"format": ..., "feed": {"title", "link", "updated"},
--  "items": [{"id", "title", "link", "published", "updated", "author", "summary"}]}
-- Times are integer Unix seconds or null; a missing value is null. Given a
-- URL, the HTTP charset and Content-Location count as the fetcher's do.
-- The output is always valid JSON in UTF-8.
do
	local dir = (arg and arg[0] or ""):match("^(.*)/news/[^/]*$")
	if dir then package.path = dir .. "/?.lua;" .. dir .. "/?/init.lua;" .. package.path end
end
local parse = require("news.parse")
local text = require("news.text")

local src = arg and arg[1]
if not src then
	io.stderr:write("usage: brisk --headless -l plugins/news/feed2json.lua FILE_OR_URL\n")
	os.exit(2)
end

-- A small encoder of our own: fixed key order, nil as null.
local function str(s)
	return '"' .. text.valid_utf8(s):gsub('[%c"\\]', function(c)
		local m = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r",
			["\t"] = "\\t", ["\b"] = "\\b", ["\f"] = "\\f" }
		return m[c] or string.format("\\u%04x", c:byte())
	end) .. '"'
end

local function val(v)
	if v == nil then return "null" end
	if type(v) == "number" then return string.format("%d", math.floor(v)) end
	return str(tostring(v))
end

local function obj(t, keys, indent)
	local parts = {}
	for _, k in ipairs(keys) do
		parts[#parts + 1] = indent .. "  " .. str(k) .. ": " .. val(t[k])
	end
	return "{\n" .. table.concat(parts, ",\n") .. "\n" .. indent .. "}"
end

local function emit(doc)
	local items = {}
	for _, it in ipairs(doc.items) do
		items[#items + 1] = "    " .. obj(it, { "id", "title", "link", "published",
			"updated", "author", "summary" }, "    ")
	end
	local out = "{\n  \"format\": " .. str(doc.format) .. ",\n  \"feed\": "
		.. obj(doc.feed, { "title", "link", "updated" }, "  ")
		.. ",\n  \"items\": [" .. (#items > 0 and ("\n" .. table.concat(items, ",\n") .. "\n  ") or "")
		.. "]\n}"
	print(out)
end

local function fail(msg)
	io.stderr:write("feed2json: " .. msg .. "\n")
	os.exit(1)
end

local function emit_or_fail(doc, err)
	if not doc then fail(err) end
	emit(doc)
end

if src:match("^%a[%w+.-]*://") then
	brisk.http.request({ url = src, timeout_ms = 20000, max_bytes = 16 * 1024 * 1024,
		on_response = function(r)
			if r.error then fail(src .. ": " .. tostring(r.error)) end
			if r.status and r.status ~= 0 and (r.status < 200 or r.status >= 300) then
				fail(src .. ": HTTP " .. r.status)
			end
			emit_or_fail(parse.parse_response(r, src))
		end })
else
	local f, err = io.open(src, "rb")
	if not f then fail(tostring(err)) end
	local bytes = f:read("a")
	f:close()
	local abs = src
	if abs:sub(1, 1) ~= "/" then abs = (os.getenv("PWD") or ".") .. "/" .. abs end
	emit_or_fail(parse.parse(bytes, "file://" .. abs))
end
