-- SPDX-License-Identifier: Apache-2.0
-- Shared by the scenarios: files of ids and tokens, a status tally, and one JSON line of
-- results printed by done() for bench/report.py.
local M = {}

function M.lines(path)
  local t = {}
  if path and path ~= "" then
    for line in io.lines(path) do
      if line ~= "" then t[#t + 1] = line end
    end
  end
  return t
end

-- "role token" lines → { role = { tokens… }, all = { tokens… } }
function M.tokens(path)
  local by = { all = {} }
  for _, line in ipairs(M.lines(path)) do
    local role, token = line:match("^(%S+)%s+(%S+)$")
    if role then
      by[role] = by[role] or {}
      table.insert(by[role], token)
      table.insert(by.all, token)
    end
  end
  return by
end

function M.pick(list) return list[math.random(#list)] end

-- Threads remember their tallies; done() adds them up.
local threads = {}
function M.setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function M.tally_response(status)
  if status >= 200 and status < 300 then ok_count = ok_count + 1
  elseif status == 409 then conflict_count = conflict_count + 1
  else other_count = other_count + 1 end
end

function M.done(name, summary, latency, tallied)
  local ok, conflict, other = 0, 0, 0
  if tallied then
    for _, t in ipairs(threads) do
      ok = ok + (t:get("ok_count") or 0)
      conflict = conflict + (t:get("conflict_count") or 0)
      other = other + (t:get("other_count") or 0)
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"scenario":"%s","requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p95_ms":%.3f,"p99_ms":%.3f,' ..
    '"socket_errors":%d,"status_errors":%d,"tallied":%s,"ok":%d,"conflict":%d,"other":%d}\n',
    name, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, tallied and "true" or "false", ok, conflict, other))
end

return M
