// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/audit/ports/audit_repository.hpp"
#include "platform/db/database.hpp"

namespace medisecure::audit {

class SqlAuditRepository final : public AuditRepository {
public:
    explicit SqlAuditRepository(db::Database& db) : db_(db) {}
    /// On PostgreSQL each writer keeps its own chain and records are numbered by a sequence;
    /// on SQLite one chain, numbered 1, 2, 3….
    void append(std::vector<AuditRecord>& records, const Seal& seal, const HeadMac& head_mac) override;
    bool per_writer_chains() const override;
    bool consecutive_numbers() const override;
    void open_chain(AuditRecord& registration, const Seal& seal, const HeadMac& root_head_mac,
                    const HeadMac& chain_head_mac) override;
    std::vector<ChainHead> heads() override;
    void append_sealed(const std::vector<AuditRecord>& records, const HeadMac& head_mac) override;
    std::vector<AuditRecord> search(const AuditFilter& f) override;
    void scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) override;
    std::optional<ChainHead> head() override;
    bool ping() override { return db_.ping(); }

private:
    db::Database& db_;
};

}  // namespace medisecure::audit
