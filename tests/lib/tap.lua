-- Numbered TAP helpers shared by the plugin test suites (run under
-- `brisk --headless -l`): ok/eq, file read/write, and done() which prints
-- the plan and makes the exit status the result. A suite's own lib.lua
-- loads this file and adds what only it needs:
--   local T = assert(loadfile(root .. "/tests/lib/tap.lua", "t", _ENV))()
local T = {n = 0, failed = 0}

local function show(v)
	if type(v) == "string" then return ("%q"):format(#v > 200 and v:sub(1, 200) .. "..." or v) end
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

function T.done()
	print(("1..%d"):format(T.n))
	if T.failed > 0 then print(("# %d of %d failed"):format(T.failed, T.n)) end
	io.stdout:flush()
	os.exit(T.failed == 0 and 0 or 1)
end

-- The repository root, from a test script's path below tests/plugins/NAME/.
function T.root_of(script, suite)
	local root = (script or ""):match("^(.*)/tests/plugins/" .. suite .. "/[^/]*$") or "."
	if root:sub(1, 1) ~= "/" then root = (os.getenv("PWD") or ".") .. "/" .. root end
	return root
end

return T
