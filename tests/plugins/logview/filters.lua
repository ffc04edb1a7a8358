-- Filters against grep, driven by tests/plugins/logview.t: for the log
-- given as arg[1], runs each case of the table file arg[2] ("id<TAB>cmd
-- ;cmd..." lines) as a user would (log-filter-*, write-visible) and writes
-- arg[3]/ID.out plus "ID shown total" lines on stdout, which the wrapper
-- compares with grep's answers.
local log, cases, out = arg[1], arg[2], arg[3]
local b = assert(brisk.open(log))
b:mode("log")
for line in io.lines(cases) do
	local id, cmds = line:match("^(%S+)\t(.*)$")
	brisk.command("log-filter-clear")
	for cmd in cmds:gmatch("[^\31]+") do
		if not brisk.command(cmd) then print(id .. " FAILED " .. cmd) end
	end
	brisk.command("write-visible " .. out .. "/" .. id .. ".out")
	local shown, total = b:filter_stats()
	print(id, shown, total)
end
brisk.quit()
