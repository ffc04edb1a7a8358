-- brisk.time: parsing real feeds' dates, format, an overridable now().
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local P = brisk.time.parse
local X = 1710087300 -- 2024-03-10 16:15:00 UTC
for _, c in ipairs{
  {"Sun, 10 Mar 2024 17:15:00 +0100", X}, {"Sun, 10 Mar 2024 16:15:00 GMT", X},
  {"Sun, 10 Mar 2024 16:15:00 UT", X}, {"Sun, 10 Mar 2024 16:15:00 UTC", X},
  {"Sun, 10 Mar 2024 11:15:00 EST", X}, {"Sun, 10 Mar 2024 12:15:00 EDT", X},
  {"Sun, 10 Mar 2024 10:15:00 CST", X}, {"Sun, 10 Mar 2024 11:15:00 CDT", X},
  {"Sun, 10 Mar 2024 09:15:00 MST", X}, {"Sun, 10 Mar 2024 10:15:00 MDT", X},
  {"Sun, 10 Mar 2024 08:15:00 PST", X}, {"Sun, 10 Mar 2024 09:15:00 PDT", X},
  {"Sun, 10 Mar 2024 16:15:00 Z", X}, {"Sun, 10 Mar 2024 16:15:00 A", X},
  {"Sun, 10 Mar 2024 16:15:00 -0000", X}, {"Sun, 10 Mar 2024 21:45:00 +0530", X},
  {"10 Mar 2024 16:15:00 GMT", X}, {"Sun, 10 Mar 2024 16:15 GMT", X},
  {"Sun, 10 Mar 24 16:15:00 GMT", X}, {"Sunday, 10-Mar-24 16:15:00 GMT", X},
  {"Sun Mar 10 16:15:00 2024", X}, {"Sun, 10 March 2024 16:15:00 GMT", X},
  {"  Sun,  10 Mar 2024 16:15:00 GMT  ", X}, {"Sun, 10 Mar 2024 16:15:00 +0000 (UTC)", X},
  {"Sun, 10 Mar 2024 16:15:00", X}, {"Thu, 01 Jan 70 00:00:00 GMT", 0},
  {"Fri, 31 Dec 99 23:59:59 GMT", 946684799}, {"Sat, 29 Feb 2020 12:00:00 GMT", 1582977600},
  {"2024-03-10T16:15:00Z", X}, {"2024-03-10T17:15:00+01:00", X}, {"2024-03-10T11:15:00-05:00", X},
  {"2024-03-10T16:15:00.999Z", X}, {"2024-03-10t16:15:00z", X}, {"2024-03-10 16:15:00", X},
  {"2024-03-10T16:15Z", X}, {"2024-03-10T17:15:00+0100", X}, {"20240310T161500Z", X},
  {"2024-03-10", 1710028800}, {"1969-12-31T23:59:59Z", -1},
  {"", nil}, {"garbage", nil}, {"2024-13-01", nil}, {"2024-02-30", nil},
  {"Mon, 30 Feb 2024 00:00:00 GMT", nil}, {"Sun, 10 Foo 2024 16:15:00 GMT", nil},
  {"2024-03-10T25:00:00Z", nil}, {"Sun, 10 Mar 2024 16:15:00 GMT trailing", nil},
  -- US zone letters are not UTC; an unknown zone is not a date
  {"Sun, 10 Mar 2024 11:15:00 ET", X}, {"Sun, 10 Mar 2024 08:15:00 PT", X},
  {"Sun, 10 Mar 2024 16:15:00 QQT", nil},
  -- short ISO 8601 and other spellings real feeds use (the full table is
  -- tests/unit/test_date.c; these check the binding)
  {"2024-03", 1709251200}, {"2024", 1704067200}, {"240310", 1710028800}, {"2024-070", 1710028800},
  {"2024-W10-7", 1710028800}, {"Sun, 10 Mar, 2024 16:15:00 UTC", X}, {"So, 10 März 2024 17:15:00 +0100", X},
  {"2024-03-10 오후 1:15:00", 1710044100}, {"2024-03-10\0", nil},
} do
  T.is(P(c[1]), c[2], ("parse %q"):format(c[1]))
end
T.is(math.type(P("2024-03-10T16:15:00.5Z")), "integer", "parse returns integers")
T.is(brisk.time.format(0, "%a, %d %b %Y %H:%M:%S GMT"), "Thu, 01 Jan 1970 00:00:00 GMT", "format")
T.is(brisk.time.format(X), "2024-03-10T16:15:00Z", "format default is RFC 3339")
T.is(P(brisk.time.format(X, "%a, %d %b %Y %H:%M:%S GMT")), X, "format/parse round trip")
T.ok(math.abs(brisk.time.now() - os.time()) <= 1, "now() is the current time")
local real = brisk.time.now
brisk.time.now = function() return 42 end
T.is(brisk.time.now(), 42, "now() can be overridden (simulated time)")
brisk.time.now = real
T.finish()
