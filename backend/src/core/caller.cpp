// SPDX-License-Identifier: Apache-2.0
#include "core/caller.hpp"

namespace medisecure {

std::string_view to_string(Role r) {
    switch (r) {
    case Role::admin: return "admin";
    case Role::doctor: return "doctor";
    case Role::nurse: return "nurse";
    case Role::secretary: return "secretary";
    case Role::accountant: return "accountant";
    case Role::patient: return "patient";
    case Role::system: return "system";
    }
    return "system";
}

const std::vector<Role>& user_roles() {
    static const std::vector<Role> all = {Role::admin,     Role::doctor,     Role::nurse,
                                          Role::secretary, Role::accountant, Role::patient};
    return all;
}

std::optional<Role> parse_role(std::string_view s) {
    for (auto r : user_roles())
        if (to_string(r) == s) return r;
    return std::nullopt;
}

}  // namespace medisecure
