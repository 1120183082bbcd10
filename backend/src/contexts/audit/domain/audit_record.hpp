// SPDX-License-Identifier: Apache-2.0
// One entry of the audit trail, its canonical form for the hash chain, and the verification of
// a chain: which record was edited, deleted, inserted or moved. No I/O here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/clock.hpp"

namespace medisecure::audit {

enum class Outcome { success, denied, not_found, failure, error };
std::string_view to_string(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view s);

struct AuditRecord {
    std::int64_t seq = 0;
    Timestamp at{};
    std::string actor_id;
    std::string actor_role;
    std::string action;         // e.g. patient.read, auth.login
    std::string resource_type;  // e.g. patient, user, session
    std::string resource_id;
    std::string patient_id;     // whose data this touched, when any
    std::string client_ip;
    std::string request_id;
    Outcome outcome = Outcome::success;
    std::string detail;         // short, never clinical content
    std::string prev_hash;      // hex; the first record links to its chain's genesis
    std::string hash;           // hex HMAC-SHA256 over canonical(record)
    /// The chain it belongs to: "" is the root chain (one writer at a time: the embedded store,
    /// or every instance before per-writer chains); otherwise the chain of one writer process,
    /// opened by a registration record in the root chain whose hash is that chain's genesis.
    std::string chain;
};

inline const std::string kGenesis(64, '0');

/// Unambiguous serialisation of every field except seq and hash (length-prefixed), so the
/// chain, not the numbering, defines the order. Records of a writer's chain ("v2") also seal
/// the chain's id; the root chain's are "v1", as they always were.
std::string canonical(const AuditRecord& r);

/// The root chain's action that opens a writer's chain (resource_id: the chain's id).
inline constexpr const char* kChainOpened = "audit.chain_opened";

enum class ProblemKind { edited, deleted, inserted, reordered, renumbered, truncated };
std::string_view to_string(ProblemKind k);

struct ChainProblem {
    ProblemKind kind;
    std::int64_t seq;  // the record concerned (for `deleted`: the first record after the gap)
    std::string message;
};

struct ChainHead {
    std::int64_t seq = 0;
    std::string hash;
    std::string mac;  // HMAC over (chain, seq, hash): the tail cannot be cut without the key
    std::string chain;  // "" for the root chain
};

struct VerifyReport {
    std::int64_t records = 0;
    std::int64_t chains = 1;  // the root chain and every writer's chain checked
    std::vector<ChainProblem> problems;
    bool ok() const { return problems.empty(); }
};

/// Verifies a chain read in seq order, one record at a time, holding only the last two records'
/// links and the problems found, so a trail of any length fits in memory.
///
/// A broken link is classified as an insertion (the record before it is unsealed and the link
/// skips it), a move (the record it names is elsewhere in the chain) or a deletion. Whether it
/// is elsewhere needs the whole chain: the first pass notes the hashes that broken links name
/// (`wanted()`), and when there are any the caller reads the chain once more through `locate`.
class ChainVerifier {
public:
    using Seal = std::function<std::string(const AuditRecord&)>;
    using HeadMac = std::function<std::string(std::int64_t, const std::string&)>;
    /// `genesis`: what the first record links to (a writer's chain: its registration's hash).
    /// `consecutive`: records are numbered 1, 2, 3… (one writer numbering the root chain);
    /// otherwise numbers come from a sequence shared by every chain and need only increase.
    ChainVerifier(Seal seal, HeadMac head_mac, std::string genesis = kGenesis, bool consecutive = true);

    /// First pass: every record, in seq order.
    void add(const AuditRecord& r);
    /// Whether a broken link names a record to look for (never for an intact chain).
    bool wanted() const { return !wanted_.empty(); }
    /// Second pass, only when wanted(): every record again, in the same order.
    void locate(const AuditRecord& r);
    VerifyReport finish(const std::optional<ChainHead>& head);

private:
    struct Link {
        std::int64_t seq = 0;
        std::string hash;
        bool sealed = true;
        bool explained = false;  // found inserted: not also reported as edited
    };
    struct Break {
        std::size_t problem;  // its entry in links_, classified by finish()
        std::int64_t index;   // position of the record whose link is broken
        std::int64_t seq, before_seq;
        std::string prev_hash;
    };
    void settle_edit(const Link& l);

    Seal seal_;
    HeadMac head_mac_;
    std::string genesis_;
    bool consecutive_;
    std::int64_t n_ = 0, located_ = 0;  // records added, records located
    std::optional<Link> last_, before_last_;
    std::vector<Break> breaks_;
    std::unordered_set<std::string> wanted_;  // the hashes broken links name
    std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>> found_;  // hash -> first (position, seq)
    std::vector<ChainProblem> links_, edits_;
};

/// Verifies records given in seq order. `seal` recomputes a record's hash with the key;
/// `head_mac` recomputes the head's MAC.
VerifyReport verify_chain(const std::vector<AuditRecord>& records,
                          const std::function<std::string(const AuditRecord&)>& seal,
                          const std::optional<ChainHead>& head,
                          const std::function<std::string(std::int64_t, const std::string&)>& head_mac);

}  // namespace medisecure::audit
