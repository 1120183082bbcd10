// SPDX-License-Identifier: Apache-2.0
// The records API: /api/v1/encounters, /api/v1/prescriptions, /api/v1/allergies,
// /api/v1/conditions, the per-patient lists and summary under /api/v1/patients/{id}/, and the
// ICD-10 search under /api/v1/codes/icd10.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include "contexts/records/app/chart_service.hpp"
#include "contexts/records/app/code_catalog.hpp"
#include "contexts/records/app/encounter_service.hpp"
#include "platform/http/router.hpp"

namespace medisecure::records {

/// Display names of users by id (identity).
using NameLookup = std::function<std::map<std::string, std::string>(const std::set<std::string>&)>;

void add_routes(http::Router& router, EncounterService& encounters, ChartService& chart, CodeCatalog& codes,
                NameLookup names);

namespace detail {
void add_encounter_routes(http::Router& router, EncounterService& service, const NameLookup& names);
void add_chart_routes(http::Router& router, ChartService& service, CodeCatalog& codes, const NameLookup& names);
}  // namespace detail

}  // namespace medisecure::records
