// SPDX-License-Identifier: Apache-2.0
// What other contexts see of the audit context: record who did what to which record.
#pragma once

#include <string>

#include "contexts/audit/domain/audit_record.hpp"
#include "core/caller.hpp"

namespace medisecure::audit {

struct AuditEntry {
    std::string action;
    std::string resource_type;
    std::string resource_id;
    std::string patient_id;
    Outcome outcome = Outcome::success;
    std::string detail;
};

/// Thread safety: safe. Blocking: no; the entry is queued and the caller's audit ticket
/// is raised so the HTTP layer withholds the response until the entry is durable.
class AuditTrail {
public:
    virtual ~AuditTrail() = default;
    virtual void record(const Caller& caller, AuditEntry entry) = 0;
};

}  // namespace medisecure::audit
