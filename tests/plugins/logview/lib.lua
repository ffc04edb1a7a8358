-- Test helpers for tests/plugins/logview/*.lua (run by tests/plugins/logview.t
-- under `brisk --headless -l`): "ok - ..." lines (the wrapper numbers
-- them), samples read from ../shared/samples, and waiting for asynchronous
-- conditions on timers (never a busy loop).
local T = { failed = 0, count = 0 }

T.samples = os.getenv("LOGVIEW_SAMPLES") or "../shared/samples"
T.tmp = os.getenv("LOGVIEW_TMP") or "/tmp"

function T.ok(cond, desc, diag)
	T.count = T.count + 1
	if cond then
		print("ok - " .. desc)
	else
		T.failed = T.failed + 1
		print("not ok - " .. desc)
		if diag ~= nil then print("# " .. tostring(diag):gsub("\n", "\n# ")) end
	end
	return cond
end

function T.is(got, want, desc)
	return T.ok(got == want, desc, ("got %s, want %s"):format(tostring(got), tostring(want)))
end

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
		T.ok(false, "samples in " .. dir, "missing: the tests read ../shared/samples")
		T.done()
	end
	return dir, names
end

function T.read(path)
	local f = assert(io.open(path, "rb"))
	local s = f:read("a")
	f:close()
	return s
end

function T.write(path, s, mode)
	local f = assert(io.open(path, mode or "wb"))
	f:write(s)
	f:close()
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
