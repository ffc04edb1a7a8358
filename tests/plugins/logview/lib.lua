-- Test helpers for tests/plugins/logview/*.lua (run by tests/plugins/logview.t
-- under `brisk --headless -l`): "ok - ..." lines (the wrapper numbers
-- them), samples read from tests/data, and waiting for asynchronous
-- conditions on timers (never a busy loop).
-- ok/is/write and the "ok - ..." line format come from tests/lua/tap.lua.
local T = assert(loadfile("tests/lua/tap.lua", "t", _ENV))()

T.samples = os.getenv("LOGVIEW_SAMPLES") or "tests/data"
T.tmp = os.getenv("LOGVIEW_TMP") or "/tmp"

function T.done()
	print(("# %d checks, %d failed"):format(T.count, T.failed))
	io.stdout:flush()
	os.exit(T.failed == 0 and 0 or 1)
end

--- The files of a sample folder (sorted); fails the run when it is missing.
function T.sample_files(sub)
	local dir = T.samples .. "/" .. sub
	local names = brisk.list_dir(dir)
	if not names or #names == 0 then
		T.ok(false, "samples in " .. dir, "missing: the tests read tests/data")
		T.done()
	end
	return dir, names
end

-- Unlike tap.lua's, a missing file is an error here.
function T.read(path)
	local f = assert(io.open(path, "rb"))
	local s = f:read("a")
	f:close()
	return s
end

function T.lines_of(s)
	local out = {}
	for l in s:gmatch("([^\n]*)\n") do out[#out + 1] = l end
	local last = s:match("[^\n]+$")
	if last then out[#out + 1] = last end
	return out
end

--- Runs steps in order; each step is fn(next) and calls next() when done
-- (synchronously or from a callback). T.done() after the last one.
function T.steps(list)
	local i = 0
	local function nxt()
		i = i + 1
		if i > #list then return T.done() end
		list[i](nxt)
	end
	nxt()
end

--- Polls cond() every 20 ms until it holds (then k(true)) or ms pass (k(false)).
function T.eventually(cond, ms, k)
	local t0 = brisk.clock()
	local function poll()
		if cond() then return k(true) end
		if (brisk.clock() - t0) * 1000 > ms then return k(false) end
		brisk.timer(20, poll)
	end
	poll()
end

return T
