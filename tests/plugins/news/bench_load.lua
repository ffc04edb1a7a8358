-- Load on a news service: CLIENTS sync clients start at once, each does a
-- full sync then ROUNDS syncs from its cursor (50 ms apart), all through
-- libcurl's multi interface in this one process, so the times are the
-- service's and the network's, not a client's scheduler. Prints the
-- latency percentiles and the statuses.
-- usage: brisk --headless -l tests/plugins/news/bench_load.lua BASE TOKEN CLIENTS ROUNDS
local base, token = arg[1], arg[2]
local clients, rounds = tonumber(arg[3]) or 20, tonumber(arg[4]) or 20
local lat, first, codes, errors = {}, {}, {}, 0
local running = clients

local function pct(t, q)
	return t[math.min(#t, math.max(1, math.ceil(q * #t)))] or 0
end

local function report()
	local all = {}
	for _, v in ipairs(first) do all[#all + 1] = v end
	for _, v in ipairs(lat) do all[#all + 1] = v end
	table.sort(all)
	table.sort(first)
	table.sort(lat)
	local st = {}
	for code, k in pairs(codes) do st[#st + 1] = code .. ": " .. k end
	table.sort(st)
	print(("%d clients x %d syncs: %d answered (%s), %d errors; latency ms: median %.1f, p90 %.1f, p99 %.1f, max %.1f; the %d first (full) syncs at once: max %.1f; the syncs after them: p99 %.1f"):format(
		clients, rounds + 1, #all, table.concat(st, ", "), errors, pct(all, 0.5), pct(all, 0.9),
		pct(all, 0.99), all[#all] or 0, #first, first[#first] or 0, pct(lat, 0.99)))
end

local function client(k)
	local cursor, r = nil, 0
	local function one()
		r = r + 1
		local t0 = brisk.clock()
		brisk.http.request{url = base .. "/api/v1/sync" .. (cursor and ("?since=" .. cursor) or ""),
			headers = {Authorization = "Bearer " .. token, ["X-Client"] = "bench" .. k},
			on_response = function(resp)
				if resp.error then
					errors = errors + 1
				else
					local into = r == 1 and first or lat
					into[#into + 1] = (brisk.clock() - t0) * 1000
					codes[resp.status] = (codes[resp.status] or 0) + 1
					-- the cursor only: decoding whole answers here would delay
					-- the other clients' responses in this one process
					local c = resp.status == 200 and resp.body:match('"cursor":"([%w%-]+)"')
					if c then cursor = c end
				end
				if r <= rounds then
					brisk.timer(50, one)
				else
					running = running - 1
					if running == 0 then report() end
				end
			end}
	end
	one()
end

for k = 1, clients do client(k) end
