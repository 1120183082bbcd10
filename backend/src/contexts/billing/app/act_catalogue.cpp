// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/app/act_catalogue.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace medisecure::billing {

using audit::Outcome;

namespace {
Error act_not_found() { return not_found("act_not_found", "No such code in the catalogue."); }
Error stale() {
    return Error{ErrorKind::precondition_failed, "stale_version", "The code was changed by someone else; reload it and try again."};
}
Error edit_forbidden() { return forbidden("role_not_allowed", "Only administrators change the act catalogue."); }

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}
}  // namespace

ActCatalogue::ActCatalogue(BillingStore& store, audit::AuditTrail& audit, const Clock& clock)
    : store_(store), audit_(audit), clock_(clock) {}

bool ActCatalogue::may_read(const Caller& c) const {
    return c.any_of({Role::admin, Role::accountant, Role::doctor, Role::system});
}

Result<std::vector<Act>> ActCatalogue::search(const Caller& caller, ActQuery q) {
    if (!may_read(caller)) return forbidden("role_not_allowed", "Your role does not use the act catalogue.");
    q.limit = std::clamp(q.limit, 1, kMaxPageSize);
    return store_.search_acts(q);
}

Result<Act> ActCatalogue::get(const Caller& caller, const std::string& code) {
    if (!may_read(caller)) return forbidden("role_not_allowed", "Your role does not use the act catalogue.");
    auto a = store_.find_act(normalize_code(code));
    if (!a) return act_not_found();
    return *a;
}

Result<Act> ActCatalogue::create(const Caller& caller, Act a) {
    a.code = normalize_code(a.code);
    if (!may_edit(caller)) {
        audit_.record(caller, {"act.create", "act", a.code, "", Outcome::denied, ""});
        return edit_forbidden();
    }
    a.label = trim(a.label);
    if (auto issues = validate(a); !issues.empty())
        return invalid_input("validation_failed", "The request has invalid fields.", std::move(issues));
    a.created_at = a.updated_at = clock_.now();
    a.version = 1;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        if (unit.find_act(a.code)) return conflict("act.code_taken", "This code is already in the catalogue.");
        unit.insert_act(a);
        return {};
    });
    audit_.record(caller, {"act.create", "act", a.code, "", r ? Outcome::success : Outcome::failure, r ? "" : r.error().code});
    if (!r) return r.error();
    return a;
}

Result<Act> ActCatalogue::update(const Caller& caller, const std::string& raw_code, std::optional<std::int64_t> expected_version,
                                 const ActPatch& patch) {
    std::string code = normalize_code(raw_code);
    if (!may_edit(caller)) {
        audit_.record(caller, {"act.update", "act", code, "", Outcome::denied, ""});
        return edit_forbidden();
    }
    Act updated;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        auto found = unit.find_act(code);
        if (!found) return act_not_found();
        if (expected_version && *expected_version != found->version) return stale();
        Act a = *found;
        if (patch.label) a.label = trim(*patch.label);
        if (patch.price_cents) a.price_cents = *patch.price_cents;
        if (patch.vat_rate_bp) a.vat_rate_bp = *patch.vat_rate_bp;
        if (patch.active) a.active = *patch.active;
        if (auto issues = validate(a); !issues.empty())
            return invalid_input("validation_failed", "The request has invalid fields.", std::move(issues));
        a.updated_at = clock_.now();
        a.version = found->version + 1;
        if (!unit.update_act(a)) return stale();
        updated = a;
        return {};
    });
    auto outcome = r ? Outcome::success : r.error().kind == ErrorKind::not_found ? Outcome::not_found : Outcome::failure;
    audit_.record(caller, {"act.update", "act", code, "", outcome, r ? "fields=" + join(patch.fields) : r.error().code});
    if (!r) return r.error();
    return updated;
}

Result<void> ActCatalogue::remove(const Caller& caller, const std::string& raw_code) {
    std::string code = normalize_code(raw_code);
    if (!may_edit(caller)) {
        audit_.record(caller, {"act.delete", "act", code, "", Outcome::denied, ""});
        return edit_forbidden();
    }
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        if (!unit.find_act(code)) return act_not_found();
        if (unit.act_invoiced(code))
            return conflict("act.invoiced", "This code appears on invoices and cannot be deleted; deactivate it instead.");
        unit.delete_act(code);
        return {};
    });
    auto outcome = r ? Outcome::success : r.error().kind == ErrorKind::not_found ? Outcome::not_found : Outcome::failure;
    audit_.record(caller, {"act.delete", "act", code, "", outcome, r ? "" : r.error().code});
    return r;
}

Result<ImportReport> ActCatalogue::import_csv(const Caller& caller, std::string_view content, ActSystem default_system,
                                              bool dry_run) {
    if (!may_edit(caller)) {
        audit_.record(caller, {"act.import", "act", "", "", Outcome::denied, ""});
        return edit_forbidden();
    }
    auto parsed = parse_act_csv(content, default_system);
    if (!parsed.error.empty()) return invalid_input("act.import_unreadable", "The file cannot be imported: " + parsed.error + ".");
    ImportReport report;
    report.dry_run = dry_run;
    auto now = clock_.now();
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        report.inserted = report.updated = report.unchanged = 0;
        report.skipped = parsed.skipped;
        for (const auto& row : parsed.acts) {
            auto found = unit.find_act(row.act.code);
            if (!found) {
                Act a = row.act;
                a.created_at = a.updated_at = now;
                a.version = 1;
                if (!dry_run) unit.insert_act(a);
                ++report.inserted;
                continue;
            }
            if (found->system != row.act.system) {
                report.skipped.push_back({row.line, row.act.code, "the catalogue has this code under another system"});
                continue;
            }
            Act a = *found;
            a.label = row.act.label;
            a.price_cents = row.act.price_cents;
            a.vat_rate_bp = row.act.vat_rate_bp;
            if (row.sets_active) a.active = row.act.active;
            if (a.label == found->label && a.price_cents == found->price_cents && a.vat_rate_bp == found->vat_rate_bp &&
                a.active == found->active) {
                ++report.unchanged;
                continue;
            }
            a.updated_at = now;
            a.version = found->version + 1;
            if (!dry_run && !unit.update_act(a)) return conflict("concurrent_change", "The catalogue changed meanwhile; try again.");
            ++report.updated;
        }
        return {};
    });
    std::sort(report.skipped.begin(), report.skipped.end(), [](const CsvSkip& a, const CsvSkip& b) { return a.line < b.line; });
    audit_.record(caller, {"act.import", "act", "", "", r ? Outcome::success : Outcome::failure,
                           "system=" + std::string(to_string(default_system)) + " inserted=" + std::to_string(report.inserted) +
                               " updated=" + std::to_string(report.updated) + " skipped=" + std::to_string(report.skipped.size()) +
                               (dry_run ? " dry_run" : "")});
    if (!r) return r.error();
    return report;
}

int ActCatalogue::seed_if_empty(std::string_view csv) {
    if (store_.count_acts() > 0) return 0;
    // The starter list carries its own system column; NGAP is only the fallback.
    auto r = import_csv(Caller::system("bootstrap"), csv, ActSystem::ngap, false);
    return r ? r->inserted : 0;
}

}  // namespace medisecure::billing
