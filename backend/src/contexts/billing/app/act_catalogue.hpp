// SPDX-License-Identifier: Apache-2.0
// The act catalogue's use cases: search (the staff who bill), and its upkeep by
// administrators: create, change label/price/VAT, deactivate, delete a code never invoiced,
// import a CSV list. Changes are audited; searches are not (the catalogue holds no personal
// data, and an audit record per keystroke of the act picker would drown the trail).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/billing/domain/act_csv.hpp"
#include "contexts/billing/ports/billing_store.hpp"
#include "core/caller.hpp"

namespace medisecure::billing {

/// A partial update of an act: only the fields that are set change.
struct ActPatch {
    std::optional<std::string> label;
    std::optional<Cents> price_cents;
    std::optional<BasisPoints> vat_rate_bp;
    std::optional<bool> active;
    std::vector<std::string> fields;  // names present, for the audit trail
};

struct ImportReport {
    int inserted = 0;
    int updated = 0;
    int unchanged = 0;
    std::vector<CsvSkip> skipped;
    bool dry_run = false;
};

class ActCatalogue {
public:
    ActCatalogue(BillingStore& store, audit::AuditTrail& audit, const Clock& clock);

    /// Staff who bill (admin, accountant, doctor). `q.limit` is capped at kMaxPageSize.
    Result<std::vector<Act>> search(const Caller& caller, ActQuery q);
    Result<Act> get(const Caller& caller, const std::string& code);
    Result<Act> create(const Caller& caller, Act input);
    /// `expected_version` (If-Match) is optional: when given and stale, precondition_failed.
    Result<Act> update(const Caller& caller, const std::string& code, std::optional<std::int64_t> expected_version,
                       const ActPatch& patch);
    /// Only a code that no invoice or credit note carries (conflict otherwise: deactivate it).
    Result<void> remove(const Caller& caller, const std::string& code);
    /// Adds the file's new codes and updates the label, price and VAT rate of known ones (of
    /// the same system); never deletes. One transaction: all or nothing. invalid_input when
    /// the file itself is unusable (no header, missing columns).
    Result<ImportReport> import_csv(const Caller& caller, std::string_view content, ActSystem default_system, bool dry_run);
    /// Loads `csv` when the catalogue is empty (first start); returns the number of codes added.
    int seed_if_empty(std::string_view csv);

    static constexpr int kMaxPageSize = 200;

private:
    bool may_read(const Caller& c) const;
    bool may_edit(const Caller& c) const { return c.any_of({Role::admin, Role::system}); }

    BillingStore& store_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
};

/// The starter list compiled into the binary from backend/data/billing-acts-starter.csv.
std::string_view starter_acts_csv();

}  // namespace medisecure::billing
