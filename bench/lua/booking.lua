-- SPDX-License-Identifier: Apache-2.0
-- The booking race: every slot is requested by RACERS consecutive requests of each wrk thread
-- (so by 2 × RACERS connections at once, 8 by default); exactly one may win it, the others must get 409.
-- Slots are 20 minutes apart from BASE_EPOCH, round-robin over the doctors (staff may book
-- outside opening hours). bench.sh then counts overlapping appointments in the database.
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens = c.tokens(os.getenv("TOKENS"))
local staff = tokens.secretary or tokens.all
local doctors = c.lines(os.getenv("DOCTORS"))  -- "practitioner_id type_id"
local patients = c.lines(os.getenv("IDS"))
local base = tonumber(os.getenv("BASE_EPOCH"))
-- The warm-up races for slots of its own, so the measured run finds its slots free.
if os.getenv("BENCH_PHASE") == "warmup" then base = base + 3 * 365 * 86400 end
local racers = tonumber(os.getenv("RACERS") or "4")
setup = c.setup

function init()
  math.randomseed(os.time() + (id or 0) * 7919)
  counter, ok_count, conflict_count, other_count = 0, 0, 0, 0
end

request = function()
  local s = math.floor(counter / racers)
  counter = counter + 1
  local practitioner, type_id = doctors[(s % #doctors) + 1]:match("^(%S+)%s+(%S+)$")
  local start = base + math.floor(s / #doctors) * 20 * 60
  local body = string.format('{"practitioner_id":"%s","patient_id":"%s","type_id":"%s","start":"%s"}',
    practitioner, c.pick(patients), type_id, os.date("!%Y-%m-%dT%H:%M:00Z", start))
  return wrk.format("POST", "/api/v1/appointments",
    { ["Authorization"] = "Bearer " .. c.pick(staff), ["Content-Type"] = "application/json" }, body)
end

response = function(status) c.tally_response(status) end
done = function(summary, latency, requests) c.done("booking", summary, latency, true) end
