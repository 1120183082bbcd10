// SPDX-License-Identifier: Apache-2.0
// A consultation (encounter): SOAP notes, ICD-10 diagnoses and the prescriptions written during
// it. A draft is edited by its author only; signing freezes it, and corrections are amendments
// that reference it and carry their own author, time, text and signature. No I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace medisecure::records {

struct SoapNotes {
    std::string subjective;  // what the patient reports
    std::string objective;   // examination findings
    std::string assessment;  // the practitioner's conclusion
    std::string plan;        // what happens next: care, tests, follow-up
};

struct Diagnosis {
    std::string code;  // ICD-10, with its dot: "J45.9"
    std::string label;
    bool primary = false;
};

enum class DrugRoute {
    oral, sublingual, cutaneous, transdermal, ocular, auricular, nasal, inhaled,
    rectal, vaginal, subcutaneous, intramuscular, intravenous, other
};
std::string_view to_string(DrugRoute r);
std::optional<DrugRoute> parse_drug_route(std::string_view s);
const std::vector<std::string>& drug_route_names();
/// How the route reads on a French prescription ("voie orale").
std::string_view french_label(DrugRoute r);

/// A prescription's life after signing; its content never changes.
enum class PrescriptionStatus { active, stopped, completed };
std::string_view to_string(PrescriptionStatus s);
std::optional<PrescriptionStatus> parse_prescription_status(std::string_view s);

struct Prescription {
    std::string id;
    std::string encounter_id;
    std::string patient_id;
    int position = 0;  // order on the prescription, from 0
    std::string drug;  // name, strength and form: "Paracétamol 1 g, comprimé"
    std::string dose;  // "1 comprimé"
    DrugRoute route = DrugRoute::oral;
    std::string frequency;  // "3 fois par jour"
    std::string duration;   // "5 jours"
    std::string instructions;
    PrescriptionStatus status = PrescriptionStatus::active;
    std::optional<Timestamp> status_changed_at;
    std::string status_changed_by;
    std::string status_reason;
    std::int64_t version = 1;  // of the status, the only thing that changes
    // Read from the encounter, not stored with the prescription.
    std::string prescriber_id;
    std::optional<Timestamp> prescribed_at;  // the encounter's signature time
};

/// A signed correction of a signed encounter. Immutable from its creation.
struct Amendment {
    std::string id;
    std::string encounter_id;
    std::string patient_id;
    std::string author_id;
    std::string text;
    std::vector<Diagnosis> diagnoses;  // a corrected diagnosis list, or empty to leave them
    Timestamp signed_at{};
    std::string signature;
};

struct Encounter {
    std::string id;
    std::string patient_id;
    std::string author_id;  // the doctor who writes and signs it
    std::string appointment_id;
    Timestamp occurred_at{};
    std::string reason;
    SoapNotes notes;
    std::vector<Diagnosis> diagnoses;
    std::vector<Prescription> prescriptions;
    std::vector<Amendment> amendments;  // oldest first; read-only here
    std::optional<Timestamp> signed_at;  // set: signed and immutable
    std::string signature;               // HMAC over signed_content(), hex
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;

    bool is_signed() const { return signed_at.has_value(); }
    /// The diagnoses in force: those of the latest amendment that corrected them, else the original.
    const std::vector<Diagnosis>& current_diagnoses() const;
};

inline constexpr std::size_t kMaxDiagnoses = 12;
inline constexpr std::size_t kMaxPrescriptions = 30;

/// An ICD-10 code as stored: a letter, two digits, then optionally a dot and 1 to 4 characters.
bool is_icd10_code(std::string_view code);

/// Rules the schema cannot express. `now` bounds occurred_at (a little clock skew is allowed).
/// Diagnoses must have a label by now (the use case fills labels from the code table).
std::vector<FieldIssue> validate(const Encounter& e, Timestamp now);
std::vector<FieldIssue> validate_diagnoses(const std::vector<Diagnosis>& d, const std::string& pointer);

/// Marks the first diagnosis primary when none is.
void settle_primary(std::vector<Diagnosis>& d);

/// The exact bytes a signature covers: every clinical field, the author and the signing time,
/// each length-prefixed so that no two contents serialise alike. Prescription statuses are not
/// part of it (they change after signing).
std::string signed_content(const Encounter& e);
std::string signed_content(const Amendment& a);

}  // namespace medisecure::records
