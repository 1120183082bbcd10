// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/records/ports/code_store.hpp"
#include "platform/db/database.hpp"

namespace medisecure::records {

class SqlCodeStore final : public CodeStore {
public:
    explicit SqlCodeStore(db::Database& db) : db_(db) {}

    std::vector<Icd10Code> search(const CodeQuery& q) override;
    std::map<std::string, std::string> labels(const std::set<std::string>& codes) override;
    std::optional<CodeSetInfo> code_set(const std::string& name) override;
    UpsertCounts upsert(const std::vector<Icd10Code>& codes, CodeSetInfo info) override;

private:
    db::Database& db_;
};

}  // namespace medisecure::records
