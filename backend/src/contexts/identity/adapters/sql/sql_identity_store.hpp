// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/identity/ports/identity_store.hpp"
#include "platform/db/database.hpp"

namespace medisecure::identity {

class SqlIdentityStore final : public IdentityStore {
public:
    explicit SqlIdentityStore(db::Database& db) : db_(db) {}

    Result<void> insert_user(const User& u) override;
    std::optional<User> find_user(const std::string& id) override;
    std::optional<User> find_user_by_email(const std::string& normalised_email) override;
    std::optional<User> find_user_by_patient(const std::string& patient_id) override;
    Result<void> update_user(const User& u) override;
    std::vector<User> list_users(const UserFilter& f) override;
    std::int64_t count_users() override;
    std::int64_t count_active_admins() override;
    std::map<std::string, std::string> display_names(const std::set<std::string>& ids) override;

    void create_session(const Session& s, const RefreshToken& first) override;
    RotateResult rotate(const std::string& token_hash, const RefreshToken& next, Timestamp now) override;
    std::optional<Session> find_session(const std::string& id) override;
    std::optional<Session> session_of_token(const std::string& token_hash) override;
    void revoke_session(const std::string& id, Timestamp now, const std::string& reason) override;
    std::vector<std::string> revoke_user_sessions(const std::string& user_id, Timestamp now,
                                                  const std::string& reason, const std::string& keep) override;
    std::vector<std::string> revoked_since(Timestamp since) override;

    Throttle throttle(const std::string& key) override;
    Throttle record_failure(const std::string& key, Timestamp now, int threshold, std::chrono::seconds window,
                            std::chrono::seconds lock) override;
    void clear_throttle(const std::string& key) override;
    void clear_throttles(const std::string& key) override;
    bool ping() override { return db_.ping(); }

private:
    std::optional<User> find_where(const std::string& column, const std::string& value);
    std::optional<Session> load_session(soci::session& sql, const std::string& id);
    db::Database& db_;
};

}  // namespace medisecure::identity
