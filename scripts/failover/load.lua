-- SPDX-License-Identifier: Apache-2.0
-- wrk script of the failover test (scripts/failover-test.sh): a signed-in doctor's mixed workload
-- (patient search, patient read, the week's appointments, vitals recorded with an
-- Idempotency-Key) paced to FAILOVER_RATE requests/s in all, and every response logged.
-- Run with as many threads as connections (wrk -t N -c N): one request in flight per thread,
-- so each response is matched to its request; a request that gets no response (connection
-- refused or reset, timeout) is logged with status 0 when the thread sends its next one.
-- Files in FAILOVER_DIR: token (the bearer token), practitioner (the doctor's id), patients
-- ("ID NAME-PREFIX" lines), today (YYYY-MM-DD), phase (the current phase, rewritten by the test), written: load-N.log, one line a
-- response: unix-time phase method path status latency-ms idempotency-key created-id note
-- (replayed, or retry-after=N).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } ms_timespec;
int clock_gettime(int clock, ms_timespec *tp);
]]
local ts = ffi.new("ms_timespec")
local function now_ms()
  ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME: the test's phase times are wall-clock times
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local dir, log, token, today, run, practitioner
local patients = {}
local period, last_latency, seq = 0, 0, 0
local phase, phase_checked = "start", 0
local pending, calls = nil, 0

local function read(name)
  local f = assert(io.open(dir .. "/" .. name))
  local s = f:read("*a")
  f:close()
  return (s:gsub("%s+$", ""))
end

function init(args)
  dir = assert(os.getenv("FAILOVER_DIR"), "FAILOVER_DIR")
  token = read("token")
  today = read("today")
  practitioner = read("practitioner")
  run = os.getenv("FAILOVER_RUN") or "run"
  for line in io.lines(dir .. "/patients") do
    local pid, name = line:match("^(%S+)%s+(%S+)")
    if pid then patients[#patients + 1] = { id = pid, prefix = name } end
  end
  assert(#patients > 0, "no patients in " .. dir .. "/patients")
  local rate = tonumber(os.getenv("FAILOVER_RATE") or "1000")
  local connections = tonumber(os.getenv("FAILOVER_CONNECTIONS") or "1")
  period = 1000 * connections / rate
  math.randomseed(id * 7919 + os.time())
  log = assert(io.open(dir .. "/load-" .. id .. ".log", "w"))
  log:setvbuf("line")
end

local function write(r, status, latency, created, replayed)
  log:write(string.format("%.3f %s %s %s %d %.2f %s %s %s\n", r.t / 1000, r.phase, r.method, r.path, status,
    latency, r.key or "-", created or "-", replayed or "-"))
end

local function header(headers, name)
  return headers[name] or headers[name:lower()]
end

function request()
  local t = now_ms()
  calls = calls + 1
  -- wrk calls the first thread's request() once to check the script; that one is never sent.
  local checking = id == 1 and calls == 1
  if pending then write(pending, 0, t - pending.t) end
  if t - phase_checked > 200 then
    local f = io.open(dir .. "/phase")
    if f then
      phase = f:read("*l") or phase
      f:close()
    end
    phase_checked = t
  end
  seq = seq + 1
  local p = patients[math.random(#patients)]
  local x = math.random(100)
  local hdrs = { ["Authorization"] = "Bearer " .. token }
  local r = { t = t, phase = phase }
  local body
  if x <= 40 then
    r.method, r.path = "GET", "/api/v1/patients?q=" .. p.prefix
  elseif x <= 75 then
    r.method, r.path = "GET", "/api/v1/patients/" .. p.id
  elseif x <= 90 then
    r.method, r.path = "GET", "/api/v1/appointments?practitioner_id=" .. practitioner .. "&date=" .. today .. "&view=week"
  else
    r.method, r.path = "POST", "/api/v1/patients/" .. p.id .. "/vitals"
    -- The body follows from the sequence number, so that the test can send the same request
    -- again with the same key.
    r.key = string.format("%s-%d-%d", run, id, seq)
    body = string.format('{"systolic_mmhg":%d,"diastolic_mmhg":%d,"heart_rate_bpm":%d}', 100 + seq % 60,
      60 + seq % 30, 50 + seq % 50)
    hdrs["Idempotency-Key"] = r.key
    hdrs["Content-Type"] = "application/json"
  end
  if not checking then pending = r end
  return wrk.format(r.method, r.path, hdrs, body)
end

function response(status, headers, body)
  local t = now_ms()
  local r = pending
  pending = nil
  if not r then return end
  last_latency = t - r.t
  local created, replayed
  if r.method == "POST" then
    if status >= 200 and status < 300 then created = body:match('"id"%s*:%s*"([^"]+)"') or "?" end
    replayed = header(headers, "Idempotent-Replayed") and "replayed"
  end
  if header(headers, "Retry-After") then replayed = "retry-after=" .. header(headers, "Retry-After") end
  write(r, status, last_latency, created, replayed)
end

-- Paced: each connection waits what is left of its period after the last response.
function delay()
  local d = period - last_latency
  if d < 0 then return 0 end
  return d
end
