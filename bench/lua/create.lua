-- SPDX-License-Identifier: Apache-2.0
-- Registering patients (audited writes): random French names and birth dates; a secretary's
-- token; allow_duplicate so that a chance namesake is not a 409.
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens = c.tokens(os.getenv("TOKENS"))
local staff = tokens.secretary or tokens.all
local first = { "Hélène", "Élodie", "Chloé", "Inès", "Gaëlle", "François", "Loïc", "Jérôme", "Noël", "Anne-Sophie",
  "Jean-François", "Maëlys", "Côme", "Zoé", "Raphaël" }
local last = { "Dupont", "Lefèvre", "Lemaître", "Bérard", "Crépin", "Le Goff", "Saint-Exupéry", "Müller-Roche",
  "N'Diaye", "de La Fontaine", "Lebœuf", "Hoarau" }
setup = c.setup

function init() math.randomseed(os.time() + (id or 0) * 7919) end

request = function()
  local body = string.format(
    '{"first_name":"%s","last_name":"%s","sex":"%s","birth_date":"%04d-%02d-%02d","phone":"+33 6 %02d %02d %02d %02d"}',
    c.pick(first), c.pick(last), math.random(2) == 1 and "female" or "male", 1930 + math.random(0, 95),
    math.random(12), math.random(28), math.random(0, 99), math.random(0, 99), math.random(0, 99), math.random(0, 99))
  return wrk.format("POST", "/api/v1/patients?allow_duplicate=true",
    { ["Authorization"] = "Bearer " .. c.pick(staff), ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests) c.done("create", summary, latency, false) end
