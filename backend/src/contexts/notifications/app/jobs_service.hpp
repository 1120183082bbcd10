// SPDX-License-Identifier: Apache-2.0
// What callers may see of jobs: the status of their own (administrators: of all), and the
// one-time download of a result file (an export archive, a report), encrypted at rest.
#pragma once

#include <functional>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/notifications/ports/stores.hpp"
#include "core/caller.hpp"
#include "core/error.hpp"
#include "platform/crypto/sealed_box.hpp"

namespace medisecure::notifications {

/// A result file as a job records it in its result JSON.
struct ResultFile {
    std::string path;      // encrypted file
    std::string key;       // the file key (32 bytes), unsealed
    std::string filename;  // offered to the browser
    std::string content_type;
    std::uint64_t size = 0;
};

class JobsService {
public:
    JobsService(JobStore& store, audit::AuditTrail& audit, const Clock& clock, std::string master_key);

    /// A job's state: for the user who asked for it, and for administrators (who follow them all).
    Result<JobRecord> get(const Caller& caller, const std::string& id);
    /// Hands the result file over once, to the user who asked for the job only; the caller
    /// streams it then deletes it.
    Result<ResultFile> take_download(const Caller& caller, const std::string& id);
    /// Deletes result files nobody downloaded within `max_age`; returns how many.
    int purge_untaken(std::chrono::hours max_age);

    /// For handlers: the JSON that describes a result file (the key sealed for this job).
    std::string describe_result(const std::string& job_id, const ResultFile& f) const;
    std::optional<ResultFile> result_file(const JobRecord& job) const;

private:
    static bool owns(const Caller& caller, const JobRecord& job);
    bool may_see(const Caller& caller, const JobRecord& job) const;
    JobStore& store_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    crypto::SealedBox box_;
};

}  // namespace medisecure::notifications
