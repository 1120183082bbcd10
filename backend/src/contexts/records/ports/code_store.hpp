// SPDX-License-Identifier: Apache-2.0
// The ICD-10 code table. Implementation: SqlCodeStore (SQLite, PostgreSQL). Blocking: yes.
// Thread safety: safe. PHI: none (reference data).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contexts/records/domain/icd10.hpp"
#include "core/clock.hpp"

namespace medisecure::records {

struct CodeQuery {
    std::optional<std::string> code_prefix;  // normalised: "J45", "E11.9"
    std::vector<std::string> terms;          // folded word prefixes; every one must match
    int limit = 20;
};

/// Where the table's content came from.
struct CodeSetInfo {
    std::string name = "icd10";
    std::string source;  // "starter" or "import:<file name>"
    std::int64_t count = 0;
    Timestamp loaded_at{};
};

struct UpsertCounts {
    std::int64_t added = 0;
    std::int64_t updated = 0;  // label changed
    std::int64_t unchanged = 0;
};

class CodeStore {
public:
    virtual ~CodeStore() = default;
    /// Codes whose code starts with the prefix, or whose label words start with every term
    /// (either, when both are given), ordered by code.
    virtual std::vector<Icd10Code> search(const CodeQuery& q) = 0;
    /// Labels of the known codes among `codes`.
    virtual std::map<std::string, std::string> labels(const std::set<std::string>& codes) = 0;
    virtual std::optional<CodeSetInfo> code_set(const std::string& name) = 0;
    /// Adds new codes and relabels known ones in one transaction (codes absent from `codes` are
    /// kept: records may use them); records `info` with the table's new size. Safe to run
    /// concurrently with itself (two instances starting at once).
    virtual UpsertCounts upsert(const std::vector<Icd10Code>& codes, CodeSetInfo info) = 0;
};

}  // namespace medisecure::records
