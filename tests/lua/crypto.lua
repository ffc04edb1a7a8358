-- brisk.crypto: random tokens, constant-time equality, HMAC, secret files.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local dir = (os.getenv("TMPDIR") or "/tmp") .. "/brisk-crypto-" .. math.random(1, 1e9)

local a, b = brisk.crypto.random(32), brisk.crypto.random(32)
T.ok(#a == 64 and a:match("^%x+$"), "random(32): 64 hex digits", a)
T.ok(a ~= b, "random: two draws differ")
T.ok(not pcall(brisk.crypto.random, 0) and not pcall(brisk.crypto.random, 5000), "random: 1 to 1024 bytes")

T.is(brisk.crypto.equal("s3cret", "s3cret"), true, "equal: same strings")
T.is(brisk.crypto.equal("s3cret", "s3creT"), false, "equal: last byte differs")
T.is(brisk.crypto.equal("s3cret", "s3cret!"), false, "equal: a prefix is not equal")
T.is(brisk.crypto.equal("", ""), true, "equal: empty strings")
T.is(brisk.crypto.equal("a\0b", "a\0c"), false, "equal: 8-bit clean")

-- RFC 4231, test case 2
T.is(brisk.crypto.hmac("Jefe", "what do ya want for nothing?"),
  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "hmac: RFC 4231 vector")

local path = dir .. "/sub/token"
local tok, created = brisk.crypto.secret_file(path)
T.ok(tok and #tok == 64 and created == true, "secret_file: a missing file is made", created)
local again, created2 = brisk.crypto.secret_file(path)
T.ok(again == tok and created2 == false, "secret_file: read back the same secret")
local f = io.open(path, "rb"); local text = f:read("a"); f:close()
T.is(text, tok .. "\n", "secret_file: the file holds the secret and a newline")
local none, msg = brisk.crypto.secret_file(dir .. "/nope", {create = false})
T.ok(none == nil and msg:find("No such file"), "secret_file{create = false}: nil, message", msg)
local short = dir .. "/short"
local sf = io.open(short, "w"); sf:write("abc\n"); sf:close()
local done = T.wait("modes")
-- permissions through stat(1), since Lua has no chmod
local modes = ""
brisk.spawn{cmd = "sh", args = {"-c", 'stat -c %a "$0" "$1"; chmod 600 "$2"; chmod 644 "$0"', path, dir .. "/sub", short},
  lines = true, on_stdout = function(l) modes = modes .. l .. " " end,
  on_exit = function()
    T.ok(modes:find("600 700"), "secret_file: mode 0600, its new folder 0700", modes)
    local r, m = brisk.crypto.secret_file(path)
    T.ok(r == nil and m:find("readable by others"), "secret_file: a file others may read is refused", m)
    local r2, m2 = brisk.crypto.secret_file(short)
    T.ok(r2 == nil and m2:find("shorter"), "secret_file: a secret too short is refused", m2)
    local r3, m3 = brisk.crypto.secret_file(dir)
    T.ok(r3 == nil and m3, "secret_file: a folder is refused", m3)
    os.remove(path); os.remove(short); os.remove(dir .. "/sub"); os.remove(dir)
    done()
  end}
T.go(20000)
