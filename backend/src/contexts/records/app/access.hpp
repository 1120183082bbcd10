// SPDX-License-Identifier: Apache-2.0
// Who reaches what of the clinical record (DESIGN §1), in one place:
//
// | role        | reads                                                   | writes                          |
// |-------------|---------------------------------------------------------|---------------------------------|
// | doctor      | everything, colleagues' drafts included (read-only)     | encounters (own drafts), signs  |
// |             |                                                         | own drafts, amendments,         |
// |             |                                                         | prescriptions' status, vitals,  |
// |             |                                                         | allergies, conditions           |
// | nurse       | signed encounters without the doctor's reasoning (the   | vitals and observations,        |
// |             | subjective, objective and assessment notes and the text | allergies                       |
// |             | of amendments): reason, diagnoses, plan, prescriptions; |                                 |
// |             | allergies, conditions, prescriptions, vitals; the       |                                 |
// |             | prescription PDF                                        |                                 |
// | patient     | their own signed encounters (whole), prescriptions,     | nothing                         |
// |             | allergies, conditions, vitals, prescription PDFs        |                                 |
// | secretary,  | nothing clinical: 403 on every clinical route           | nothing                         |
// | accountant, |                                                         |                                 |
// | admin       |                                                         |                                 |
//
// Drafts are the doctor's work in progress: doctors see them, nurses and patients do not (a
// draft answers 404 to them, like another patient's record does to a patient).
#pragma once

#include <string>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/records/app/directory.hpp"
#include "contexts/records/domain/encounter.hpp"
#include "core/caller.hpp"
#include "core/error.hpp"

namespace medisecure::records::access {

/// What of an encounter the caller sees.
enum class View {
    full,  // doctors, the patient, the system
    care,  // nurses: no subjective/objective/assessment notes, no amendment text
};

inline bool reads_clinical(const Caller& c) {
    return c.any_of({Role::doctor, Role::nurse, Role::patient, Role::system});
}
/// Whether the caller reaches this patient's record at all (a patient only their own).
inline bool reaches(const Caller& c, const std::string& patient_id) {
    if (c.is(Role::patient)) return !c.patient_id.empty() && c.patient_id == patient_id;
    return c.any_of({Role::doctor, Role::nurse, Role::system});
}
inline bool sees_drafts(const Caller& c) { return c.any_of({Role::doctor, Role::system}); }
inline View encounter_view(const Caller& c) { return c.is(Role::nurse) ? View::care : View::full; }

/// Removes what `view` does not show (in place).
inline void redact(Encounter& e, View view) {
    if (view == View::full) return;
    e.notes.subjective.clear();
    e.notes.objective.clear();
    e.notes.assessment.clear();
    for (auto& a : e.amendments) a.text.clear();
}

inline bool writes_encounters(const Caller& c) { return c.is(Role::doctor); }
inline bool records_vitals(const Caller& c) { return c.any_of({Role::doctor, Role::nurse}); }
inline bool writes_allergies(const Caller& c) { return c.any_of({Role::doctor, Role::nurse}); }
inline bool writes_conditions(const Caller& c) { return c.is(Role::doctor); }

/// The answer to a caller who may not do something: a patient learns nothing (404, as for a
/// missing record); staff learn that their role does not allow it.
inline Error refusal(const Caller& c, Error not_found_error) {
    if (c.is(Role::patient)) return not_found_error;
    return forbidden("role_not_allowed", "Your role does not allow this action on the medical record.");
}

inline Error patient_not_found() { return not_found("patient_not_found", "No such patient."); }
inline Error encounter_not_found() { return not_found("encounter_not_found", "No such encounter."); }

inline Error validation_failed(std::vector<FieldIssue> issues) {
    return invalid_input("validation_failed", "The request has invalid fields.", std::move(issues));
}

/// How a refused or failed use case is recorded in the audit trail.
inline audit::Outcome outcome_of(const Error& e) {
    if (e.kind == ErrorKind::not_found) return audit::Outcome::not_found;
    if (e.kind == ErrorKind::forbidden) return audit::Outcome::denied;
    return audit::Outcome::failure;
}

/// "fields=a,b": which fields a change touched, for the audit trail (never their values).
inline std::string changed_fields(const std::vector<std::string>& names) {
    std::string out = "fields=";
    for (std::size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + names[i];
    return out;
}

inline Error stale_version() {
    return Error{ErrorKind::precondition_failed, "stale_version",
                 "The record was changed by someone else; reload it and try again."};
}

/// The gate in front of every per-patient read: a role that reads clinical content, a patient
/// within the caller's reach, and one that exists. Refusals are audited under `action`.
Result<void> open_patient_record(const Caller& caller, const std::string& patient_id, const char* action,
                                 audit::AuditTrail& audit, const Directory& directory);

}  // namespace medisecure::records::access
