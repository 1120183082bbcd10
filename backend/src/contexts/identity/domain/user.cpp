// SPDX-License-Identifier: Apache-2.0
#include "contexts/identity/domain/user.hpp"

#include "core/text.hpp"

namespace medisecure::identity {

std::string normalise_email(std::string_view email) { return to_lower_ascii(trim(email)); }

std::vector<FieldIssue> validate_user(const User& u) {
    std::vector<FieldIssue> out;
    if (u.role == Role::patient && u.patient_id.empty())
        out.push_back({"/patient_id", "required", "is required for the patient role"});
    if (u.role != Role::patient && !u.patient_id.empty())
        out.push_back({"/patient_id", "not_allowed", "only patient accounts are linked to a patient record"});
    if (u.role == Role::system) out.push_back({"/role", "enum", "is not a role a user can hold"});
    if (trim(u.display_name).empty()) out.push_back({"/display_name", "required", "must not be empty"});
    return out;
}

}  // namespace medisecure::identity
