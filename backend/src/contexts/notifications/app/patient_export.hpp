// SPDX-License-Identifier: Apache-2.0
// A patient's copy of all their data (GDPR articles 15 and 20): requested by the patient or an
// administrator, built by a background job from every context's section into one ZIP archive
// (JSON plus the documents), encrypted at rest, downloadable once by whoever asked, audited
// at each step, and deleted when downloaded or after a week.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/notifications/app/jobs_service.hpp"
#include "platform/jobs/patient_export.hpp"

namespace medisecure::notifications {

inline constexpr const char* kExportJob = "notifications.patient_export";

class ExportService {
public:
    ExportService(JobStore& store, audit::AuditTrail& audit, const Clock& clock,
                  std::function<bool(const std::string&)> patient_exists, std::function<void()> queued);
    /// The patient themself or an administrator; returns the job id.
    Result<std::string> request(const Caller& caller, const std::string& patient_id);

private:
    JobStore& store_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    std::function<bool(const std::string&)> patient_exists_;
    std::function<void()> queued_;
};

class ExportHandler final : public jobs::Handler {
public:
    /// `sources` is read when a job runs, so contexts may register theirs after construction.
    ExportHandler(const std::vector<std::shared_ptr<jobs::PatientDataSource>>& sources, JobsService& jobs,
                  std::string directory, const Clock& clock);
    jobs::Outcome run(const jobs::Job& job) override;

private:
    const std::vector<std::shared_ptr<jobs::PatientDataSource>>& sources_;
    JobsService& jobs_;
    std::string dir_;
    const Clock& clock_;
};

}  // namespace medisecure::notifications
