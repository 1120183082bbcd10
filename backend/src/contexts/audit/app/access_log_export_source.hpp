// SPDX-License-Identifier: Apache-2.0
// The access-log section of a patient's data export: who read or changed their record.
#pragma once

#include <functional>
#include <map>
#include <set>

#include "contexts/audit/ports/audit_repository.hpp"
#include "platform/jobs/patient_export.hpp"

namespace medisecure::audit {

class AccessLogExportSource final : public jobs::PatientDataSource {
public:
    using Names = std::function<std::map<std::string, std::string>(const std::set<std::string>&)>;
    AccessLogExportSource(AuditRepository& repo, Names names) : repo_(repo), names_(std::move(names)) {}
    std::string section() const override { return "access_log"; }
    boost::json::value export_json(const std::string& patient_id) override;

private:
    AuditRepository& repo_;
    Names names_;
};

}  // namespace medisecure::audit
