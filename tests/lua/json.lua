-- brisk.json: round trips, null, arrays vs objects, escapes, errors.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local J = brisk.json

local function deep_eq(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b and math.type(a) == math.type(b) end
  for k, v in pairs(a) do if not deep_eq(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local v = {name = "brisk", n = 42, f = 1.5, big = 9007199254740993, neg = -7, t = true, no = false,
  list = {1, "two", {three = 3}}, empty_obj = {}, empty_arr = J.array(), z = J.null,
  s = "quote\" backslash\\ nl\n tab\t ctl\1 é 😀"}
local s = assert(J.encode(v))
local back = assert(J.decode(s))
T.ok(deep_eq(v, back), "round trip keeps every value and type", s)
T.is(J.encode(back), s, "encode(decode(s)) == s")
T.is(J.encode({b = 1, a = {2, 3}}), '{"a":[2,3],"b":1}', "keys sorted, arrays as []")
T.is(J.encode({}), "{}", "empty table is an object")
T.is(J.encode(J.array({})), "[]", "brisk.json.array makes an empty array")
T.is(J.encode(3.0), "3.0", "floats stay floats")
T.is(math.type(J.decode("3")), "integer", "integers decode as integers")
T.is(math.type(J.decode("3.0")), "float", "floats decode as floats")
T.is(J.decode("1e400"), math.huge, "huge numbers become inf")
T.is(J.encode("\u{2028}<>&"), '"\u{2028}<>&"', "non-ASCII passes through as UTF-8")
T.is(J.decode('"\\u00e9\\ud83d\\ude00\\n\\/"'), "é😀\n/", "\\u escapes and surrogate pairs")
T.is(J.decode("null"), J.null, "null is brisk.json.null")
T.is(J.decode("[1,null,3]")[2], J.null, "null keeps array positions")
T.is(#J.decode("[1,null,3]"), 3, "array length with nulls")
T.is(J.encode({1, 2, nil, 4}), '{"1":1,"2":2,"4":4}', "sparse arrays become objects")
T.is(J.encode({a = {b = {}}}, {indent = true}), '{\n  "a": {\n    "b": {}\n  }\n}', "indent")
T.is(J.decode(J.encode(("x"):rep(100000))), ("x"):rep(100000), "long strings")

for _, bad in ipairs{"", "[1,]", "{a:1}", '{"a" 1}', "01", "[1] x", '"\\ud800"', '"\\x"', "nul", "'s'",
    '"tab\there"', ("["):rep(1000)} do
  local r, e = J.decode(bad)
  T.ok(r == nil and type(e) == "string" and e:find("^json: "), ("decode error for %q"):format(bad:sub(1, 20)), e)
end
for _, bad in ipairs{{function() end}, {math.huge}, {0/0}, {"\xff"}, {[true] = 1}} do
  local r, e = J.encode(bad)
  T.ok(r == nil and type(e) == "string", "encode error: " .. tostring(e), e)
end
local cyc = {}; cyc.self = cyc
T.ok(J.encode(cyc) == nil, "cycles are an error, not a crash")
T.ok(not pcall(J.decode, {}), "decode of a non-string raises")
T.finish()
