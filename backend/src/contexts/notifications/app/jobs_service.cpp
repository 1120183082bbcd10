// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/app/jobs_service.hpp"

#include <boost/json.hpp>
#include <filesystem>

#include "platform/crypto/digest.hpp"
#include "platform/log/log.hpp"

namespace medisecure::notifications {
namespace json = boost::json;
using audit::Outcome;

JobsService::JobsService(JobStore& store, audit::AuditTrail& audit, const Clock& clock, std::string master_key)
    : store_(store), audit_(audit), clock_(clock), box_(crypto::derive_key(master_key, "medisecure job results v1")) {}

bool JobsService::owns(const Caller& caller, const JobRecord& job) {
    return !job.owner_user_id.empty() && job.owner_user_id == caller.user_id;
}

bool JobsService::may_see(const Caller& caller, const JobRecord& job) const {
    return caller.is(Role::admin) || owns(caller, job);
}

Result<JobRecord> JobsService::get(const Caller& caller, const std::string& id) {
    auto job = store_.find(id);
    if (!job || !may_see(caller, *job)) return not_found("job_not_found", "No such job.");
    return *job;
}

std::string JobsService::describe_result(const std::string& job_id, const ResultFile& f) const {
    return json::serialize(json::object{{"file", f.path},
                                        {"key", box_.seal(f.key, job_id)},
                                        {"filename", f.filename},
                                        {"content_type", f.content_type},
                                        {"size", f.size}});
}

std::optional<ResultFile> JobsService::result_file(const JobRecord& job) const {
    boost::system::error_code ec;
    auto v = json::parse(job.result_json, ec);
    if (ec || !v.is_object() || !v.as_object().contains("file")) return std::nullopt;
    const auto& o = v.as_object();
    auto key = box_.open(std::string(o.at("key").as_string()), job.id);
    if (!key) return std::nullopt;
    ResultFile f;
    f.path = std::string(o.at("file").as_string());
    f.key = *key;
    f.filename = std::string(o.at("filename").as_string());
    f.content_type = std::string(o.at("content_type").as_string());
    f.size = static_cast<std::uint64_t>(o.at("size").to_number<std::int64_t>());
    return f;
}

Result<ResultFile> JobsService::take_download(const Caller& caller, const std::string& id) {
    auto job = store_.find(id);
    // The file is its owner's alone: an administrator follows every job, but taking a patient's
    // export (downloadable once) would read their whole record and leave them without it.
    if (!job || !owns(caller, *job)) return not_found("job_not_found", "No such job.");
    if (job->status != JobStatus::succeeded) return conflict("job_not_finished", "The job has not finished yet.");
    auto file = result_file(*job);
    if (!file) return not_found("no_result_file", "This job has no file to download.");
    if (job->result_taken || !store_.take_result(id, clock_.now())) {
        audit_.record(caller, {"job.download", "job", id, job->patient_id, Outcome::denied, "already_downloaded"});
        return Error{ErrorKind::gone, "already_downloaded", "This file could be downloaded once and already was."};
    }
    audit_.record(caller, {"job.download", "job", id, job->patient_id, Outcome::success, job->type});
    return *file;
}

int JobsService::purge_untaken(std::chrono::hours max_age) {
    int n = 0;
    for (const auto& job : store_.untaken_results_before(clock_.now() - max_age)) {
        if (auto f = result_file(job)) {
            std::error_code ec;
            std::filesystem::remove(f->path, ec);
        }
        if (store_.take_result(job.id, clock_.now())) ++n;
    }
    if (n > 0) log::info("jobs.results_expired", {{"count", n}});
    return n;
}

}  // namespace medisecure::notifications
