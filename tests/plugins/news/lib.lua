-- Test helpers for the news plugin tests (run by `brisk --headless -l`):
-- TAP-style lines on stdout, os.exit status = result.
local T = { n = 0, failed = 0 }

-- The repository root, from this script's own path (tests/plugins/news/x.lua).
T.root = ((arg and arg[0] or ""):match("^(.*)/tests/plugins/news/[^/]*$")) or "."
if T.root:sub(1, 1) ~= "/" then T.root = (os.getenv("PWD") or ".") .. "/" .. T.root end
T.dir = T.root .. "/tests/plugins/news"
T.samples = T.root .. "/../shared/samples/feeds"
package.path = T.root .. "/plugins/?.lua;" .. T.root .. "/plugins/?/init.lua;" .. package.path

local function show(v)
	if type(v) == "string" then return string.format("%q", v) end
	return tostring(v)
end

function T.ok(cond, name, extra)
	T.n = T.n + 1
	if cond then
		print("ok " .. T.n .. " - " .. name)
	else
		T.failed = T.failed + 1
		print("not ok " .. T.n .. " - " .. name .. (extra and ("  # " .. extra) or ""))
	end
	return cond
end

function T.eq(got, want, name)
	return T.ok(got == want, name, "got " .. show(got) .. ", want " .. show(want))
end

function T.read(path)
	local f, err = io.open(path, "rb")
	if not f then return nil, err end
	local s = f:read("a")
	f:close()
	return s
end

function T.write(path, s)
	local f = assert(io.open(path, "wb"))
	f:write(s)
	f:close()
end

-- A path for a scratch file: in $NEWS_TEST_TMP (the .t wrapper makes
-- one with mktemp -d and removes it), else /tmp, unique per run.
local run_id = string.format("%d-%d", os.time(), math.random(1, 1e9))
function T.tmp(name)
	local base = os.getenv("NEWS_TEST_TMP") or os.getenv("TMPDIR") or "/tmp"
	return string.format("%s/news-%s-%s", base, run_id, name)
end

function T.done()
	print(string.format("1..%d", T.n))
	if T.failed > 0 then
		print(string.format("# %d of %d failed", T.failed, T.n))
	end
	io.stdout:flush()
	os.exit(T.failed == 0 and 0 or 1)
end

return T
