-- SPDX-License-Identifier: Apache-2.0
-- A staff day in one mix: 35 % search, 25 % open a patient, 15 % the chart summary, 15 % vitals
-- recorded by nurses and doctors, 10 % bookings by the front desk on random free slots (a slot
-- already taken answers 409, which is tallied apart from errors).
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens = c.tokens(os.getenv("TOKENS"))
local clinical = {}
for _, r in ipairs({ "doctor", "nurse" }) do for _, t in ipairs(tokens[r] or {}) do clinical[#clinical + 1] = t end end
local desk = tokens.secretary or tokens.all
local everyone = tokens.all
local terms = c.lines(os.getenv("BENCH_LUA") .. "/search_terms.txt")
local doctors = c.lines(os.getenv("DOCTORS"))
local patients = c.lines(os.getenv("IDS"))
local base = tonumber(os.getenv("BASE_EPOCH"))
setup = c.setup

function init()
  math.randomseed(os.time() + (id or 0) * 7919)
  ok_count, conflict_count, other_count = 0, 0, 0
end

local function auth(list, extra)
  local h = extra or {}
  h["Authorization"] = "Bearer " .. c.pick(list)
  return h
end

request = function()
  local r = math.random(100)
  if r <= 35 then
    return wrk.format("GET", "/api/v1/patients?limit=20&q=" .. c.pick(terms):gsub(" ", "%%20"), auth(everyone))
  elseif r <= 60 then
    return wrk.format("GET", "/api/v1/patients/" .. c.pick(patients), auth(everyone))
  elseif r <= 75 then
    return wrk.format("GET", "/api/v1/patients/" .. c.pick(patients) .. "/summary", auth(clinical))
  elseif r <= 90 then
    local body = string.format('{"systolic_mmhg":%d,"diastolic_mmhg":%d,"heart_rate_bpm":%d,"weight_kg":%d.%d}',
      math.random(100, 160), math.random(60, 95), math.random(50, 110), math.random(45, 110), math.random(0, 9))
    return wrk.format("POST", "/api/v1/patients/" .. c.pick(patients) .. "/vitals",
      auth(clinical, { ["Content-Type"] = "application/json" }), body)
  else
    local practitioner, type_id = c.pick(doctors):match("^(%S+)%s+(%S+)$")
    local start = base + math.random(0, 200 * 72) * 20 * 60
    local body = string.format('{"practitioner_id":"%s","patient_id":"%s","type_id":"%s","start":"%s"}',
      practitioner, c.pick(patients), type_id, os.date("!%Y-%m-%dT%H:%M:00Z", start))
    return wrk.format("POST", "/api/v1/appointments", auth(desk, { ["Content-Type"] = "application/json" }), body)
  end
end

response = function(status) c.tally_response(status) end
done = function(summary, latency, requests) c.done("mixed", summary, latency, true) end
