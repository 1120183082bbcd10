// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/domain/chart.hpp"

#include "contexts/records/domain/encounter.hpp"

namespace medisecure::records {

std::string_view to_string(Severity s) {
    switch (s) {
    case Severity::mild: return "mild";
    case Severity::moderate: return "moderate";
    case Severity::severe: return "severe";
    }
    return "moderate";
}

std::optional<Severity> parse_severity(std::string_view s) {
    for (auto v : {Severity::mild, Severity::moderate, Severity::severe})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

std::string_view to_string(ChartStatus s) {
    switch (s) {
    case ChartStatus::active: return "active";
    case ChartStatus::resolved: return "resolved";
    }
    return "active";
}

std::optional<ChartStatus> parse_chart_status(std::string_view s) {
    for (auto v : {ChartStatus::active, ChartStatus::resolved})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

std::vector<FieldIssue> validate(const Allergy& a, const Date& today) {
    std::vector<FieldIssue> issues;
    if (a.substance.empty()) issues.push_back({"/substance", "required", "is required"});
    if (a.noted_on && std::chrono::sys_days{*a.noted_on} > std::chrono::sys_days{today})
        issues.push_back({"/noted_on", "in_future", "cannot be in the future"});
    return issues;
}

std::vector<FieldIssue> validate(const Condition& c, const Date& today) {
    std::vector<FieldIssue> issues;
    if (!is_icd10_code(c.code)) issues.push_back({"/code", "invalid_code", "is not an ICD-10 code (e.g. I10)"});
    else if (c.label.empty())
        issues.push_back({"/label", "required", "is required for a code that is not in the code table"});
    if (c.onset_date && std::chrono::sys_days{*c.onset_date} > std::chrono::sys_days{today})
        issues.push_back({"/onset_date", "in_future", "cannot be in the future"});
    return issues;
}

}  // namespace medisecure::records
