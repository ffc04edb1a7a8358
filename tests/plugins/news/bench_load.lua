-- Load on a news service: CLIENTS sync clients start at once, each does a
-- full sync then ROUNDS syncs from its cursor (50 ms apart), all through
-- libcurl's multi interface in this one process, so the times are the
-- service's and the network's, not a client's scheduler. Prints the
-- latency percentiles and the statuses.
-- usage: brisk --headless -l tests/plugins/news/bench_load.lua BASE TOKEN CLIENTS ROUNDS
local base, token = arg[1], arg[2]
local clients, rounds = tonumber(arg[3]) or 20, tonumber(arg[4]) or 20
local lat, codes, errors = {}, {}, 0
local running = clients

local function report()
	table.sort(lat)
	local n = #lat
	local function p(q) return lat[math.min(n, math.max(1, math.ceil(q * n)))] end
	local st = {}
	for code, k in pairs(codes) do st[#st + 1] = code .. ": " .. k end
	table.sort(st)
	print(("%d clients x %d syncs: %d answered (%s), %d errors; latency ms: median %.1f, p90 %.1f, p99 %.1f, max %.1f"):format(
		clients, rounds + 1, n, table.concat(st, ", "), errors, p(0.5), p(0.9), p(0.99), lat[n] or 0))
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
					lat[#lat + 1] = (brisk.clock() - t0) * 1000
					codes[resp.status] = (codes[resp.status] or 0) + 1
					local d = resp.status == 200 and brisk.json.decode(resp.body)
					if d then cursor = d.cursor end
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
