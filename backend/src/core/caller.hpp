// SPDX-License-Identifier: Apache-2.0
// Who is asking: the authenticated user, their role, and where the request came from. Every use
// case takes a Caller, authorises against it and writes it into the audit trail.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medisecure {

enum class Role { admin, doctor, nurse, secretary, accountant, patient, system };

std::string_view to_string(Role r);
/// Parses the roles a user account may hold (`system` is internal and never parses).
std::optional<Role> parse_role(std::string_view s);
const std::vector<Role>& user_roles();

/// Highest audit ticket a request produced; the response waits until it is durable.
class AuditTicket {
public:
    void note(std::uint64_t ticket) {
        auto cur = max_.load(std::memory_order_relaxed);
        while (ticket > cur && !max_.compare_exchange_weak(cur, ticket)) {
        }
    }
    std::uint64_t value() const { return max_.load(); }

private:
    std::atomic<std::uint64_t> max_{0};
};

struct Caller {
    std::string user_id;
    Role role = Role::system;
    std::string patient_id;  // set for role patient: the one record this user may reach
    std::string session_id;
    std::string request_id;
    std::string client_ip;
    std::shared_ptr<AuditTicket> audit_ticket = std::make_shared<AuditTicket>();

    bool is(Role r) const { return role == r; }
    bool any_of(std::initializer_list<Role> roles) const {
        for (auto r : roles)
            if (r == role) return true;
        return false;
    }
    /// Staff who work with patients' demographics.
    bool is_care_team() const { return any_of({Role::doctor, Role::nurse, Role::secretary}); }

    /// An operator command or background job acting on its own behalf.
    static Caller system(std::string name) {
        Caller c;
        c.user_id = "system:" + name;
        c.role = Role::system;
        c.request_id = "-";
        c.client_ip = "local";
        return c;
    }
};

}  // namespace medisecure
