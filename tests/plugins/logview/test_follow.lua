-- Following: a generated child streaming 200,000 lines into a read-only
-- log buffer (with a filter kept up to date while it streams, and the loop
-- kept turning), and a file that grows, is truncated, rewritten and
-- rotated (inotify), and one followed by polling.
local T = assert(loadfile("tests/plugins/logview/lib.lua", "t", _ENV))()

local N = 200000

local function count_matching(b, pat)
	local n = 0
	for i = 1, b:lines() do
		local l = b:line(i)
		if l ~= "" or i < b:lines() then
			if l:find(pat) then n = n + 1 end
		end
	end
	return n
end

T.steps{
	-- A child process.
	function(next)
		local last, maxgap, syncs = brisk.clock(), 0, 0
		-- Repeating timers are not pending work, so log-run's wait is the
		-- child's alone. One reads the filter's counts while lines stream
		-- in (as a redraw would), the other measures the loop's turns.
		local tick = brisk.timer(10, function()
			local now = brisk.clock()
			maxgap = math.max(maxgap, now - last)
			last = now
			local b = brisk.buffer()
			if b:mode() == "log" then
				if #b:filter_rules() == 0 then b:filter_add("in", "7$") end
				b:filter_stats()
				syncs = syncs + 1
			end
		end, { ["repeat"] = true })
		local t0 = brisk.clock()
		local ok = brisk.command(("log-run awk 'BEGIN { for (i = 0; i < %d; i++) printf \"%%d cpu%%d tick %%d\\n\", i, i %% 4, i }'"):format(N))
		local dt = brisk.clock() - t0
		tick:cancel()
		local b = brisk.buffer()
		T.ok(ok, "log-run awk ...")
		T.is(b:mode(), "log", "a log buffer")
		T.ok(b:readonly(), "read-only")
		T.is(b:lines(), N + 1, N .. " lines and the empty one after the last newline")
		T.is(b:line(N), (N - 1) .. " cpu" .. ((N - 1) % 4) .. " tick " .. (N - 1), "the last line")
		T.is(b:line(12345), "12344 cpu0 tick 12344", "a line in the middle")
		T.ok(syncs >= 1, "the filter was read while the output streamed in (" .. syncs .. " times)")
		local shown, total = b:filter_stats()
		T.is(total, N, "filter total")
		T.is(shown, N // 10, "filter kept up to date while appending: every 10th line ends in 7")
		b:filter_clear()
		b:filter_add("in", "7$")
		T.is((b:filter_stats()), shown, "the same as a filter built afterwards")
		T.ok(maxgap < 2, ("the loop kept turning: longest pause %.0f ms (%.0f lines/s)"):format(maxgap * 1000, N / dt))
		print(("# %d lines streamed in %.2f s, longest loop pause %.0f ms"):format(N, dt, maxgap * 1000))
		-- A child that fails, and stderr.
		T.ok(brisk.command("log-run sh -c 'echo out; echo err >&2; exit 3'"), "log-run of a failing child")
		local b2 = brisk.buffer()
		local txt = b2:text()
		T.ok(txt:find("out\n", 1, true) and txt:find("err\n", 1, true), "stdout and stderr both in the log", txt)
		T.ok(not brisk.command("log-run"), "log-run without a command fails")
		T.ok(not brisk.command("log-run 'unterminated"), "log-run with bad quoting fails")
		next()
	end,

	-- A growing file.
	function(next)
		local path = T.tmp .. "/grow.log"
		T.write(path, "one\ntwo\n")
		local b = assert(brisk.open(path))
		b:mode("log")
		b:focus()
		T.ok(brisk.command("log-follow"), "log-follow")
		b:set_selections({ { b:len(), b:len() } })
		b:filter_add("in", "o")
		T.write(path, "three\nfour", "ab")
		T.eventually(function() return b:text() == "one\ntwo\nthree\nfour" end, 5000, function(got)
			T.ok(got, "appended text followed (a partial last line too)", b:text())
			T.is(b:cursor(), b:len(), "a cursor at the end stays at the end")
			T.write(path, " more\nfive\n", "ab")
			T.eventually(function() return b:text() == "one\ntwo\nthree\nfour more\nfive\n" end, 5000, function(got2)
				T.ok(got2, "the partial line completed", b:text())
				T.is((b:filter_stats()), 3, "filter follows appends (one, two, four more)")
				b:set_selections({ { 0, 0 } })
				T.write(path, "six\n", "ab")
				T.eventually(function() return b:text():find("six\n", 1, true) end, 5000, function()
					T.is(b:cursor(), 0, "a cursor further up stays put (the view pauses)")
					next()
				end)
			end)
		end)
	end,
	function(next)
		local path = T.tmp .. "/grow.log"
		local b = brisk.buffer()
		T.write(path, "new\n")
		T.eventually(function() return b:text() == "new\n" end, 5000, function(got)
			T.ok(got, "a truncated file is reloaded", b:text())
			T.is((b:filter_stats()), 0, "the filter follows the reload")
			-- Truncated and rewritten past the old size before we looked.
			local long = ("x"):rep(40) .. "\n" .. ("y"):rep(40) .. "\n"
			T.write(path, long)
			T.eventually(function() return b:text() == long end, 5000, function(got2)
				T.ok(got2, "a file rewritten under the same name is reloaded", b:text())
				next()
			end)
		end)
	end,
	function(next)
		local path = T.tmp .. "/grow.log"
		local b = brisk.buffer()
		local before = b:text()
		-- Rotation: the old file gets one more line, then a new file appears.
		assert(os.rename(path, path .. ".1"))
		T.write(path .. ".1", "late\n", "ab")
		T.write(path, "fresh\n")
		T.eventually(function() return b:text() == before .. "late\nfresh\n" end, 5000, function(got)
			T.ok(got, "rotation: the old file's last lines, then the new file", b:text())
			T.write(path, "after\n", "ab")
			T.eventually(function() return b:text() == before .. "late\nfresh\nafter\n" end, 5000, function(got2)
				T.ok(got2, "the new file is followed", b:text())
				T.ok(brisk.command("log-follow off"), "log-follow off")
				T.write(path, "ignored\n", "ab")
				brisk.timer(300, function()
					T.ok(not b:text():find("ignored", 1, true), "not followed any more")
					next()
				end)
			end)
		end)
	end,

	-- Polling instead of inotify.
	function(next)
		local path = T.tmp .. "/poll.log"
		T.write(path, "a\n")
		local b = assert(brisk.open(path))
		b:mode("log")
		b:focus()
		T.ok(brisk.command("log-follow poll"), "log-follow poll")
		T.write(path, "b\n", "ab")
		T.eventually(function() return b:text() == "a\nb\n" end, 5000, function(got)
			T.ok(got, "polling follows appends", b:text())
			T.is(count_matching(b, "^[ab]$"), 2, "two lines")
			next()
		end)
	end,
}
