// SPDX-License-Identifier: Apache-2.0
// The transactional outbox of a context database on MongoDB: the `outbox` collection holds the
// same fields as the SQL outbox table (platform/db/outbox.hpp), with the job id as `_id`, and
// job requests are inserted in the transaction of the change that causes them.
#pragma once

#include "platform/jobs/job.hpp"
#include "platform/mongo/mongo.hpp"

#include <string>
#include <vector>

namespace medisecure::mongo {

inline constexpr const char* kOutbox = "outbox";

/// Inserts `r` into the outbox (call inside the transaction); returns the job id.
std::string enqueue_job(Connection& c, const jobs::JobRequest& r, Timestamp now);
/// Oldest first (created_at, then id), at most `limit` (the relay).
std::vector<jobs::QueuedRequest> peek_outbox(Connection& c, int limit);
void remove_from_outbox(Connection& c, const std::vector<std::string>& ids);

}  // namespace medisecure::mongo
