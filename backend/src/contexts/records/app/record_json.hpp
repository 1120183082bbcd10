// SPDX-License-Identifier: Apache-2.0
// The JSON form of the clinical record, shared by the HTTP responses and the GDPR export so the
// two cannot drift. People appear as ids with their display names.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "contexts/records/app/access.hpp"
#include "contexts/records/app/chart_service.hpp"
#include "contexts/records/domain/encounter.hpp"

namespace medisecure::records::views {

using Names = std::map<std::string, std::string>;

/// The user ids an object names (authors, recorders, prescribers).
void people_of(const Encounter& e, std::set<std::string>& ids);
void people_of(const Prescription& p, std::set<std::string>& ids);
void people_of(const VitalSigns& v, std::set<std::string>& ids);
void people_of(const Allergy& a, std::set<std::string>& ids);
void people_of(const Condition& c, std::set<std::string>& ids);

boost::json::object diagnosis_json(const Diagnosis& d);
boost::json::object prescription_json(const Prescription& p, const Names& names);
/// The whole encounter; `intact` is shown as signature_valid.
boost::json::object encounter_json(const Encounter& e, const Names& names, access::View view, bool intact);
/// A list item: no notes, counts of prescriptions and amendments, the diagnoses in force.
boost::json::object encounter_item_json(const Encounter& e, const Names& names);
boost::json::object amendment_json(const Amendment& a, const Names& names, access::View view);
boost::json::object vitals_json(const VitalsEntry& v, const Names& names);
boost::json::object allergy_json(const Allergy& a, const Names& names);
boost::json::object condition_json(const Condition& c, const Names& names);
boost::json::object latest_json(const LatestVitals& l);

}  // namespace medisecure::records::views
