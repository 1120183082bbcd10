// SPDX-License-Identifier: Apache-2.0
// Vital signs and nursing observations taken at one moment, with their units and the ranges a
// human measurement can plausibly fall in (neonates to adults). BMI is derived, never entered.
// No I/O here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace medisecure::records {

struct VitalSigns {
    std::string id;
    std::string patient_id;
    std::string encounter_id;  // optional link to the consultation
    std::string recorded_by;
    std::string recorded_role;  // doctor or nurse
    Timestamp taken_at{};
    Timestamp created_at{};
    std::optional<int> systolic_mmhg;
    std::optional<int> diastolic_mmhg;
    std::optional<int> heart_rate_bpm;
    std::optional<double> temperature_c;  // 0.1 °C resolution
    std::optional<double> weight_kg;      // 0.01 kg (10 g) resolution
    std::optional<double> height_cm;      // 0.1 cm resolution
    std::optional<int> spo2_pct;
    std::string note;  // a nursing observation, possibly without any measurement

    bool has_measurement() const {
        return systolic_mmhg || diastolic_mmhg || heart_rate_bpm || temperature_c || weight_kg || height_cm || spo2_pct;
    }
};

/// A measure's unit and plausible range, as documented in the API.
struct VitalRange {
    const char* field;
    const char* unit;
    double min;
    double max;
};
const std::vector<VitalRange>& vital_ranges();

/// Rounds the decimal measures to the resolution they are stored at.
void normalise(VitalSigns& v);
/// Plausible ranges, systolic above diastolic (both or neither), at least one measure or a
/// note, taken_at not in the future.
std::vector<FieldIssue> validate(const VitalSigns& v, Timestamp now);

/// Body-mass index in kg/m², one decimal; nullopt unless both measures are known.
std::optional<double> bmi(std::optional<double> weight_kg, std::optional<double> height_cm);

}  // namespace medisecure::records
