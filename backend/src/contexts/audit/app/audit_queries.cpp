// SPDX-License-Identifier: Apache-2.0
#include "contexts/audit/app/audit_queries.hpp"

#include <algorithm>

namespace medisecure::audit {

AuditQueries::AuditQueries(AuditRepository& repo, AuditLog& log, std::function<bool(const std::string&)> patient_exists)
    : repo_(repo), log_(log), patient_exists_(std::move(patient_exists)) {}

namespace {
AccessLogPage page_of(std::vector<AuditRecord> records, int limit) {
    AccessLogPage page;
    if (static_cast<int>(records.size()) > limit) {
        records.resize(static_cast<std::size_t>(limit));
        page.next_before = records.back().seq;
    }
    page.records = std::move(records);
    return page;
}
}  // namespace

Result<AccessLogPage> AuditQueries::search(const Caller& caller, AuditFilter filter) {
    if (!caller.is(Role::admin)) {
        log_.record(caller, {"audit.search", "audit", "", filter.patient_id, Outcome::denied, ""});
        return forbidden("role_not_allowed", "Only administrators read the audit trail.");
    }
    int limit = std::clamp(filter.limit, 1, 200);
    filter.limit = limit + 1;
    auto records = repo_.search(filter);
    log_.record(caller, {"audit.search", "audit", "", filter.patient_id, Outcome::success,
                         "results=" + std::to_string(std::min<int>(limit, static_cast<int>(records.size())))});
    return page_of(std::move(records), limit);
}

Result<AccessLogPage> AuditQueries::access_log(const Caller& caller, const std::string& patient_id,
                                               std::optional<std::int64_t> before_seq, int limit) {
    bool allowed = (caller.is(Role::patient) && caller.patient_id == patient_id) || caller.is(Role::admin);
    if (!allowed || !patient_exists_(patient_id)) {
        log_.record(caller, {"patient.access_log.read", "patient", patient_id, patient_id,
                             allowed ? Outcome::not_found : Outcome::denied, ""});
        return not_found("patient_not_found", "No such patient.");
    }
    AuditFilter f;
    f.patient_id = patient_id;
    f.before_seq = before_seq;
    limit = std::clamp(limit, 1, 200);
    f.limit = limit + 1;
    auto records = repo_.search(f);
    log_.record(caller, {"patient.access_log.read", "patient", patient_id, patient_id, Outcome::success, ""});
    return page_of(std::move(records), limit);
}

VerifyReport AuditQueries::verify() {
    // Streamed: memory stays flat however long the trail is.
    ChainVerifier v([this](const AuditRecord& r) { return log_.seal(r); },
                    [this](std::int64_t s, const std::string& h) { return log_.head_mac(s, h); });
    repo_.scan([&](std::vector<AuditRecord>& chunk) {
        for (const auto& r : chunk) v.add(r);
    });
    auto head = repo_.head();
    if (v.wanted())  // a broken link: read the chain again to tell a move from a deletion
        repo_.scan([&](std::vector<AuditRecord>& chunk) {
            for (const auto& r : chunk) v.locate(r);
        });
    return v.finish(head);
}

}  // namespace medisecure::audit
