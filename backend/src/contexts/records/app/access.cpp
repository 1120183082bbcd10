// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/app/access.hpp"

namespace medisecure::records::access {

Result<void> open_patient_record(const Caller& caller, const std::string& patient_id, const char* action,
                                 audit::AuditTrail& audit, const Directory& directory) {
    using audit::Outcome;
    if (!reads_clinical(caller)) {
        audit.record(caller, {action, "patient", patient_id, patient_id, Outcome::denied, ""});
        return refusal(caller, patient_not_found());
    }
    if (!reaches(caller, patient_id)) {
        audit.record(caller, {action, "patient", patient_id, patient_id, Outcome::denied, ""});
        return patient_not_found();
    }
    if (!directory.patient_exists(patient_id)) {
        audit.record(caller, {action, "patient", patient_id, patient_id, Outcome::not_found, ""});
        return patient_not_found();
    }
    return {};
}

}  // namespace medisecure::records::access
