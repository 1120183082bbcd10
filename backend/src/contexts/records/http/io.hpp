// SPDX-License-Identifier: Apache-2.0
// What the records routes share: reading validated request bodies into use-case inputs, the
// If-Match version, list cursors, and the routes' access sets.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "contexts/records/app/encounter_service.hpp"
#include "contexts/records/ports/records_store.hpp"
#include "platform/http/router.hpp"

namespace medisecure::records::io {

/// Readers of clinical content, writers of encounters, recorders of vitals.
http::Access clinical_readers();
http::Access doctors();
http::Access care_staff();

/// A path parameter `id` holding a UUID, and the If-Match header of conditional changes.
http::Param id_param(const char* what);
http::Param if_match_param();

/// The version named by a required If-Match (428 without one, or with "*").
Result<std::int64_t> required_version(const http::Request& r);

std::vector<Diagnosis> diagnoses_from(const boost::json::value* v);
std::vector<Prescription> prescriptions_from(const boost::json::value* v);
/// A body member that must be an instant (already checked by the schema).
std::optional<Timestamp> instant_of(const boost::json::object& body, std::string_view key);

std::string encode_cursor(const TimeCursor& c);
std::optional<TimeCursor> decode_cursor(std::string_view text);
/// The `cursor` and `limit` query parameters; a malformed cursor is a 422.
Result<std::pair<std::optional<TimeCursor>, int>> page_params(const http::Request& r, int default_limit);

}  // namespace medisecure::records::io
