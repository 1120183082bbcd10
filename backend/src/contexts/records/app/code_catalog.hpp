// SPDX-License-Identifier: Apache-2.0
// The ICD-10 code table: a curated starter list of common primary-care codes (built in, from
// backend/data/icd10-starter.csv) loaded the first time the table is empty, the import of the
// full official list a practice obtains (ATIH's CIM-10 FR, or WHO's), and search by code
// prefix or by accent-insensitive label words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/records/domain/encounter.hpp"
#include "contexts/records/ports/code_store.hpp"
#include "core/caller.hpp"

namespace medisecure::records {

/// The starter list's CSV text, embedded at build time.
std::string_view icd10_starter_csv();

struct ImportReport {
    std::size_t read = 0;  // codes read from the file
    std::size_t skipped = 0;
    std::vector<std::string> problems;
    std::string encoding;
    UpsertCounts counts;
    std::int64_t table_size = 0;
};

class CodeCatalog {
public:
    CodeCatalog(CodeStore& store, audit::AuditTrail& audit, const Clock& clock);

    /// Loads the starter list when no list was ever loaded; returns how many codes it added.
    /// Cheap when the table is filled (one query), so it runs at every start.
    std::int64_t ensure_starter();
    /// Clinicians only. `q` is a code prefix ("J45", "e11.9") or label words ("diabete type").
    Result<std::vector<Icd10Code>> search(const Caller& caller, std::string_view q, int limit);
    /// Operators (the `system` caller of the CLI) and administrators. `source_name` is recorded
    /// with the table (e.g. the file's name).
    Result<ImportReport> import(const Caller& caller, std::string_view file_bytes, const std::string& source_name);
    /// Fills empty labels of known codes from the table (a label the doctor wrote is kept).
    void fill_labels(std::vector<Diagnosis>& diagnoses);
    std::string label_of(const std::string& code);

    static constexpr int kMaxResults = 50;
    static constexpr std::size_t kMaxQueryTerms = 6;

private:
    CodeStore& store_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
};

}  // namespace medisecure::records
