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
    if (r.chain.empty()) {
        field("v1");
    } else {
        field("v2");
        field(r.chain);
    }
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

ChainVerifier::ChainVerifier(Seal seal, HeadMac head_mac, std::string genesis, bool consecutive)
    : seal_(std::move(seal)), head_mac_(std::move(head_mac)), genesis_(std::move(genesis)), consecutive_(consecutive) {}

void ChainVerifier::settle_edit(const Link& l) {
    if (!l.sealed && !l.explained)
        edits_.push_back({ProblemKind::edited, l.seq,
                          "record " + std::to_string(l.seq) + " was edited: its content no longer matches its seal"});
}

void ChainVerifier::add(const AuditRecord& r) {
    const std::int64_t i = n_++;
    Link cur{r.seq, r.hash, seal_(r) == r.hash, false};
    const std::string& expected = last_ ? last_->hash : genesis_;
    const std::string& before_prev = before_last_ ? before_last_->hash : genesis_;
    if (r.prev_hash != expected) {
        if (last_ && !last_->sealed && r.prev_hash == before_prev) {
            links_.push_back({ProblemKind::inserted, last_->seq,
                              "record " + std::to_string(last_->seq) + " was inserted: it is not part of the chain"});
            last_->explained = true;
        } else {
            breaks_.push_back({links_.size(), i, r.seq, last_ ? last_->seq : 0, r.prev_hash});
            wanted_.insert(r.prev_hash);
            links_.push_back({ProblemKind::deleted, r.seq, ""});
        }
    } else if (last_ && (consecutive_ ? r.seq != last_->seq + 1 : r.seq <= last_->seq)) {
        links_.push_back({ProblemKind::renumbered, r.seq,
                          "record " + std::to_string(r.seq) + " was renumbered: it directly follows record " +
                              std::to_string(last_->seq)});
    } else if (!last_ && consecutive_ && r.seq != 1) {
        links_.push_back({ProblemKind::renumbered, r.seq, "the first record is numbered " + std::to_string(r.seq)});
    }
    if (before_last_) settle_edit(*before_last_);
    before_last_ = std::move(last_);
    last_ = std::move(cur);
}

void ChainVerifier::locate(const AuditRecord& r) {
    const std::int64_t i = located_++;
    // The first record with that hash, as a lookup by hash would find.
    if (wanted_.contains(r.hash)) found_.try_emplace(r.hash, i, r.seq);
}

VerifyReport ChainVerifier::finish(const std::optional<ChainHead>& head) {
    if (before_last_) settle_edit(*before_last_);
    if (last_) settle_edit(*last_);
    // Each broken link, in order, gets the message the whole chain supports.
    for (const Break& br : breaks_) {
        ChainProblem& p = links_[br.problem];
        auto it = found_.find(br.prev_hash);
        if (it != found_.end() && it->second.first != br.index - 1) {
            p.kind = ProblemKind::reordered;
            p.message = "record " + std::to_string(br.seq) + " was moved: in the chain it follows record " +
                        std::to_string(it->second.second);
        } else if (br.index == 0) {
            p.message = "records before " + std::to_string(br.seq) +
                        " were deleted (the first record does not start the chain)";
        } else {
            p.message = "one or more records between " + std::to_string(br.before_seq) + " and " +
                        std::to_string(br.seq) + " were deleted";
        }
    }
    VerifyReport rep;
    rep.records = n_;
    // Links before seals: for the same record, a link problem is listed first.
    rep.problems = std::move(links_);
    rep.problems.insert(rep.problems.end(), std::make_move_iterator(edits_.begin()), std::make_move_iterator(edits_.end()));
    std::stable_sort(rep.problems.begin(), rep.problems.end(),
                     [](const ChainProblem& a, const ChainProblem& x) { return a.seq < x.seq; });
    auto add = [&](ProblemKind k, std::int64_t seq, std::string msg) { rep.problems.push_back({k, seq, std::move(msg)}); };
    if (head) {
        // The migration creates the genesis head before any key exists.
        bool genesis = head->seq == 0 && head->mac.empty() && head->hash == kGenesis && genesis_ == kGenesis;
        bool head_valid = genesis || head_mac_(head->seq, head->hash) == head->mac;
        std::int64_t last_seq = last_ ? last_->seq : 0;
        std::string last_hash = last_ ? last_->hash : genesis_;
        if (!head_valid) {
            add(ProblemKind::edited, head->seq, "the chain head was edited");
        } else if (last_seq != head->seq || last_hash != head->hash) {
            if (last_seq < head->seq)
                add(ProblemKind::truncated, last_seq + 1,
                    consecutive_ ? "records " + std::to_string(last_seq + 1) + " to " + std::to_string(head->seq) +
                                       " were deleted from the end"
                                 : "records after " + std::to_string(last_seq) + ", up to " +
                                       std::to_string(head->seq) + ", were deleted from the end");
            else
                add(ProblemKind::inserted, last_seq, "records after " + std::to_string(head->seq) + " were appended outside the audit log");
        }
    } else if (n_ > 0) {
        add(ProblemKind::truncated, 0, "the chain head is missing");
    }
    return rep;
}

VerifyReport verify_chain(const std::vector<AuditRecord>& r, const ChainVerifier::Seal& seal,
                          const std::optional<ChainHead>& head, const ChainVerifier::HeadMac& head_mac) {
    ChainVerifier v(seal, head_mac);
    for (const auto& rec : r) v.add(rec);
    if (v.wanted())
        for (const auto& rec : r) v.locate(rec);
    return v.finish(head);
}

}  // namespace medisecure::audit
