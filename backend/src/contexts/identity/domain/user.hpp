// SPDX-License-Identifier: Apache-2.0
// A user account: one role, and for the patient role the one patient record it may reach.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace medisecure::identity {

struct User {
    std::string id;
    std::string email;  // normalised: trimmed, lower-case
    std::string display_name;
    Role role = Role::secretary;
    std::string patient_id;  // role patient only
    std::string password_hash;
    bool active = true;
    std::string totp_secret_sealed;  // encrypted seed; empty when never enrolled
    bool totp_enabled = false;
    std::int64_t totp_last_step = 0;
    Timestamp password_changed_at{};
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;
};

std::string normalise_email(std::string_view email);

/// Field-level checks of an account's own fields (not the password).
std::vector<FieldIssue> validate_user(const User& u);

struct Session {
    std::string id;  // the refresh-token family
    std::string user_id;
    Timestamp created_at{};
    Timestamp last_used_at{};
    Timestamp expires_at{};
    std::optional<Timestamp> revoked_at;
    std::string revoke_reason;
    std::string client_ip;
};

}  // namespace medisecure::identity
