// SPDX-License-Identifier: Apache-2.0
// What the appointments context needs to know about people it does not own: practitioners
// (identity: active users with the doctor role) and patients (the patient registry). Both are
// implemented in the composition root over the other contexts' services, so this context
// never reaches their tables. Blocking: yes. Thread safety: implementations are safe.
#pragma once

#include "core/time.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace medisecure::appointments {

struct Practitioner {
    std::string id;
    std::string display_name;
};

class PractitionerDirectory {
public:
    virtual ~PractitionerDirectory() = default;
    /// Active doctors, ordered by display name. PHI: none.
    virtual std::vector<Practitioner> active() = 0;
    /// The practitioner when `id` names an active doctor.
    virtual std::optional<Practitioner> find_active(const std::string& id) = 0;
    /// Display names of any users (former practitioners included); unknown ids are absent.
    virtual std::map<std::string, std::string> display_names(const std::set<std::string>& ids) = 0;
};

/// The identity of a patient as this context shows it (lists, e-mails, the calendar feed).
struct PatientInfo {
    std::string id;
    std::string mrn;
    std::string first_name;
    std::string last_name;
    Date birth_date{};
    std::string email;               // empty when unknown
    std::string preferred_language;  // ISO 639-1
    bool archived = false;
};

class PatientDirectory {
public:
    virtual ~PatientDirectory() = default;
    /// PHI: yes. Not audited here: callers audit their own request.
    virtual std::optional<PatientInfo> find(const std::string& id) = 0;
    /// Unknown ids are absent from the result.
    virtual std::map<std::string, PatientInfo> find_many(const std::set<std::string>& ids) = 0;
};

}  // namespace medisecure::appointments
