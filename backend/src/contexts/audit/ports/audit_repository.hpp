// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <vector>

#include "contexts/audit/domain/audit_record.hpp"

namespace medisecure::audit {

struct AuditFilter {
    std::string patient_id;
    std::string actor_id;
    std::string action;
    std::optional<Timestamp> from, to;  // [from, to)
    std::optional<std::int64_t> before_seq;  // cursor: newest first
    int limit = 50;
};

/// Append-only storage of the chain. Implementations: SqlAuditRepository (SQLite, PostgreSQL),
/// JournaledAuditRepository (an fsync'd journal in front of the embedded SQLite store).
/// Blocking: yes. Thread safety: safe (each call uses its own session). PHI: patient ids only.
class AuditRepository {
public:
    using Seal = std::function<std::string(const AuditRecord&)>;
    using HeadMac = std::function<std::string(std::int64_t, const std::string&)>;

    virtual ~AuditRepository() = default;
    /// In one transaction: reads the head of the records' chain (locking it; every record of one
    /// call belongs to the same chain), numbers and links `records` after it, seals each with
    /// `seal`, inserts them and moves the head (its mac from `head_mac`). Throws when the store
    /// fails; then nothing was written.
    virtual void append(std::vector<AuditRecord>& records, const Seal& seal, const HeadMac& head_mac) = 0;
    /// Whether each writer process keeps a chain of its own (open_chain), so that processes
    /// sharing the store never wait for one another's head (PostgreSQL). The embedded store has
    /// one writer at a time and keeps the root chain only.
    virtual bool per_writer_chains() const { return false; }
    /// Whether a chain's records are numbered 1, 2, 3… (false: by a sequence every chain draws
    /// from, increasing in each chain but with gaps).
    virtual bool consecutive_numbers() const { return true; }
    /// Opens a writer's chain, registration.resource_id: appends `registration` (action
    /// kChainOpened) to the root chain and creates the new chain's head at it: seq 0, the
    /// registration's hash (the chain's genesis), its mac from `chain_head_mac`. One transaction;
    /// throws when the store fails.
    virtual void open_chain(AuditRecord& /*registration*/, const Seal& /*seal*/, const HeadMac& /*root_head_mac*/,
                            const HeadMac& /*chain_head_mac*/) {
        throw std::logic_error("this audit store keeps the root chain only");
    }
    /// Every chain's head, the root chain's first.
    virtual std::vector<ChainHead> heads() {
        std::vector<ChainHead> out;
        if (auto h = head()) out.push_back(*h);
        return out;
    }
    /// Inserts records already numbered, linked and sealed elsewhere (by the journal in front
    /// of the embedded store) and moves the head, in one transaction. Records the store already
    /// holds are skipped; throws, writing nothing, when the rest does not continue the head.
    virtual void append_sealed(const std::vector<AuditRecord>& records, const HeadMac& head_mac) = 0;
    /// Newest first.
    virtual std::vector<AuditRecord> search(const AuditFilter& f) = 0;
    /// Every record in seq order, in chunks, for verification.
    virtual void scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) = 0;
    /// The root chain's head.
    virtual std::optional<ChainHead> head() = 0;
    virtual bool ping() = 0;
};

}  // namespace medisecure::audit
