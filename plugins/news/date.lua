-- news.date: feed dates to integer Unix seconds (UTC), in pure Lua.
-- RFC 822/1123 (with the odd zones and two-digit years real feeds use),
-- RFC 3339 / ISO 8601 (fractions truncated), and a few common variants.
-- Tried before brisk.time.parse so results do not depend on the host's TZ.
local M = {}

-- Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
local function days_from_civil(y, m, d)
	if m <= 2 then y = y - 1 end
	local era = (y >= 0 and y or y - 399) // 400
	local yoe = y - era * 400
	local mp = (m + 9) % 12
	local doy = (153 * mp + 2) // 5 + d - 1
	local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
	return era * 146097 + doe - 719468
end

-- Calendar date of a day number (inverse of days_from_civil).
local function civil_from_days(z)
	z = z + 719468
	local era = (z >= 0 and z or z - 146096) // 146097
	local doe = z - era * 146097
	local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
	local y = yoe + era * 400
	local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
	local mp = (5 * doy + 2) // 153
	local d = doy - (153 * mp + 2) // 5 + 1
	local m = mp < 10 and mp + 3 or mp - 9
	if m <= 2 then y = y + 1 end
	return y, m, d
end

--- "YYYY-MM-DD" (UTC) of a Unix time.
function M.day(t)
	return string.format("%04d-%02d-%02d", civil_from_days(math.floor(t) // 86400))
end

--- "YYYY-MM-DD HH:MM" (UTC) of a Unix time.
function M.format(t)
	t = math.floor(t)
	local y, m, d = civil_from_days(t // 86400)
	local s = t % 86400
	return string.format("%04d-%02d-%02d %02d:%02d", y, m, d, s // 3600, s % 3600 // 60)
end

local mdays = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

--- Seconds since the epoch for a UTC calendar time; nil when out of range.
function M.timegm(y, mo, d, h, mi, s)
	if mo < 1 or mo > 12 or d < 1 or d > mdays[mo] then return nil end
	if h > 24 or mi > 59 or s > 60 then return nil end
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
end

local months = {
	jan = 1, feb = 2, mar = 3, apr = 4, may = 5, jun = 6, jul = 7, aug = 8,
	sep = 9, oct = 10, nov = 11, dec = 12,
	-- a few non-English abbreviations seen in feeds
	mrz = 3, mai = 5, okt = 10, dez = 12, avr = 4, juil = 7, janv = 1,
	sept = 9, june = 6, july = 7,
}

-- Zone names to offsets in minutes east of UTC.
local zones = {
	ut = 0, utc = 0, gmt = 0, z = 0, wet = 0, bst = 60, ist = 330,
	est = -300, edt = -240, cst = -360, cdt = -300, mst = -420, mdt = -360,
	pst = -480, pdt = -420, akst = -540, akdt = -480, hst = -600,
	ast = -240, adt = -180, nst = -210, ndt = -150,
	cet = 60, cest = 120, met = 60, mest = 120, eet = 120, eest = 180,
	west = 60, msk = 180, msd = 240, jst = 540, kst = 540, hkt = 480,
	sgt = 480, awst = 480, acst = 570, acdt = 630, aest = 600, aedt = 660,
	nzst = 720, nzdt = 780, pkt = 300, wib = 420,
}
-- RFC 822 military zones (A-I, K-M east, N-Y west; J unused).
do
	local east = "abcdefghiklm"
	for i = 1, #east do zones[east:sub(i, i)] = (i) * 60 end
	local west = "nopqrstuvwxy"
	for i = 1, #west do zones[west:sub(i, i)] = -i * 60 end
end

local function offset(z)
	if z == nil or z == "" then return 0 end
	local sign, hh, mm = z:match("^([+-])(%d%d):?(%d%d)$")
	if not sign then
		sign, hh = z:match("^([+-])(%d%d?)$")
		mm = "0"
	end
	if sign then
		local o = tonumber(hh) * 60 + tonumber(mm)
		return sign == "-" and -o or o
	end
	-- "GMT+2", "UTC-05:00"
	local name, rest = z:match("^(%a+)([+-].*)$")
	if name and zones[name:lower()] then
		local o = offset(rest)
		if o then return zones[name:lower()] + o end
	end
	return zones[z:lower()]
end

local function year(y)
	y = tonumber(y)
	if y < 50 then return 2000 + y end
	if y < 100 then return 1900 + y end
	return y
end

local function rfc3339(s)
	local y, mo, d, rest = s:match("^(%d%d%d%d)-(%d%d)-(%d%d)(.*)$")
	if not y then
		y, mo, d, rest = s:match("^(%d%d%d%d)(%d%d)(%d%d)(.*)$")
	end
	if not y then return nil end
	local h, mi, sec, z = 0, 0, 0, ""
	if rest ~= "" then
		local hh, mm, tail = rest:match("^[Tt ]%s*(%d%d):?(%d%d)(.*)$")
		if not hh then return nil end
		h, mi = tonumber(hh), tonumber(mm)
		local ss, tail2 = tail:match("^:?(%d%d)(.*)$")
		if ss then sec = tonumber(ss); tail = tail2 end
		tail = tail:gsub("^[.,]%d+", "")
		z = tail:match("^%s*(.-)%s*$")
	end
	local off = offset(z)
	if not off then return nil end
	local t = M.timegm(tonumber(y), tonumber(mo), tonumber(d), h, mi, sec)
	return t and t - off * 60
end

local function rfc822(s)
	-- day name and comma are optional; "Sun," "Sunday," "Sun"
	s = s:gsub("^%a+,?%s*", function(w)
		if months[w:match("%a+"):lower():sub(1, 3)] and not w:find(",") then
			return w
		end
		return ""
	end)
	local d, mon, y, rest = s:match("^(%d%d?)[%s-]+(%a+)%.?[%s-]+(%d%d%d?%d?)%s*(.*)$")
	if not d then
		-- "March 21, 2018 10:27:32 +0300" / "Mar 21 2018"
		mon, d, y, rest = s:match("^(%a+)%.?%s+(%d%d?),?%s+(%d%d%d%d)%s*(.*)$")
	end
	if not d then return nil end
	local m = months[mon:lower()] or months[mon:lower():sub(1, 3)]
	if not m then return nil end
	local h, mi, sec, z = 0, 0, 0, ""
	if rest ~= "" then
		local hh, mm, tail = rest:match("^(%d%d?):(%d%d)(.*)$")
		if not hh then return nil end
		h, mi = tonumber(hh), tonumber(mm)
		local ss, tail2 = tail:match("^:(%d%d)(.*)$")
		if ss then sec = tonumber(ss); tail = tail2 end
		tail = tail:gsub("^[.,]%d+", "")
		z = tail:match("^%s*(%S*)")
		-- "+0000 (UTC)" and similar comments after the zone
	end
	local off = offset(z)
	if not off then off = 0 end
	local t = M.timegm(year(y), m, tonumber(d), h, mi, sec)
	return t and t - off * 60
end

--- Parses a date string; integer seconds or nil.
function M.parse(s)
	if type(s) ~= "string" then return nil end
	s = s:match("^%s*(.-)%s*$")
	if s == "" then return nil end
	if s:match("^%d%d%d%d%-?%d%d") then
		local t = rfc3339(s)
		if t then return t end
	end
	return rfc822(s)
end

return M
