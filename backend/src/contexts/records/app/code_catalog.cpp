// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/app/code_catalog.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/text.hpp"

namespace medisecure::records {

using audit::Outcome;

CodeCatalog::CodeCatalog(CodeStore& store, audit::AuditTrail& audit, const Clock& clock)
    : store_(store), audit_(audit), clock_(clock) {}

std::int64_t CodeCatalog::ensure_starter() {
    if (store_.code_set("icd10")) return 0;
    auto file = parse_code_file(icd10_starter_csv());
    if (!file) throw std::logic_error("the built-in ICD-10 starter list does not parse");
    auto counts = store_.upsert(file->codes, CodeSetInfo{"icd10", "starter", 0, clock_.now()});
    return counts.added;
}

Result<std::vector<Icd10Code>> CodeCatalog::search(const Caller& caller, std::string_view q, int limit) {
    // Reference data, not patient data: searches are not audited (they run at every keystroke).
    if (!caller.any_of({Role::doctor, Role::nurse, Role::system}))
        return forbidden("role_not_allowed", "Your role does not allow searching diagnosis codes.");
    CodeQuery cq;
    cq.code_prefix = code_prefix(q);
    cq.terms = query_terms(q);
    if (!cq.code_prefix && cq.terms.empty()) return invalid_field("q", "required", "give a code or words of a label");
    if (cq.terms.size() > kMaxQueryTerms) return invalid_field("q", "too_many_terms", "use at most 6 words");
    // A code-like query ("J45.9") also folds into words ("j45", "9") that no label holds; a
    // single letter is both a chapter and the start of words ("a" → A00-B99 and "angine").
    if (cq.code_prefix && cq.code_prefix->size() > 1) cq.terms.clear();
    cq.limit = std::clamp(limit, 1, kMaxResults);
    return store_.search(cq);
}

Result<ImportReport> CodeCatalog::import(const Caller& caller, std::string_view bytes, const std::string& source_name) {
    if (!caller.any_of({Role::admin, Role::system})) {
        audit_.record(caller, {"codes.import", "code_set", "icd10", "", Outcome::denied, ""});
        return forbidden("role_not_allowed", "Only administrators import code lists.");
    }
    auto file = parse_code_file(bytes);
    if (!file) {
        audit_.record(caller, {"codes.import", "code_set", "icd10", "", Outcome::failure, file.error().code});
        return file.error();
    }
    ImportReport report;
    report.read = file->codes.size();
    report.skipped = file->skipped;
    report.problems = file->problems;
    report.encoding = file->encoding;
    report.counts = store_.upsert(file->codes, CodeSetInfo{"icd10", "import:" + source_name, 0, clock_.now()});
    if (auto set = store_.code_set("icd10")) report.table_size = set->count;
    audit_.record(caller, {"codes.import", "code_set", "icd10", "", Outcome::success,
                           "added=" + std::to_string(report.counts.added) + " updated=" +
                               std::to_string(report.counts.updated) + " skipped=" + std::to_string(report.skipped)});
    return report;
}

void CodeCatalog::fill_labels(std::vector<Diagnosis>& diagnoses) {
    std::set<std::string> wanted;
    for (const auto& d : diagnoses)
        if (d.label.empty() && is_icd10_code(d.code)) wanted.insert(d.code);
    if (wanted.empty()) return;
    auto labels = store_.labels(wanted);
    for (auto& d : diagnoses)
        if (d.label.empty())
            if (auto it = labels.find(d.code); it != labels.end()) d.label = it->second;
}

std::string CodeCatalog::label_of(const std::string& code) {
    if (!is_icd10_code(code)) return {};
    auto labels = store_.labels({code});
    auto it = labels.find(code);
    return it == labels.end() ? std::string() : it->second;
}

}  // namespace medisecure::records
