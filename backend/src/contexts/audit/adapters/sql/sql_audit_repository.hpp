// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/audit/ports/audit_repository.hpp"
#include "platform/db/database.hpp"

namespace medisecure::audit {

class SqlAuditRepository final : public AuditRepository {
public:
    explicit SqlAuditRepository(db::Database& db) : db_(db) {}
    void append(std::vector<AuditRecord>& records, const std::function<std::string(const AuditRecord&)>& seal,
                const std::function<std::string(std::int64_t, const std::string&)>& head_mac) override;
    void append_sealed(const std::vector<AuditRecord>& records,
                       const std::function<std::string(std::int64_t, const std::string&)>& head_mac) override;
    std::vector<AuditRecord> search(const AuditFilter& f) override;
    void scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) override;
    std::optional<ChainHead> head() override;
    bool ping() override { return db_.ping(); }

private:
    db::Database& db_;
};

}  // namespace medisecure::audit
