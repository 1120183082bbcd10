// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/http/routes.hpp"

namespace medisecure::records {

void add_routes(http::Router& router, EncounterService& encounters, ChartService& chart, CodeCatalog& codes,
                NameLookup names) {
    detail::add_encounter_routes(router, encounters, names);
    detail::add_chart_routes(router, chart, codes, names);
}

}  // namespace medisecure::records
