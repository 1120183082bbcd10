// SPDX-License-Identifier: Apache-2.0
// Reports rendered by a background job (e.g. the month's revenue as a PDF): a context declares
// a kind (who may ask, how its parameters are checked, how it is rendered), a user asks for
// one, a job renders it as the server itself, and the file waits encrypted at rest for its
// requester to download it once, like an export. The requester is told live when it is ready.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <vector>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/notifications/app/jobs_service.hpp"

namespace medisecure::notifications {

inline constexpr const char* kReportJob = "notifications.report";

struct ReportFile {
    std::string filename;
    std::string content_type;
    std::string bytes;
};

struct ReportKind {
    std::vector<Role> roles;  // who may ask for it
    /// The parameters in canonical form, or a validation error with field details.
    std::function<Result<boost::json::object>(const boost::json::object& params)> check;
    /// Renders it; runs in the job, as the server itself.
    std::function<Result<ReportFile>(const boost::json::object& params)> render;
};

class ReportCatalogue {
public:
    void add(std::string name, ReportKind kind) { kinds_[std::move(name)] = std::move(kind); }
    const ReportKind* find(const std::string& name) const;
    std::vector<std::string> names() const;

private:
    std::map<std::string, ReportKind> kinds_;
};

class ReportService {
public:
    ReportService(const ReportCatalogue& catalogue, JobStore& store, audit::AuditTrail& audit, const Clock& clock,
                  std::function<void()> queued);
    /// Returns the job id.
    Result<std::string> request(const Caller& caller, const std::string& kind, const boost::json::object& params);
    const ReportCatalogue& catalogue() const { return catalogue_; }

private:
    const ReportCatalogue& catalogue_;
    JobStore& store_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    std::function<void()> queued_;
};

class ReportHandler final : public jobs::Handler {
public:
    ReportHandler(const ReportCatalogue& catalogue, JobsService& jobs, std::string directory);
    jobs::Outcome run(const jobs::Job& job) override;

private:
    const ReportCatalogue& catalogue_;
    JobsService& jobs_;
    std::string dir_;
};

}  // namespace medisecure::notifications
