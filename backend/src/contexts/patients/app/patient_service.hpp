// SPDX-License-Identifier: Apache-2.0
// Patient registry use cases with their authorisation (DESIGN §1): care staff and admins
// register and edit; accountants read the identity an invoice needs; a patient reaches only
// their own record and edits only their contact details. A record outside the caller's reach
// is reported exactly like a missing one. Every read and change is audited.
#pragma once

#include <functional>
#include <map>
#include <set>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/patients/ports/patient_store.hpp"
#include "core/caller.hpp"

namespace medisecure::patients {

/// A partial update (JSON merge patch): only the fields that are set change; for optional
/// fields an empty string clears.
struct PatientPatch {
    std::optional<std::string> first_name, last_name, birth_name;
    std::optional<Sex> sex;
    std::optional<Date> birth_date;
    std::optional<std::string> birth_place_code, nir, ins_oid;
    std::optional<IdentityStatus> identity_status;
    std::optional<std::string> email, phone;
    std::optional<Address> address;
    std::optional<EmergencyContact> emergency_contact;
    std::optional<Insurance> insurance;
    std::optional<std::string> preferred_language, primary_practitioner_id;
    std::vector<std::string> fields;  // names of the fields present, for audit and permission checks
};

/// What other contexts show of a patient next to their own data (lists, PDFs).
struct PatientBrief {
    std::string id;
    std::string mrn;
    std::string first_name;
    std::string last_name;
    std::string birth_name;
    Date birth_date{};
    Sex sex = Sex::unknown;
    std::string email;
    std::string preferred_language;
    std::string nir;
    Address address;
    std::string primary_practitioner_id;
};

struct SearchPage {
    std::vector<Patient> patients;
    std::optional<SearchCursor> next;
};

/// What of a record a role may see.
enum class PatientView { full, billing };

class PatientService {
public:
    PatientService(PatientStore& store, audit::AuditTrail& audit, const Clock& clock,
                   std::function<bool(const std::string&)> practitioner_exists);

    Result<Patient> register_patient(const Caller& caller, Patient input, bool allow_duplicate);
    /// Operators' bulk import (administrators and the server itself): every record validated as
    /// on registration, all of them written in one transaction or none, each one audited. No
    /// duplicate check: the source is one that already had none. Returns the stored records.
    Result<std::vector<Patient>> import_patients(const Caller& caller, std::vector<Patient> input);
    Result<Patient> get(const Caller& caller, const std::string& id);
    Result<Patient> update(const Caller& caller, const std::string& id, std::int64_t expected_version,
                           const PatientPatch& patch);
    Result<Patient> archive(const Caller& caller, const std::string& id);
    Result<SearchPage> search(const Caller& caller, PatientQuery query);
    /// True when search() would find this query's answer in memory (no database wait).
    bool search_cached(PatientQuery query);
    bool exists(const std::string& id) { return store_.exists(id); }
    /// For other contexts that already authorised and audit their own request: the identity
    /// of the patients they list. Unknown ids are absent from the result. Not audited here.
    std::map<std::string, PatientBrief> briefs(const std::set<std::string>& ids);

    static PatientView view_for(Role r) { return r == Role::accountant ? PatientView::billing : PatientView::full; }
    static constexpr int kMaxPageSize = 100;

private:
    /// The page size asked for; `q` then asks the store for one more, with a canonical NIR.
    static int normalise(PatientQuery& q);
    bool may_read(const Caller& c, const std::string& id) const;
    Result<void> check_fields(Patient& p, bool check_practitioner);

    PatientStore& store_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    std::function<bool(const std::string&)> practitioner_exists_;
};

}  // namespace medisecure::patients
