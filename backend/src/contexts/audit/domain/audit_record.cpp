// SPDX-License-Identifier: Apache-2.0
#include "contexts/audit/domain/audit_record.hpp"

#include <algorithm>
#include <unordered_map>

namespace medisecure::audit {

std::string_view to_string(Outcome o) {
    switch (o) {
    case Outcome::success: return "success";
    case Outcome::denied: return "denied";
    case Outcome::not_found: return "not_found";
    case Outcome::failure: return "failure";
    case Outcome::error: return "error";
    }
    return "error";
}

std::optional<Outcome> parse_outcome(std::string_view s) {
    for (auto o : {Outcome::success, Outcome::denied, Outcome::not_found, Outcome::failure, Outcome::error})
        if (to_string(o) == s) return o;
    return std::nullopt;
}

std::string_view to_string(ProblemKind k) {
    switch (k) {
    case ProblemKind::edited: return "edited";
    case ProblemKind::deleted: return "deleted";
    case ProblemKind::inserted: return "inserted";
    case ProblemKind::reordered: return "reordered";
    case ProblemKind::renumbered: return "renumbered";
    case ProblemKind::truncated: return "truncated";
    }
    return "edited";
}

std::string canonical(const AuditRecord& r) {
    std::string out;
    out.reserve(256);
    auto field = [&](std::string_view v) {
        out += std::to_string(v.size());
        out += ':';
        out += v;
        out += ';';
    };
    field("v1");
    field(std::to_string(to_micros(r.at)));
    field(r.actor_id);
    field(r.actor_role);
    field(r.action);
    field(r.resource_type);
    field(r.resource_id);
    field(r.patient_id);
    field(r.client_ip);
    field(r.request_id);
    field(to_string(r.outcome));
    field(r.detail);
    field(r.prev_hash);
    return out;
}

VerifyReport verify_chain(const std::vector<AuditRecord>& r,
                          const std::function<std::string(const AuditRecord&)>& seal,
                          const std::optional<ChainHead>& head,
                          const std::function<std::string(std::int64_t, const std::string&)>& head_mac) {
    VerifyReport rep;
    rep.records = static_cast<std::int64_t>(r.size());
    const std::size_t n = r.size();
    std::vector<bool> sealed(n), explained(n, false);
    std::unordered_map<std::string, std::size_t> by_hash;
    for (std::size_t i = 0; i < n; ++i) {
        sealed[i] = seal(r[i]) == r[i].hash;
        by_hash.emplace(r[i].hash, i);
    }
    auto add = [&](ProblemKind k, std::int64_t seq, std::string msg) { rep.problems.push_back({k, seq, std::move(msg)}); };
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& expected = i == 0 ? kGenesis : r[i - 1].hash;
        const std::string before_prev = i >= 2 ? r[i - 2].hash : kGenesis;
        if (r[i].prev_hash != expected) {
            if (i >= 1 && !sealed[i - 1] && r[i].prev_hash == before_prev) {
                add(ProblemKind::inserted, r[i - 1].seq,
                    "record " + std::to_string(r[i - 1].seq) + " was inserted: it is not part of the chain");
                explained[i - 1] = true;
            } else if (auto it = by_hash.find(r[i].prev_hash); it != by_hash.end() && it->second != i - 1) {
                add(ProblemKind::reordered, r[i].seq,
                    "record " + std::to_string(r[i].seq) + " was moved: in the chain it follows record " +
                        std::to_string(r[it->second].seq));
            } else if (i == 0) {
                add(ProblemKind::deleted, r[i].seq,
                    "records before " + std::to_string(r[i].seq) + " were deleted (the first record does not start the chain)");
            } else {
                add(ProblemKind::deleted, r[i].seq,
                    "one or more records between " + std::to_string(r[i - 1].seq) + " and " +
                        std::to_string(r[i].seq) + " were deleted");
            }
        } else if (i >= 1 && r[i].seq != r[i - 1].seq + 1) {
            add(ProblemKind::renumbered, r[i].seq,
                "record " + std::to_string(r[i].seq) + " was renumbered: it directly follows record " +
                    std::to_string(r[i - 1].seq));
        } else if (i == 0 && r[i].seq != 1) {
            add(ProblemKind::renumbered, r[i].seq, "the first record is numbered " + std::to_string(r[i].seq));
        }
    }
    // Seals after links: a record found to be inserted is not also reported as edited.
    for (std::size_t i = 0; i < n; ++i)
        if (!sealed[i] && !explained[i])
            add(ProblemKind::edited, r[i].seq,
                "record " + std::to_string(r[i].seq) + " was edited: its content no longer matches its seal");
    std::stable_sort(rep.problems.begin(), rep.problems.end(),
                     [](const ChainProblem& a, const ChainProblem& b) { return a.seq < b.seq; });
    if (head) {
        // The migration creates the genesis head before any key exists.
        bool genesis = head->seq == 0 && head->mac.empty() && head->hash == kGenesis;
        bool head_valid = genesis || head_mac(head->seq, head->hash) == head->mac;
        std::int64_t last_seq = n ? r.back().seq : 0;
        std::string last_hash = n ? r.back().hash : kGenesis;
        if (!head_valid) {
            add(ProblemKind::edited, head->seq, "the chain head was edited");
        } else if (last_seq != head->seq || last_hash != head->hash) {
            if (last_seq < head->seq)
                add(ProblemKind::truncated, last_seq + 1,
                    "records " + std::to_string(last_seq + 1) + " to " + std::to_string(head->seq) + " were deleted from the end");
            else
                add(ProblemKind::inserted, last_seq, "records after " + std::to_string(head->seq) + " were appended outside the audit log");
        }
    } else if (n > 0) {
        add(ProblemKind::truncated, 0, "the chain head is missing");
    }
    return rep;
}

}  // namespace medisecure::audit
