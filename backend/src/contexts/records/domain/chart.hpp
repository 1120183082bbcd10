// SPDX-License-Identifier: Apache-2.0
// The living parts of a patient's chart: allergies and the problem list (active conditions).
// They are not signed documents: they change as the patient's situation does, each change is
// versioned and audited. No I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace medisecure::records {

enum class Severity { mild, moderate, severe };
std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

/// Shared by allergies and conditions.
enum class ChartStatus { active, resolved };
std::string_view to_string(ChartStatus s);
std::optional<ChartStatus> parse_chart_status(std::string_view s);

struct Allergy {
    std::string id;
    std::string patient_id;
    std::string substance;  // "Pénicilline", "Arachide", "Latex"
    std::string reaction;   // "Urticaire généralisée"
    Severity severity = Severity::moderate;
    ChartStatus status = ChartStatus::active;
    std::optional<Date> noted_on;  // when it was first observed, if known
    std::string recorded_by;
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;
};

struct Condition {
    std::string id;
    std::string patient_id;
    std::string code;  // ICD-10
    std::string label;
    std::optional<Date> onset_date;
    ChartStatus status = ChartStatus::active;
    std::string note;
    std::string encounter_id;  // the consultation that diagnosed it, if any
    std::string recorded_by;
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;
};

/// Dates not in the future (`today` is the practice's current date).
std::vector<FieldIssue> validate(const Allergy& a, const Date& today);
std::vector<FieldIssue> validate(const Condition& c, const Date& today);

}  // namespace medisecure::records
