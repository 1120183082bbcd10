// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/notifications/ports/stores.hpp"
#include "platform/db/database.hpp"

namespace medisecure::notifications {

class SqlJobStore final : public JobStore {
public:
    explicit SqlJobStore(db::Database& db) : db_(db) {}
    int import(const std::vector<jobs::QueuedRequest>& requests, Timestamp now) override;
    std::string enqueue(const jobs::JobRequest& r, Timestamp now) override;
    std::optional<JobRecord> claim(Timestamp now, Timestamp lease_until) override;
    std::optional<JobRecord> claim_id(const std::string& id, Timestamp now, Timestamp lease_until,
                                      Timestamp due_by) override;
    std::vector<JobRecord> take_undispatched(Timestamp now, Timestamp stale, int limit) override;
    void mark_dispatched(const std::vector<std::string>& ids, Timestamp at) override;
    void succeed(const std::string& id, const std::string& result_json, Timestamp now) override;
    void reschedule(const std::string& id, const std::string& error, Timestamp run_at, Timestamp now) override;
    void bury(const std::string& id, const std::string& error, Timestamp now) override;
    std::optional<JobRecord> find(const std::string& id) override;
    bool take_result(const std::string& id, Timestamp now) override;
    std::vector<JobRecord> untaken_results_before(Timestamp before) override;
    std::map<JobStatus, std::int64_t> counts() override;
    bool ping() override { return db_.ping(); }

private:
    db::Database& db_;
};

class SqlNotificationStore final : public NotificationStore {
public:
    explicit SqlNotificationStore(db::Database& db) : db_(db) {}
    void insert(const Notification& n) override;
    std::vector<Notification> list(const std::string& user_id, bool unread_only, std::optional<Timestamp> before,
                                   int limit) override;
    bool mark_read(const std::string& user_id, const std::string& id, Timestamp now) override;
    void mark_all_read(const std::string& user_id, Timestamp now) override;
    std::int64_t unread_count(const std::string& user_id) override;

private:
    db::Database& db_;
};

class SqlOutboxSource final : public OutboxSource {
public:
    explicit SqlOutboxSource(db::Database& db) : db_(db) {}
    std::vector<jobs::QueuedRequest> peek(int limit) override;
    void remove(const std::vector<std::string>& ids) override;
    std::int64_t depth() override;

private:
    db::Database& db_;
};

}  // namespace medisecure::notifications
