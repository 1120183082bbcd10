// SPDX-License-Identifier: Apache-2.0
// Storage of accounts, sign-in sessions (refresh-token families) and the login throttle.
// Implementation: SqlIdentityStore (SQLite, PostgreSQL). Blocking: yes. Thread safety: safe.
// PHI: none (a patient account holds only the patient id).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contexts/identity/domain/user.hpp"

namespace medisecure::identity {

struct UserFilter {
    std::optional<Role> role;
    std::optional<bool> active;
    std::string email_prefix;
    std::string after_email;  // cursor
    int limit = 50;
};

struct RefreshToken {
    std::string hash;  // SHA-256 of the opaque token; the token itself is never stored
    std::string session_id;
    Timestamp issued_at{};
    Timestamp expires_at{};
};

enum class RotateStatus { rotated, unknown, reused, revoked, expired };

struct RotateResult {
    RotateStatus status = RotateStatus::unknown;
    Session session;  // set unless unknown
};

struct Throttle {
    int failures = 0;
    Timestamp window_start{};
    Timestamp locked_until{};
};

class IdentityStore {
public:
    virtual ~IdentityStore() = default;

    /// @return conflict (code email_taken / patient_already_linked) on a duplicate.
    virtual Result<void> insert_user(const User& u) = 0;
    virtual std::optional<User> find_user(const std::string& id) = 0;
    virtual std::optional<User> find_user_by_email(const std::string& normalised_email) = 0;
    /// The portal account linked to a patient record, if any.
    virtual std::optional<User> find_user_by_patient(const std::string& patient_id) = 0;
    /// @return conflict (code stale_version) when `u.version - 1` is not the stored version.
    virtual Result<void> update_user(const User& u) = 0;
    virtual std::vector<User> list_users(const UserFilter& f) = 0;
    virtual std::int64_t count_users() = 0;
    virtual std::int64_t count_active_admins() = 0;
    virtual std::map<std::string, std::string> display_names(const std::set<std::string>& ids) = 0;

    virtual void create_session(const Session& s, const RefreshToken& first) = 0;
    /// Atomically consumes `token_hash` and stores `next` in the same family. A token that was
    /// already consumed revokes the whole family (status reused).
    virtual RotateResult rotate(const std::string& token_hash, const RefreshToken& next, Timestamp now) = 0;
    virtual std::optional<Session> find_session(const std::string& id) = 0;
    /// The session a refresh token (by hash) belongs to, consumed or not.
    virtual std::optional<Session> session_of_token(const std::string& token_hash) = 0;
    virtual void revoke_session(const std::string& id, Timestamp now, const std::string& reason) = 0;
    /// Revokes every live session of the user except `keep`; returns their ids.
    virtual std::vector<std::string> revoke_user_sessions(const std::string& user_id, Timestamp now,
                                                          const std::string& reason, const std::string& keep = "") = 0;
    /// Sessions revoked at or after `since` (to rebuild the access-token deny-list at start).
    virtual std::vector<std::string> revoked_since(Timestamp since) = 0;

    virtual Throttle throttle(const std::string& key) = 0;
    /// Counts a failure; when `threshold` failures fall within `window`, locks until now+lock.
    virtual Throttle record_failure(const std::string& key, Timestamp now, int threshold,
                                    std::chrono::seconds window, std::chrono::seconds lock) = 0;
    virtual void clear_throttle(const std::string& key) = 0;
    /// Clears `key` and every key "<key>|…" (an account's lock and its per-address ones).
    virtual void clear_throttles(const std::string& key) = 0;
    virtual bool ping() = 0;
};

}  // namespace medisecure::identity
