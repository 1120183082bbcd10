// SPDX-License-Identifier: Apache-2.0
// Reading the trail: the administrators' search, a patient's access log, and verification.
// Every read of the trail is itself audited.
#pragma once

#include <functional>

#include "contexts/audit/app/audit_log.hpp"
#include "contexts/audit/ports/audit_repository.hpp"
#include "core/error.hpp"

namespace medisecure::audit {

struct AccessLogPage {
    std::vector<AuditRecord> records;
    std::optional<std::int64_t> next_before;
};

class AuditQueries {
public:
    /// `patient_exists` answers whether a (non-archived or archived) patient id is known.
    AuditQueries(AuditRepository& repo, AuditLog& log, std::function<bool(const std::string&)> patient_exists);

    /// Admin only.
    Result<AccessLogPage> search(const Caller& caller, AuditFilter filter);
    /// The patient themself, or an admin; anyone else, and unknown ids, get not_found.
    Result<AccessLogPage> access_log(const Caller& caller, const std::string& patient_id,
                                     std::optional<std::int64_t> before_seq, int limit);
    /// Reads the whole chain and checks it (used by `medisecure audit verify`).
    VerifyReport verify();

private:
    AuditRepository& repo_;
    AuditLog& log_;
    std::function<bool(const std::string&)> patient_exists_;
};

}  // namespace medisecure::audit
