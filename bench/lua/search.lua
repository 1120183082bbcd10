-- SPDX-License-Identifier: Apache-2.0
-- Patient search as the front desk types it: accent-free prefixes of names, one or two terms.
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local terms = c.lines(os.getenv("TERMS") or (os.getenv("BENCH_LUA") .. "/search_terms.txt"))
local tokens = c.tokens(os.getenv("TOKENS")).all
setup = c.setup

function init() math.randomseed(os.time() + (id or 0) * 7919) end

request = function()
  local q = c.pick(terms):gsub(" ", "%%20")
  return wrk.format("GET", "/api/v1/patients?limit=20&q=" .. q, { ["Authorization"] = "Bearer " .. c.pick(tokens) })
end

done = function(summary, latency, requests) c.done(os.getenv("SCENARIO") or "search", summary, latency, false) end
