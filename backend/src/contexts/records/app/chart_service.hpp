// SPDX-License-Identifier: Apache-2.0
// The living chart around the consultations: vital signs and observations (recorded by nurses
// and doctors), allergies (nurses and doctors), the problem list (doctors), and the one-call
// summary a clinician opens a record with. Authorisation follows app/access.hpp; every read and
// change is audited, without clinical content in the trail.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/records/app/access.hpp"
#include "contexts/records/app/code_catalog.hpp"
#include "contexts/records/app/directory.hpp"
#include "contexts/records/ports/records_store.hpp"
#include "core/caller.hpp"
#include "core/timezone.hpp"

namespace medisecure::records {

/// A vitals record with its derived BMI: from its own weight and height, else its weight and
/// the latest height recorded at or before it.
struct VitalsEntry {
    VitalSigns vitals;
    std::optional<double> bmi;
};

/// Derives each record's BMI; `heights` are the patient's recorded heights, oldest first (only
/// consulted for records with a weight and no height).
std::vector<VitalsEntry> with_bmi(std::vector<VitalSigns> list, const std::vector<std::pair<Timestamp, double>>& heights);

/// The newest value of each measure, wherever it was recorded.
struct LatestVitals {
    struct Reading {
        double value = 0;
        Timestamp taken_at{};
    };
    std::optional<Reading> systolic_mmhg, diastolic_mmhg, heart_rate_bpm, temperature_c, weight_kg, height_cm, spo2_pct,
        bmi;
};

struct AllergyPatch {
    std::optional<std::string> substance, reaction;
    std::optional<Severity> severity;
    std::optional<ChartStatus> status;
    std::optional<std::optional<Date>> noted_on;  // set to nullopt: cleared
    std::vector<std::string> fields;
};

struct ConditionPatch {
    std::optional<std::string> code, label, note;
    std::optional<std::optional<Date>> onset_date;
    std::optional<ChartStatus> status;
    std::vector<std::string> fields;
};

struct PatientSummary {
    std::string patient_id;
    std::vector<Allergy> allergies;            // active
    std::vector<Condition> conditions;         // active
    LatestVitals latest;
    std::vector<VitalsEntry> recent_vitals;    // the last few, oldest first
    std::vector<Prescription> prescriptions;   // active
    std::vector<Encounter> encounters;         // the last few the caller may see, newest first
};

class ChartService {
public:
    ChartService(RecordsStore& store, CodeCatalog& codes, audit::AuditTrail& audit, const Clock& clock,
                 Directory directory, const TimeZone& zone);

    /// `taken_at` defaults to now.
    Result<VitalsEntry> record_vitals(const Caller& caller, VitalSigns input, std::optional<Timestamp> taken_at);
    Result<std::vector<VitalsEntry>> vitals(const Caller& caller, VitalsQuery q);

    Result<Allergy> add_allergy(const Caller& caller, Allergy input);
    Result<Allergy> update_allergy(const Caller& caller, const std::string& id, std::int64_t expected_version,
                                   const AllergyPatch& patch);
    Result<std::vector<Allergy>> allergies(const Caller& caller, const std::string& patient_id);

    Result<Condition> add_condition(const Caller& caller, Condition input);
    Result<Condition> update_condition(const Caller& caller, const std::string& id, std::int64_t expected_version,
                                       const ConditionPatch& patch);
    Result<std::vector<Condition>> conditions(const Caller& caller, const std::string& patient_id);

    Result<PatientSummary> summary(const Caller& caller, const std::string& patient_id);

    static constexpr int kMaxVitals = 1000;
    static constexpr int kRecentVitals = 10;
    static constexpr int kRecentEncounters = 5;

private:
    std::vector<VitalsEntry> with_bmi(std::vector<VitalSigns> list, const std::string& patient_id);
    Date today() const { return zone_.local_date(clock_.now()); }

    RecordsStore& store_;
    CodeCatalog& codes_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    Directory directory_;
    const TimeZone& zone_;
};

}  // namespace medisecure::records
