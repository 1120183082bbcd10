// SPDX-License-Identifier: Apache-2.0
// Administration of accounts: list, create, read, change role/name/link, deactivate (never
// delete: the audit trail keeps naming them), reset a password or a second factor. The last
// active administrator cannot be removed.
#pragma once

#include <functional>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/identity/app/token_service.hpp"
#include "contexts/identity/ports/identity_store.hpp"
#include "platform/crypto/password_hasher.hpp"

namespace medisecure::identity {

struct NewUser {
    std::string email;
    std::string display_name;
    Role role = Role::secretary;
    std::string patient_id;
    std::optional<std::string> password;  // none: a temporary password is generated
};

struct UserChanges {
    std::optional<std::string> display_name;
    std::optional<Role> role;
    std::optional<bool> active;
    std::optional<std::string> patient_id;  // "" unlinks
    bool reset_password = false;
    bool reset_totp = false;
    bool unlock = false;  // lifts the sign-in locks of the account (also done by reset_password)
    std::optional<std::int64_t> expected_version;  // from If-Match
};

struct UserWithSecret {
    User user;
    std::string temporary_password;  // set when generated; shown once
};

struct UserPage {
    std::vector<User> users;
    std::string next_cursor;
};

class UserAdmin {
public:
    UserAdmin(IdentityStore& store, TokenService& tokens, const crypto::PasswordHasher& hasher,
              audit::AuditTrail& audit, const Clock& clock, std::function<bool(const std::string&)> patient_exists);

    Result<UserPage> list(const Caller& caller, UserFilter filter);
    /// Admins, and the `system` caller (operator commands).
    Result<UserWithSecret> create(const Caller& caller, NewUser input);
    Result<User> get(const Caller& caller, const std::string& id);
    Result<UserWithSecret> update(const Caller& caller, const std::string& id, const UserChanges& changes);
    /// Display names by id, for showing who did what (no authorisation: names only).
    std::map<std::string, std::string> display_names(const std::set<std::string>& ids);

private:
    bool may_administer(const Caller& c) const { return c.is(Role::admin) || c.is(Role::system); }

    IdentityStore& store_;
    TokenService& tokens_;
    const crypto::PasswordHasher& hasher_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    std::function<bool(const std::string&)> patient_exists_;
};

/// A random password that is easy to read out: five groups of five unambiguous characters.
std::string generate_password();

}  // namespace medisecure::identity
