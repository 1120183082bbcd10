// SPDX-License-Identifier: Apache-2.0
// The transactional outbox: each context that causes jobs has an `outbox` table in its own
// database (same columns in every context; see any context's migration) and writes job
// requests there inside the transaction of the change.
//
//   CREATE TABLE outbox (
//       id TEXT PRIMARY KEY, type TEXT NOT NULL, payload TEXT NOT NULL, run_at BIGINT NOT NULL,
//       dedupe_key TEXT NOT NULL, owner_user_id TEXT NOT NULL, patient_id TEXT NOT NULL,
//       max_attempts INTEGER NOT NULL, created_at BIGINT NOT NULL);
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

#include "platform/jobs/job.hpp"

namespace medisecure::db {

/// Inserts `r` into the session's outbox (call inside the write transaction); returns the job id.
std::string enqueue_job(soci::session& sql, const jobs::JobRequest& r, Timestamp now);

using OutboxRow = jobs::QueuedRequest;
/// Oldest first, at most `limit` (the relay).
std::vector<OutboxRow> peek_outbox(soci::session& sql, int limit);
void remove_from_outbox(soci::session& sql, const std::vector<std::string>& ids);

}  // namespace medisecure::db
