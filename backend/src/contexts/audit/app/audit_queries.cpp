// SPDX-License-Identifier: Apache-2.0
#include "contexts/audit/app/audit_queries.hpp"

#include <algorithm>
#include <map>

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
    // Every chain at once, streamed in the trail's order: memory stays flat however long the
    // trail is, and grows only with the number of chains. A writer's chain starts from its
    // registration in the root chain, which comes before it in that order.
    const bool consecutive = repo_.consecutive_numbers();
    auto seal = [this](const AuditRecord& r) { return log_.seal(r); };
    std::map<std::string, ChainVerifier> chains;
    std::map<std::string, std::int64_t> registered;  // chain -> its registration's number
    std::vector<ChainProblem> problems;
    auto verifier = [&](const std::string& chain, const std::string& genesis) -> ChainVerifier& {
        auto it = chains.find(chain);
        if (it == chains.end()) {
            auto head_mac = [this, chain](std::int64_t s, const std::string& h) { return log_.head_mac(chain, s, h); };
            it = chains.emplace(chain, ChainVerifier(seal, head_mac, genesis, chain.empty() ? consecutive : false)).first;
        }
        return it->second;
    };
    std::map<std::string, std::string> genesis;  // chain -> its registration's hash
    verifier("", kGenesis);
    repo_.scan([&](std::vector<AuditRecord>& chunk) {
        for (const auto& r : chunk) {
            if (r.chain.empty() && r.action == kChainOpened) {
                genesis[r.resource_id] = r.hash;
                registered[r.resource_id] = r.seq;
            }
            if (!r.chain.empty() && !chains.contains(r.chain) && !genesis.contains(r.chain))
                problems.push_back({ProblemKind::inserted, r.seq,
                                    "record " + std::to_string(r.seq) + " belongs to chain " + r.chain +
                                        ", which no record of the root chain opened"});
            verifier(r.chain, genesis.contains(r.chain) ? genesis[r.chain] : kGenesis).add(r);
        }
    });
    bool wanted = false;
    for (auto& [chain, v] : chains) wanted |= v.wanted();
    if (wanted)  // a broken link: read the trail again to tell a move from a deletion
        repo_.scan([&](std::vector<AuditRecord>& chunk) {
            for (const auto& r : chunk)
                if (auto it = chains.find(r.chain); it != chains.end()) it->second.locate(r);
        });
    std::map<std::string, ChainHead> heads;
    for (auto& h : repo_.heads()) heads.emplace(h.chain, std::move(h));
    VerifyReport report;
    for (const auto& [chain, seq] : registered) {
        if (!heads.contains(chain))
            problems.push_back({ProblemKind::deleted, seq,
                                "chain " + chain + ", opened by record " + std::to_string(seq) + ", has no head: it was deleted"});
        verifier(chain, genesis[chain]);  // a chain opened but still empty is checked against its head too
    }
    for (const auto& [chain, head] : heads)
        if (!chain.empty() && !registered.contains(chain))
            problems.push_back({ProblemKind::inserted, head.seq,
                                "chain " + chain + " has a head but no record of the root chain opened it"});
    for (auto& [chain, v] : chains) {
        auto it = heads.find(chain);
        auto one = v.finish(it == heads.end() ? std::nullopt : std::optional<ChainHead>(it->second));
        report.records += one.records;
        for (auto& p : one.problems) {
            if (!chain.empty()) p.message = "chain " + chain + ": " + p.message;
            problems.push_back(std::move(p));
        }
    }
    std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    report.problems = std::move(problems);
    report.chains = static_cast<std::int64_t>(chains.size());
    return report;
}

}  // namespace medisecure::audit
