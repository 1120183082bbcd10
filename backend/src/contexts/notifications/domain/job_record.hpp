// SPDX-License-Identifier: Apache-2.0
// A job in the queue and its lifecycle: pending → running → succeeded, or → retrying (with
// backoff) → … → dead after its last attempt. In-app notifications for one user.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace medisecure::notifications {

enum class JobStatus { pending, running, succeeded, retrying, dead };
std::string_view to_string(JobStatus s);
std::optional<JobStatus> parse_job_status(std::string_view s);

struct JobRecord {
    std::string id;
    std::string type;
    std::string payload_json;
    std::string dedupe_key;
    std::string owner_user_id;
    std::string patient_id;
    JobStatus status = JobStatus::pending;
    int attempts = 0;  // runs started so far
    int max_attempts = 5;
    Timestamp run_at{};
    Timestamp lease_until{};
    std::string last_error;
    std::string result_json = "{}";
    bool result_taken = false;
    Timestamp created_at{};
    Timestamp updated_at{};
};

/// Delay before attempt `next_attempt` (2, 3, …): `base` doubled each time, at most an hour.
std::chrono::seconds backoff(int next_attempt, std::chrono::seconds base);

struct Notification {
    std::string id;
    std::string user_id;
    std::string kind;       // e.g. appointment.booked; the web application words it per language
    std::string data_json;  // what the wording needs (ids, display fields)
    std::string link;       // where it leads in the web application
    Timestamp created_at{};
    std::optional<Timestamp> read_at;
};

}  // namespace medisecure::notifications
