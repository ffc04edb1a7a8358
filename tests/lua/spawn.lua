-- brisk.spawn: streaming, lines, exit codes, stdin, kill, a flooding child.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()

local function spawn(opts, what, check)
  local done = T.wait(what)
  local on_exit = opts.on_exit
  opts.on_exit = function(code, sig)
    if on_exit then on_exit(code, sig) end
    local ok, e = pcall(check, code, sig)
    if not ok then T.ok(false, what .. " (check raised)", e) end
    done()
  end
  return brisk.spawn(opts)
end

-- streaming: raw chunks, newlines kept, everything before on_exit
local chunks, bytes, lines = 0, 0, 0
spawn({cmd = "seq", args = {"1", "100000"},
  on_stdout = function(d) chunks = chunks + 1; bytes = bytes + #d; for _ in d:gmatch("\n") do lines = lines + 1 end end},
  "seq", function(code)
    T.is(code, 0, "seq: exit code 0")
    T.is(lines, 100000, "seq: every line arrived before on_exit")
    T.is(bytes, 588895, "seq: every byte arrived")
    T.ok(chunks > 1, "seq: output streamed in several chunks", chunks)
  end)

-- lines mode: one line per call, without the newline; a last partial line too
local got = {}
spawn({cmd = "printf", args = {"a\\nbb\\n\\nlast"}, lines = true, on_stdout = function(l) got[#got + 1] = l end},
  "lines", function(code)
    T.is(table.concat(got, "|"), "a|bb||last", "lines = true: lines without newline, empty and partial ones kept")
  end)

-- stderr, exit codes, numbers as arguments
local err = ""
spawn({cmd = "sh", args = {"-c", "echo oops >&2; exit $0", 7}, on_stderr = function(d) err = err .. d end},
  "exit code", function(code, sig)
    T.is(code, 7, "exit code passed to on_exit")
    T.is(sig, nil, "no signal for a normal exit")
    T.is(err, "oops\n", "stderr delivered")
  end)

-- stdin: write, then close
local sorted = {}
local p = spawn({cmd = "sort", lines = true, on_stdout = function(l) sorted[#sorted + 1] = l end},
  "stdin", function(code)
    T.is(table.concat(sorted, ","), "a,b,c", "stdin written and closed: sort saw it all")
  end)
T.ok(p:write("c\nb\n"), "write returns true")
p:write("a\n")
p:close_stdin()
local ok, msg = p:write("x")
T.ok(ok == nil and msg:find("closed"), "write after close_stdin: nil, message", msg)

-- a big write that does not fit in the pipe at once
local big, count = ("y"):rep(1000000), 0
local wc = spawn({cmd = "wc", args = {"-c"}, on_stdout = function(d) count = tonumber(d:match("%d+")) end},
  "big stdin", function(code) T.is(count, 1000000, "1 MB written to stdin without blocking") end)
wc:write(big)
wc:close_stdin()

-- env and cwd
local out = ""
spawn({cmd = "sh", args = {"-c", "echo $BRISK_T:${HOME-unset}:$(pwd)"}, env = {BRISK_T = "v", HOME = false}, cwd = "/",
  on_stdout = function(d) out = out .. d end},
  "env", function() T.is(out, "v:unset:/\n", "env adds and removes variables, cwd is used") end)

-- kill, with the default signal and by name
local sleeper = spawn({cmd = "sleep", args = {"30"}}, "kill", function(code, sig)
  T.is(sig, 15, "kill(): SIGTERM")
  T.is(code, 143, "killed: code is 128 + signal")
end)
T.is(type(sleeper.pid), "number", ".pid is a number")
T.ok(sleeper:running(), "running() while it runs")
brisk.timer(50, function() T.ok(sleeper:kill(), "kill returns true") end)
local k9 = spawn({cmd = "sleep", args = {"30"}}, "kill 9", function(code, sig)
  T.is(sig, 9, "kill('KILL')")
end)
brisk.timer(50, function() k9:kill("KILL") end)

-- no such program: nil, message (no shell in between)
local none, why = brisk.spawn{cmd = "brisk-no-such-program"}
T.ok(none == nil and why:find("No such file"), "missing program: nil, message", why)
local lit = ""
spawn({cmd = "echo", args = {"$HOME;", "*"}, on_stdout = function(d) lit = lit .. d end},
  "no shell", function() T.is(lit, "$HOME; *\n", "arguments reach the program as they are (no shell)") end)

-- a flooding child: timers keep running, memory stays bounded
local flood_bytes, ticks, maxmem = 0, 0, 0
local t_start = T.ms()
local flood = spawn({cmd = "yes", args = {"flood"}, on_stdout = function(d)
    flood_bytes = flood_bytes + #d
    local m = collectgarbage("count")
    if m > maxmem then maxmem = m end
  end}, "flood", function(code, sig)
    T.ok(sig ~= nil, "flooding child killed")
    T.ok(ticks >= 10, "a 20 ms timer kept firing during the flood", ticks)
    T.ok(flood_bytes > 1000000, "the flood was read", flood_bytes)
    T.ok(maxmem < 64 * 1024, "Lua memory stayed bounded (< 64 MB)", maxmem)
  end)
local tick = brisk.timer(20, function() ticks = ticks + 1 end, {["repeat"] = true})
brisk.timer(500, function()
  tick:cancel()
  print(("# flood: %d ticks of 20 ms in %.0f ms, %.1f MB read"):format(ticks, T.ms() - t_start, flood_bytes / 1e6))
  flood:kill()
end)

T.go(20000)
