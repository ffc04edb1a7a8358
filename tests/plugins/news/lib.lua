-- Test helpers for the news plugin tests (run by `brisk --headless -l`):
-- TAP-style lines on stdout, os.exit status = result.
local script = arg and arg[0] or ""
local here = script:match("^(.*)/[^/]*$") or "."
local T = assert(loadfile(here .. "/../../lib/tap.lua", "t", _ENV))()

-- The repository root, from this script's own path (tests/plugins/news/x.lua).
T.root = T.root_of(script, "news")
T.dir = T.root .. "/tests/plugins/news"
T.samples = T.root .. "/tests/data/feeds"
package.path = T.root .. "/plugins/?.lua;" .. T.root .. "/plugins/?/init.lua;" .. package.path

-- A path for a scratch file: in $NEWS_TEST_TMP (the .t wrapper makes
-- one with mktemp -d and removes it), else /tmp, unique per run.
local run_id = string.format("%d-%d", os.time(), math.random(1, 1e9))
function T.tmp(name)
	local base = os.getenv("NEWS_TEST_TMP") or os.getenv("TMPDIR") or "/tmp"
	return string.format("%s/news-%s-%s", base, run_id, name)
end

return T
