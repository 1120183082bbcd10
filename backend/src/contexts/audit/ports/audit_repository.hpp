// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <optional>
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
    virtual ~AuditRepository() = default;
    /// In one transaction: reads the head (locking it), numbers and links `records` after it,
    /// seals each with `seal`, inserts them and moves the head. Throws when the store fails;
    /// then nothing was written.
    virtual void append(std::vector<AuditRecord>& records,
                        const std::function<std::string(const AuditRecord&)>& seal,
                        const std::function<std::string(std::int64_t, const std::string&)>& head_mac) = 0;
    /// Inserts records already numbered, linked and sealed elsewhere (by the journal in front
    /// of the embedded store) and moves the head, in one transaction. Records the store already
    /// holds are skipped; throws, writing nothing, when the rest does not continue the head.
    virtual void append_sealed(const std::vector<AuditRecord>& records,
                               const std::function<std::string(std::int64_t, const std::string&)>& head_mac) = 0;
    /// Newest first.
    virtual std::vector<AuditRecord> search(const AuditFilter& f) = 0;
    /// Every record in seq order, in chunks, for verification.
    virtual void scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) = 0;
    virtual std::optional<ChainHead> head() = 0;
    virtual bool ping() = 0;
};

}  // namespace medisecure::audit
