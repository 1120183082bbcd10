// SPDX-License-Identifier: Apache-2.0
// Background jobs. A use case asks for a job by writing a JobRequest into its own database's
// outbox in the same transaction as the change that causes it (db::enqueue_job), so a job
// exists exactly when the change does. The notifications context relays outboxes into its
// job queue and runs the handler registered for the job's type, with retries, backoff and a
// dead-letter state. Handlers must be idempotent: a job may run more than once.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace medisecure::jobs {

struct JobRequest {
    std::string type;                // "<context>.<what>", e.g. appointments.reminder_email
    std::string payload_json = "{}";  // ids, never clinical content
    std::optional<Timestamp> run_at;  // default: now
    std::string dedupe_key;           // a second request with the same non-empty key is dropped
    std::string owner_user_id;        // who may read the job's status (and download its result)
    std::string patient_id;           // whose data the job touches, if any
    int max_attempts = 5;
};

struct Job {
    std::string id;
    std::string type;
    std::string payload_json;
    std::string owner_user_id;
    std::string patient_id;
    int attempt = 1;  // 1 for the first run
    int max_attempts = 5;
    Timestamp created_at{};
};

struct Outcome {
    enum class Kind { done, retry, fail };
    Kind kind = Kind::done;
    std::string detail;       // safe to show: no PHI
    std::string result_json;  // e.g. {"file":"..."} for downloadable results
    /// Jobs to queue once this one is recorded as done (e.g. "your export is ready"), so they
    /// never run before it is.
    std::vector<JobRequest> follow_up{};
    static Outcome ok(std::string result_json = "{}") { return {Kind::done, "", std::move(result_json)}; }
    /// A transient failure (SMTP down): tried again with backoff until max_attempts.
    static Outcome retry(std::string detail) { return {Kind::retry, std::move(detail), ""}; }
    /// A permanent failure (the patient has no e-mail): goes straight to the dead-letter state.
    static Outcome fail(std::string detail) { return {Kind::fail, std::move(detail), ""}; }
};

/// A request waiting in a context's outbox.
struct QueuedRequest {
    std::string id;
    JobRequest request;
    Timestamp created_at{};
};

/// Thread safety: run() may be called from several worker threads at once.
class Handler {
public:
    virtual ~Handler() = default;
    virtual Outcome run(const Job& job) = 0;
};

class Registry {
public:
    void add(const std::string& type, std::shared_ptr<Handler> handler) { handlers_[type] = std::move(handler); }
    Handler* find(const std::string& type) const {
        auto it = handlers_.find(type);
        return it == handlers_.end() ? nullptr : it->second.get();
    }
    const std::map<std::string, std::shared_ptr<Handler>>& all() const { return handlers_; }

private:
    std::map<std::string, std::shared_ptr<Handler>> handlers_;
};

/// In-app notifications go through a job of this type. Payload:
/// {"recipients":["user:<id>","patient:<patient id>","role:<role>"], "kind":"appointment.booked",
///  "data":{...ids and display fields the web app needs...}, "link":"/appointments/<id>"}.
/// The web application renders `kind` + `data` in the reader's language.
inline constexpr const char* kInAppNotification = "notifications.in_app";

}  // namespace medisecure::jobs
