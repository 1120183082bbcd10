// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/domain/job_record.hpp"

#include <algorithm>

namespace medisecure::notifications {

std::string_view to_string(JobStatus s) {
    switch (s) {
    case JobStatus::pending: return "pending";
    case JobStatus::running: return "running";
    case JobStatus::succeeded: return "succeeded";
    case JobStatus::retrying: return "retrying";
    case JobStatus::dead: return "dead";
    }
    return "pending";
}

std::optional<JobStatus> parse_job_status(std::string_view s) {
    for (auto v : {JobStatus::pending, JobStatus::running, JobStatus::succeeded, JobStatus::retrying, JobStatus::dead})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

std::chrono::seconds backoff(int next_attempt, std::chrono::seconds base) {
    int doublings = std::clamp(next_attempt - 2, 0, 16);
    auto d = base * (1 << doublings);
    return std::min<std::chrono::seconds>(d, std::chrono::hours(1));
}

}  // namespace medisecure::notifications
