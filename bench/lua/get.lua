-- SPDX-License-Identifier: Apache-2.0
-- GET <PREFIX><random id> (or just PREFIX without IDS), with a random staff token when TOKENS is given (MediSecure, the
-- FastAPI reference) and none otherwise (Orthanc).
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local ids = c.lines(os.getenv("IDS"))
local tokens = c.tokens(os.getenv("TOKENS") or "").all
local prefix = os.getenv("PREFIX") or "/api/v1/patients/"
local name = os.getenv("SCENARIO") or "get"
setup = c.setup

function init()
  math.randomseed(os.time() + (id or 0) * 7919)
end

request = function()
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. c.pick(tokens) end
  return wrk.format("GET", #ids > 0 and prefix .. c.pick(ids) or prefix, headers)
end

done = function(summary, latency, requests) c.done(name, summary, latency, false) end
