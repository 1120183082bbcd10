// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/domain/vitals.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace medisecure::records {

namespace {

// Divides by a power of ten so that the result is the double nearest the decimal (72.35, not
// 72.35000000000001).
double round_to(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace

const std::vector<VitalRange>& vital_ranges() {
    static const std::vector<VitalRange> r = {
        {"systolic_mmhg", "mmHg", 40, 300},  {"diastolic_mmhg", "mmHg", 20, 200}, {"heart_rate_bpm", "bpm", 20, 300},
        {"temperature_c", "°C", 30, 45},     {"weight_kg", "kg", 0.2, 500},       {"height_cm", "cm", 20, 260},
        {"spo2_pct", "%", 50, 100},
    };
    return r;
}

void normalise(VitalSigns& v) {
    if (v.temperature_c) v.temperature_c = round_to(*v.temperature_c, 10);
    if (v.weight_kg) v.weight_kg = round_to(*v.weight_kg, 100);
    if (v.height_cm) v.height_cm = round_to(*v.height_cm, 10);
}

std::vector<FieldIssue> validate(const VitalSigns& v, Timestamp now) {
    std::vector<FieldIssue> issues;
    auto check = [&](const char* name, std::optional<double> value) {
        if (!value) return;
        for (const auto& r : vital_ranges()) {
            if (std::string_view(r.field) != name) continue;
            if (!std::isfinite(*value) || *value < r.min || *value > r.max)
                issues.push_back({std::string("/") + name, "implausible",
                                  "must be between " + number(r.min) + " and " + number(r.max) + " " + r.unit});
        }
    };
    auto as_double = [](std::optional<int> i) { return i ? std::optional<double>(*i) : std::nullopt; };
    check("systolic_mmhg", as_double(v.systolic_mmhg));
    check("diastolic_mmhg", as_double(v.diastolic_mmhg));
    check("heart_rate_bpm", as_double(v.heart_rate_bpm));
    check("temperature_c", v.temperature_c);
    check("weight_kg", v.weight_kg);
    check("height_cm", v.height_cm);
    check("spo2_pct", as_double(v.spo2_pct));
    if (v.systolic_mmhg.has_value() != v.diastolic_mmhg.has_value()) {
        const char* missing = v.systolic_mmhg ? "/diastolic_mmhg" : "/systolic_mmhg";
        issues.push_back({missing, "required", "blood pressure needs both systolic and diastolic values"});
    } else if (v.systolic_mmhg && *v.diastolic_mmhg >= *v.systolic_mmhg) {
        issues.push_back({"/diastolic_mmhg", "implausible", "must be lower than the systolic pressure"});
    }
    if (!v.has_measurement() && v.note.empty())
        issues.push_back({"", "empty", "give at least one measurement or a note"});
    if (v.taken_at > now + std::chrono::minutes(5))
        issues.push_back({"/taken_at", "in_future", "cannot be in the future"});
    if (v.taken_at < Timestamp{std::chrono::sys_days{std::chrono::year{1900} / 1 / 1}})
        issues.push_back({"/taken_at", "too_old", "is before 1900"});
    return issues;
}

std::optional<double> bmi(std::optional<double> weight_kg, std::optional<double> height_cm) {
    if (!weight_kg || !height_cm || *height_cm <= 0) return std::nullopt;
    double m = *height_cm / 100.0;
    return round_to(*weight_kg / (m * m), 10);
}

}  // namespace medisecure::records
