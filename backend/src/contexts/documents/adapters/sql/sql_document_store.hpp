// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/documents/ports/ports.hpp"
#include "platform/db/database.hpp"

namespace medisecure::documents {

class SqlDocumentStore final : public DocumentStore {
public:
    explicit SqlDocumentStore(db::Database& db) : db_(db) {}
    void insert(const Document& d, const std::vector<jobs::JobRequest>& jobs, Timestamp now) override;
    std::optional<Document> find(const std::string& id) override;
    std::vector<Document> list(const DocumentQuery& q) override;
    bool update(const Document& d) override;
    std::vector<Document> after(const std::string& after_id, int limit) override;
    bool ping() override { return db_.ping(); }

private:
    db::Database& db_;
};

}  // namespace medisecure::documents
