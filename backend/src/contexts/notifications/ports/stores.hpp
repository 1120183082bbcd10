// SPDX-License-Identifier: Apache-2.0
// Storage of the job queue and of in-app notifications (the notifications database), and the
// outboxes of the other contexts. Implementations: SqlJobStore, SqlNotificationStore,
// SqlOutboxSource, MongoOutboxSource (an outbox on MongoDB: appointments). Blocking: yes.
// Thread safety: safe. PHI: patient ids only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "contexts/notifications/domain/job_record.hpp"
#include "platform/jobs/job.hpp"

namespace medisecure::notifications {

class JobStore {
public:
    virtual ~JobStore() = default;
    /// Adds requests relayed from an outbox; ids or dedupe keys already known are ignored.
    /// Returns how many were new.
    virtual int import(const std::vector<jobs::QueuedRequest>& requests, Timestamp now) = 0;
    /// Adds one request directly (jobs the notifications context starts itself).
    virtual std::string enqueue(const jobs::JobRequest& r, Timestamp now) = 0;
    /// Atomically takes the next due job (pending or retrying and due, or running with an
    /// expired lease after a crash), marks it running until `lease_until` and counts the attempt.
    virtual std::optional<JobRecord> claim(Timestamp now, Timestamp lease_until) = 0;
    /// Takes the job a broker delivered, by id, when it may run: pending or retrying and due by
    /// `due_by`, or running with an expired lease (its worker died). Marks it running until
    /// `lease_until` and counts the attempt; nullopt when it is not to run (done, dead, running
    /// elsewhere, not due yet, unknown): a second delivery of one job does nothing.
    virtual std::optional<JobRecord> claim_id(const std::string& id, Timestamp now, Timestamp lease_until,
                                              Timestamp due_by) = 0;
    /// Takes the jobs the broker may not hold (with a broker): due jobs last handed to it before
    /// they became due (scheduled jobs, a publication that failed) or before `stale` (a message
    /// lost), and running jobs whose lease ran out; marks them handed over at `now` in the same
    /// transaction, so that instances relaying together hand each over once. At most `limit` of
    /// each kind, oldest due first. A caller whose publication fails marks them back (at 0).
    virtual std::vector<JobRecord> take_undispatched(Timestamp now, Timestamp stale, int limit) = 0;
    /// Records that these jobs were handed to the broker, to run at `at`.
    virtual void mark_dispatched(const std::vector<std::string>& ids, Timestamp at) = 0;
    virtual void succeed(const std::string& id, const std::string& result_json, Timestamp now) = 0;
    virtual void reschedule(const std::string& id, const std::string& error, Timestamp run_at, Timestamp now) = 0;
    virtual void bury(const std::string& id, const std::string& error, Timestamp now) = 0;
    virtual std::optional<JobRecord> find(const std::string& id) = 0;
    /// Marks a job's result as taken; false when it already was (one download only).
    virtual bool take_result(const std::string& id, Timestamp now) = 0;
    /// Succeeded jobs with an untaken result older than `before` (expired downloads).
    virtual std::vector<JobRecord> untaken_results_before(Timestamp before) = 0;
    virtual std::map<JobStatus, std::int64_t> counts() = 0;
    virtual bool ping() = 0;
};

class NotificationStore {
public:
    virtual ~NotificationStore() = default;
    virtual void insert(const Notification& n) = 0;
    /// Newest first; `before` is a created_at cursor.
    virtual std::vector<Notification> list(const std::string& user_id, bool unread_only, std::optional<Timestamp> before,
                                           int limit) = 0;
    /// False when the notification does not exist or belongs to someone else.
    virtual bool mark_read(const std::string& user_id, const std::string& id, Timestamp now) = 0;
    virtual void mark_all_read(const std::string& user_id, Timestamp now) = 0;
    virtual std::int64_t unread_count(const std::string& user_id) = 0;
};

/// Another context's outbox, as the relay sees it.
class OutboxSource {
public:
    virtual ~OutboxSource() = default;
    virtual std::vector<jobs::QueuedRequest> peek(int limit) = 0;
    virtual void remove(const std::vector<std::string>& ids) = 0;
    /// Rows waiting (a gauge: what the relay has not moved yet).
    virtual std::int64_t depth() = 0;
};

}  // namespace medisecure::notifications
