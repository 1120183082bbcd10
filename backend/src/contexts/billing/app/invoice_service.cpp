// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/app/invoice_service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "contexts/billing/app/invoice_pdf.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace medisecure::billing {

using audit::Outcome;

namespace {

Error invoice_not_found() { return not_found("invoice_not_found", "No such invoice."); }
Error stale() {
    return Error{ErrorKind::precondition_failed, "stale_version",
                 "The invoice was changed by someone else; reload it and try again."};
}
Error concurrent() { return conflict("concurrent_change", "The invoice changed meanwhile; reload it and try again."); }
Error not_draft() {
    return conflict("invoice.not_draft", "An issued invoice cannot change; cancel it with a credit note instead.");
}

/// A reason typed by staff: required, one line, at most kMaxReasonLength characters.
Result<std::string> reason_text(const std::string& raw) {
    std::string r = trim(raw);
    if (r.empty()) return invalid_field("/reason", "required", "say why");
    if (!is_valid_utf8(r) || has_control_chars(r)) return invalid_field("/reason", "invalid_text", "contains characters that are not allowed");
    if (utf8_length(r) > kMaxReasonLength) return invalid_field("/reason", "too_long", "at most 500 characters");
    return r;
}

}  // namespace

std::string InvoiceView::patient_name() const { return trim(patient.first_name + " " + patient.last_name); }

InvoiceService::InvoiceService(BillingStore& store, audit::AuditTrail& audit, const Clock& clock, const TimeZone& tz,
                               Directory directory, PracticeInfo practice)
    : store_(store), audit_(audit), clock_(clock), tz_(tz), directory_(std::move(directory)), practice_(std::move(practice)) {}

Date InvoiceService::today() const { return tz_.local_date(clock_.now()); }

bool InvoiceService::may_see(const Caller& c, const Invoice& v) const {
    if (manages(c)) return true;
    if (c.is(Role::doctor)) return v.practitioner_id == c.user_id;
    if (c.is(Role::patient)) return !c.patient_id.empty() && c.patient_id == v.patient_id && !v.is_draft();
    return false;
}

bool InvoiceService::may_edit(const Caller& c, const Invoice& v) const {
    return manages(c) || (c.is(Role::doctor) && v.practitioner_id == c.user_id);
}

void InvoiceService::record(const Caller& caller, const std::string& action, const std::string& id,
                            const std::string& patient_id, const Result<void>& r, const std::string& detail,
                            const std::string& resource) {
    Outcome o = Outcome::success;
    std::string d = detail;
    if (!r) {
        d = r.error().code;
        switch (r.error().kind) {
        case ErrorKind::not_found: o = Outcome::not_found; break;
        case ErrorKind::forbidden: o = Outcome::denied; break;
        default: o = Outcome::failure; break;
        }
    }
    audit_.record(caller, {action, resource, id, patient_id, o, d});
}

std::vector<InvoiceView> InvoiceService::views(std::vector<Invoice> invoices) {
    std::set<std::string> patient_ids, user_ids;
    for (const auto& v : invoices) {
        patient_ids.insert(v.patient_id);
        user_ids.insert(v.practitioner_id);
    }
    auto briefs = directory_.patient_briefs ? directory_.patient_briefs(patient_ids) : std::map<std::string, patients::PatientBrief>{};
    auto names = directory_.user_names ? directory_.user_names(user_ids) : std::map<std::string, std::string>{};
    std::vector<InvoiceView> out;
    out.reserve(invoices.size());
    for (auto& v : invoices) {
        InvoiceView view;
        if (auto it = briefs.find(v.patient_id); it != briefs.end()) view.patient = it->second;
        if (auto it = names.find(v.practitioner_id); it != names.end()) view.practitioner_name = it->second;
        view.invoice = std::move(v);
        out.push_back(std::move(view));
    }
    return out;
}

Result<std::vector<InvoiceLine>> InvoiceService::resolve_lines(BillingUnit& unit, const std::vector<LineInput>& input) {
    std::vector<FieldIssue> issues;
    std::vector<InvoiceLine> out;
    if (input.size() > kMaxLines) return invalid_field("/lines", "too_many", "at most 50 lines");
    for (std::size_t i = 0; i < input.size(); ++i) {
        const auto& in = input[i];
        std::string at = "/lines/" + std::to_string(i);
        auto act = unit.find_act(normalize_code(in.code));
        if (!act) {
            issues.push_back({at + "/code", "unknown_code", "is not in the act catalogue"});
            continue;
        }
        if (!act->active) {
            issues.push_back({at + "/code", "inactive_code", "is no longer billed (deactivated in the catalogue)"});
            continue;
        }
        InvoiceLine l;
        l.code = act->code;
        l.label = in.label ? trim(*in.label) : act->label;
        l.quantity = in.quantity;
        l.unit_price_cents = in.unit_price_cents.value_or(act->price_cents);
        l.vat_rate_bp = in.vat_rate_bp.value_or(act->vat_rate_bp);
        auto line_issues = validate_line(l, at);
        issues.insert(issues.end(), line_issues.begin(), line_issues.end());
        out.push_back(std::move(l));
    }
    if (!issues.empty()) return invalid_input("validation_failed", "The request has invalid fields.", std::move(issues));
    return out;
}

Result<InvoiceView> InvoiceService::create(const Caller& caller, const NewInvoice& in) {
    auto refuse = [&](Error e) -> Result<InvoiceView> {
        record(caller, "invoice.create", "", in.patient_id, e);
        return e;
    };
    if (!manages(caller) && !caller.is(Role::doctor))
        return refuse(forbidden("role_not_allowed", "Your role does not allow creating invoices."));
    std::string practitioner = in.practitioner_id;
    if (caller.is(Role::doctor)) {
        if (practitioner.empty()) practitioner = caller.user_id;
        else if (practitioner != caller.user_id)
            return refuse(forbidden("invoice.not_own_acts", "Doctors invoice their own acts only."));
    }
    std::vector<FieldIssue> issues;
    if (practitioner.empty())
        issues.push_back({"/practitioner_id", "required", "name the doctor whose acts are billed"});
    else if (!directory_.is_practitioner(practitioner))
        issues.push_back({"/practitioner_id", "unknown_practitioner", "does not name an active doctor"});
    if (!directory_.patient_exists(in.patient_id))
        issues.push_back({"/patient_id", "unknown_patient", "does not name a patient"});
    Date service = in.service_date.value_or(today());
    if (service > today()) issues.push_back({"/service_date", "in_future", "acts are invoiced once performed"});
    if (!issues.empty())
        return refuse(invalid_input("validation_failed", "The request has invalid fields.", std::move(issues)));

    auto now = clock_.now();
    Invoice v;
    v.id = new_uuid_v7(now);
    v.patient_id = in.patient_id;
    v.practitioner_id = practitioner;
    v.encounter_id = in.encounter_id;
    v.service_date = service;
    v.created_by = caller.user_id;
    v.created_at = v.updated_at = now;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        auto lines = resolve_lines(unit, in.lines);
        if (!lines) return lines.error();
        v.lines = std::move(*lines);
        v.set_totals(compute_totals(v.lines));
        unit.insert_invoice(v);
        return {};
    });
    record(caller, "invoice.create", r ? v.id : "", v.patient_id, r);
    if (!r) return r.error();
    return view(v);
}

Result<Invoice> InvoiceService::load_for(const Caller& caller, const std::string& id, const std::string& action) {
    if (!manages(caller) && !caller.any_of({Role::doctor, Role::patient})) {
        record(caller, action, id, "", forbidden("role_not_allowed", ""));
        return forbidden("role_not_allowed", "Your role has no access to invoices.");
    }
    auto v = store_.find_invoice(id);
    if (!v) {
        record(caller, action, id, "", invoice_not_found());
        return invoice_not_found();
    }
    if (!may_see(caller, *v)) {
        // Recorded as denied (with whose invoice it is), answered like a missing one.
        record(caller, action, id, v->patient_id, forbidden("outside_reach", ""));
        return invoice_not_found();
    }
    return *v;
}

Result<InvoiceView> InvoiceService::get(const Caller& caller, const std::string& id) {
    auto v = load_for(caller, id, "invoice.read");
    if (!v) return v.error();
    record(caller, "invoice.read", id, v->patient_id, {});
    return view(std::move(*v));
}

Result<InvoicePage> InvoiceService::list(const Caller& caller, InvoiceQuery q) {
    if (!manages(caller) && !caller.any_of({Role::doctor, Role::patient})) {
        record(caller, "invoice.list", "", "", forbidden("role_not_allowed", ""));
        return forbidden("role_not_allowed", "Your role has no access to invoices.");
    }
    bool outside = false;  // the filters name someone else's invoices: nothing to show
    if (caller.is(Role::patient)) {
        outside = caller.patient_id.empty() || (!q.patient_id.empty() && q.patient_id != caller.patient_id);
        q.patient_id = caller.patient_id;
        if (q.statuses.empty()) q.statuses = all_invoice_statuses();
        q.statuses.erase(std::remove(q.statuses.begin(), q.statuses.end(), InvoiceStatus::draft), q.statuses.end());
        outside |= q.statuses.empty();
    } else if (caller.is(Role::doctor)) {
        outside = !q.practitioner_id.empty() && q.practitioner_id != caller.user_id;
        q.practitioner_id = caller.user_id;
    }
    int limit = std::clamp(q.limit, 1, kMaxPageSize);
    q.limit = limit + 1;
    std::vector<Invoice> found = outside ? std::vector<Invoice>{} : store_.list_invoices(q);
    InvoicePage page;
    if (static_cast<int>(found.size()) > limit) {
        found.resize(static_cast<std::size_t>(limit));
        page.next_cursor = found.back().id;
    }
    // One record per patient whose invoices were shown, so each patient's access log has it.
    std::set<std::string> patients;
    for (const auto& v : found) patients.insert(v.patient_id);
    std::string detail = "results=" + std::to_string(found.size());
    if (patients.empty()) record(caller, "invoice.list", "", "", {}, detail);
    for (const auto& p : patients) record(caller, "invoice.list", "", p, {}, detail);
    page.items = views(std::move(found));
    return page;
}

Result<InvoiceView> InvoiceService::update_draft(const Caller& caller, const std::string& id, std::int64_t expected_version,
                                                 const InvoicePatch& patch) {
    if (!manages(caller) && !caller.is(Role::doctor)) {
        record(caller, "invoice.update", id, "", forbidden("role_not_allowed", ""));
        return forbidden("role_not_allowed", "Your role does not allow editing invoices.");
    }
    if (patch.service_date && *patch.service_date > today())
        return invalid_field("/service_date", "in_future", "acts are invoiced once performed");
    Invoice updated;
    std::string patient;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        auto v = unit.lock_invoice(id);
        if (!v || !may_edit(caller, *v)) return invoice_not_found();
        patient = v->patient_id;
        if (!v->is_draft()) return not_draft();
        if (v->version != expected_version) return stale();
        if (patch.lines) {
            auto lines = resolve_lines(unit, *patch.lines);
            if (!lines) return lines.error();
            v->lines = std::move(*lines);
            v->set_totals(compute_totals(v->lines));
        }
        if (patch.encounter_id) v->encounter_id = *patch.encounter_id;
        if (patch.service_date) v->service_date = *patch.service_date;
        v->updated_at = clock_.now();
        v->version += 1;
        if (!unit.update_invoice(*v, patch.lines.has_value())) return stale();
        updated = std::move(*v);
        return {};
    });
    std::string fields;
    for (const auto& f : patch.fields) fields += (fields.empty() ? "fields=" : ",") + f;
    record(caller, "invoice.update", id, patient, r, fields);
    if (!r) return r.error();
    return view(std::move(updated));
}

Result<void> InvoiceService::discard_draft(const Caller& caller, const std::string& id) {
    if (!manages(caller) && !caller.is(Role::doctor)) {
        record(caller, "invoice.discard", id, "", forbidden("role_not_allowed", ""));
        return forbidden("role_not_allowed", "Your role does not allow deleting drafts.");
    }
    std::string patient;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        auto v = unit.lock_invoice(id);
        if (!v || !may_edit(caller, *v)) return invoice_not_found();
        patient = v->patient_id;
        if (!v->is_draft())
            return conflict("invoice.not_draft", "Only a draft can be deleted; cancel an issued invoice with a credit note.");
        unit.delete_draft(id);
        return {};
    });
    record(caller, "invoice.discard", id, patient, r);
    return r;
}

Result<void> InvoiceService::allocate_number(BillingUnit& unit, Invoice& doc, const Caller& caller) {
    auto seq = unit.lock_sequence();
    auto now = clock_.now();  // after the lock: numbers and issue instants grow together
    Date local = tz_.local_date(now);
    int year = static_cast<int>(local.year());
    auto next = next_in_sequence(seq, year);
    if (!next) return next.error();
    unit.store_sequence({year, *next});
    doc.number_year = year;
    doc.number_seq = *next;
    doc.number = format_invoice_number(practice_.invoice_prefix, year, *next);
    doc.status = InvoiceStatus::issued;
    doc.issue_date = local;
    doc.issued_at = now;
    doc.issued_by = caller.user_id;
    return {};
}

Result<InvoiceView> InvoiceService::issue(const Caller& caller, const std::string& id) {
    if (!manages(caller) && !caller.is(Role::doctor)) {
        record(caller, "invoice.issue", id, "", forbidden("role_not_allowed", ""));
        return forbidden("role_not_allowed", "Your role does not allow issuing invoices.");
    }
    Invoice issued;
    std::string patient;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        auto v = unit.lock_invoice(id);
        if (!v || !may_edit(caller, *v)) return invoice_not_found();
        patient = v->patient_id;
        if (!v->is_draft()) return conflict("invoice.not_draft", "This invoice is already issued.");
        if (v->lines.empty() || v->total_cents <= 0)
            return conflict("invoice.empty", "An invoice needs at least one line and a positive total to be issued.");
        if (auto numbered = allocate_number(unit, *v, caller); !numbered) return numbered.error();
        v->updated_at = *v->issued_at;
        v->version += 1;
        if (!unit.update_invoice(*v, false)) return concurrent();
        issued = std::move(*v);
        return {};
    });
    record(caller, "invoice.issue", id, patient, r, r ? "number=" + issued.number : "");
    if (!r) return r.error();
    return view(std::move(issued));
}

Result<CancelResult> InvoiceService::cancel(const Caller& caller, const std::string& id, const std::string& raw_reason) {
    if (!manages(caller)) {
        record(caller, "invoice.cancel", id, "", forbidden("role_not_allowed", ""));
        return forbidden("role_not_allowed", "Only accountants and administrators cancel invoices.");
    }
    auto reason = reason_text(raw_reason);
    if (!reason) return reason.error();
    Invoice cancelled, credit;
    std::string patient;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        auto v = unit.lock_invoice(id);
        if (!v) return invoice_not_found();
        patient = v->patient_id;
        if (v->kind == InvoiceKind::credit_note) return conflict("invoice.is_credit_note", "A credit note cannot be cancelled.");
        if (v->is_draft()) return conflict("invoice.draft", "A draft has no number: delete it instead.");
        if (v->status == InvoiceStatus::cancelled) return conflict("invoice.already_cancelled", "This invoice is already cancelled.");
        if (v->paid_cents > 0)
            return conflict("invoice.has_payments",
                            "Payments were recorded on this invoice: refund and void them before cancelling it.");
        Invoice cn;
        cn.kind = InvoiceKind::credit_note;
        if (auto numbered = allocate_number(unit, cn, caller); !numbered) return numbered.error();
        auto now = *cn.issued_at;
        cn.id = new_uuid_v7(now);
        cn.patient_id = v->patient_id;
        cn.practitioner_id = v->practitioner_id;
        cn.encounter_id = v->encounter_id;
        cn.service_date = v->service_date;
        cn.lines = credit_lines(v->lines);
        cn.set_totals(totals_of(cn.lines));
        cn.credited_invoice_id = v->id;
        cn.credited_invoice_number = v->number;
        cn.cancel_reason = *reason;
        cn.created_by = caller.user_id;
        cn.created_at = cn.updated_at = now;
        unit.insert_invoice(cn);

        v->status = InvoiceStatus::cancelled;
        v->credit_note_id = cn.id;
        v->credit_note_number = cn.number;
        v->cancel_reason = *reason;
        v->cancelled_at = now;
        v->cancelled_by = caller.user_id;
        v->updated_at = now;
        v->version += 1;
        if (!unit.update_invoice(*v, false)) return concurrent();
        cancelled = std::move(*v);
        credit = std::move(cn);
        return {};
    });
    record(caller, "invoice.cancel", id, patient, r, r ? "credit_note=" + credit.number : "");
    if (!r) return r.error();
    auto both = views({std::move(cancelled), std::move(credit)});
    return CancelResult{std::move(both[0]), std::move(both[1])};
}

Result<PaymentResult> InvoiceService::add_payment(const Caller& caller, const std::string& id, const NewPayment& in) {
    if (!manages(caller)) {
        record(caller, "payment.create", "", "", forbidden("role_not_allowed", ""), "", "payment");
        return forbidden("role_not_allowed", "Only accountants and administrators record payments.");
    }
    std::vector<FieldIssue> issues;
    if (in.amount_cents <= 0 || in.amount_cents > kMaxUnitPrice * 10)
        issues.push_back({"/amount_cents", "out_of_range", "a positive number of cents"});
    Date paid_on = in.paid_on.value_or(today());
    if (paid_on > today()) issues.push_back({"/paid_on", "in_future", "a payment is recorded once received"});
    std::string reference = trim(in.reference);
    if (reference.size() > kMaxReferenceLength || has_control_chars(reference) || !is_valid_utf8(reference))
        issues.push_back({"/reference", "invalid", "at most 64 characters on one line"});
    if (!issues.empty()) return invalid_input("validation_failed", "The request has invalid fields.", std::move(issues));

    Payment p;
    Invoice updated;
    std::string patient;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        auto v = unit.lock_invoice(id);
        if (!v) return invoice_not_found();
        patient = v->patient_id;
        if (v->kind == InvoiceKind::credit_note) return conflict("invoice.is_credit_note", "A credit note is not paid.");
        if (v->is_draft()) return conflict("invoice.not_issued", "Issue the invoice before recording a payment.");
        if (v->status == InvoiceStatus::cancelled)
            return conflict("invoice.cancelled", "This invoice was cancelled by a credit note; nothing is due.");
        if (v->status == InvoiceStatus::paid) return conflict("invoice.already_paid", "This invoice is fully paid.");
        Cents balance = v->balance_due();
        if (in.amount_cents > balance) {
            Error e = conflict("payment.exceeds_balance", "The amount is more than the balance due on this invoice.");
            e.extensions_json = boost::json::serialize(boost::json::object{{"balance_due_cents", balance}});
            return e;
        }
        auto now = clock_.now();
        p = Payment{};
        p.id = new_uuid_v7(now);
        p.invoice_id = v->id;
        p.patient_id = v->patient_id;
        p.practitioner_id = v->practitioner_id;
        p.method = in.method;
        p.amount_cents = in.amount_cents;
        p.paid_on = paid_on;
        p.reference = reference;
        p.recorded_by = caller.user_id;
        p.recorded_at = now;
        unit.insert_payment(p);
        v->paid_cents += p.amount_cents;
        v->status = status_after_payments(v->total_cents, v->paid_cents);
        v->updated_at = now;
        v->version += 1;
        v->payments.push_back(p);
        if (!unit.update_invoice(*v, false)) return concurrent();
        updated = std::move(*v);
        return {};
    });
    record(caller, "payment.create", r ? p.id : "", patient, r,
           r ? "invoice=" + id + " method=" + std::string(to_string(in.method)) : "", "payment");
    if (!r) return r.error();
    return PaymentResult{p, view(std::move(updated))};
}

Result<InvoiceView> InvoiceService::void_payment(const Caller& caller, const std::string& id, const std::string& payment_id,
                                                 const std::string& raw_reason) {
    if (!caller.any_of({Role::admin, Role::system})) {
        record(caller, "payment.void", payment_id, "", forbidden("role_not_allowed", ""), "", "payment");
        return forbidden("role_not_allowed", "Only administrators void payments.");
    }
    auto reason = reason_text(raw_reason);
    if (!reason) return reason.error();
    Invoice updated;
    std::string patient;
    auto r = store_.write([&](BillingUnit& unit) -> Result<void> {
        auto v = unit.lock_invoice(id);
        if (!v) return invoice_not_found();
        patient = v->patient_id;
        auto it = std::find_if(v->payments.begin(), v->payments.end(), [&](const Payment& p) { return p.id == payment_id; });
        if (it == v->payments.end()) return not_found("payment_not_found", "No such payment on this invoice.");
        if (it->voided()) return conflict("payment.already_voided", "This payment is already void.");
        auto now = clock_.now();
        it->voided_at = now;
        it->voided_by = caller.user_id;
        it->void_reason = *reason;
        if (!unit.void_payment(*it)) return concurrent();
        v->paid_cents -= it->amount_cents;
        v->status = status_after_payments(v->total_cents, v->paid_cents);
        v->updated_at = now;
        v->version += 1;
        if (!unit.update_invoice(*v, false)) return concurrent();
        updated = std::move(*v);
        return {};
    });
    record(caller, "payment.void", payment_id, patient, r, r ? "invoice=" + id : "", "payment");
    if (!r) return r.error();
    return view(std::move(updated));
}

PdfFile InvoiceService::render_pdf(const InvoiceView& v) {
    PdfFile f;
    f.filename = (v.invoice.number.empty() ? "brouillon-" + v.invoice.id.substr(0, 8) : v.invoice.number) + ".pdf";
    f.bytes = render_invoice_pdf(v, practice_, tz_);
    return f;
}

Result<PdfFile> InvoiceService::pdf(const Caller& caller, const std::string& id) {
    auto v = load_for(caller, id, "invoice.pdf");
    if (!v) return v.error();
    std::string patient = v->patient_id;
    auto file = render_pdf(view(std::move(*v)));
    record(caller, "invoice.pdf", id, patient, {});
    return file;
}

Result<BillingStats> InvoiceService::stats(const Caller& caller, int year, std::optional<unsigned> month) {
    std::string period = std::to_string(year) + (month ? "-" + std::to_string(*month) : "");
    if (!manages(caller)) {
        record(caller, "billing.stats", "", "", forbidden("role_not_allowed", ""), "", "billing");
        return forbidden("role_not_allowed", "Only accountants and administrators read billing statistics.");
    }
    if (year < 2000 || year > 2100) return invalid_field("year", "out_of_range", "between 2000 and 2100");
    if (month && (*month < 1 || *month > 12)) return invalid_field("month", "out_of_range", "between 1 and 12");
    std::chrono::year_month first{std::chrono::year{year}, std::chrono::month{month.value_or(1)}};
    std::chrono::year_month last{std::chrono::year{year}, std::chrono::month{month.value_or(12)}};
    Date from{first / 1};
    Date to{last / std::chrono::last};
    auto rows = store_.stats(from, to);

    BillingStats s;
    s.year = year;
    s.month = month;
    std::map<std::string, StatsLine> by_practitioner, by_month;
    std::map<PaymentMethod, StatsLine> by_method;
    for (auto m : all_payment_methods()) by_method[m].key = std::string(to_string(m));
    if (!month) {
        for (unsigned m = 1; m <= 12; ++m) {
            char key[8];
            std::snprintf(key, sizeof key, "%04d-%02u", year, m);
            by_month[key].key = key;
        }
    }
    for (const auto& g : rows.issued) {
        for (StatsLine* line : {&s.totals, &by_practitioner[g.practitioner_id], month ? nullptr : &by_month[g.month]}) {
            if (!line) continue;
            if (g.kind == InvoiceKind::invoice) {
                line->issued_cents += g.total_cents;
                line->invoice_count += g.count;
                line->outstanding_cents += g.outstanding_cents;
            } else {
                line->credited_cents += g.total_cents;
                line->credit_note_count += g.count;
            }
        }
    }
    for (const auto& g : rows.collected) {
        for (StatsLine* line : {&s.totals, &by_practitioner[g.practitioner_id], &by_method[g.method],
                                month ? nullptr : &by_month[g.month]}) {
            if (!line) continue;
            line->collected_cents += g.amount_cents;
            line->payment_count += g.count;
        }
    }
    std::set<std::string> ids;
    for (const auto& [id, _] : by_practitioner) ids.insert(id);
    auto names = directory_.user_names ? directory_.user_names(ids) : std::map<std::string, std::string>{};
    for (auto& [id, line] : by_practitioner) {
        line.key = id;
        if (auto it = names.find(id); it != names.end()) line.name = it->second;
        s.by_practitioner.push_back(line);
    }
    std::sort(s.by_practitioner.begin(), s.by_practitioner.end(),
              [](const StatsLine& a, const StatsLine& b) { return std::tie(a.name, a.key) < std::tie(b.name, b.key); });
    for (auto& [m, line] : by_method) s.by_method.push_back(line);
    for (auto& [m, line] : by_month) s.by_month.push_back(line);
    record(caller, "billing.stats", "", "", {}, "period=" + period, "billing");
    return s;
}

std::vector<InvoiceView> InvoiceService::documents_of(const std::string& patient_id) {
    std::vector<Invoice> all;
    InvoiceQuery q;
    q.patient_id = patient_id;
    q.limit = 200;
    for (;;) {
        auto page = store_.list_invoices(q);
        for (const auto& head : page)
            if (auto full = store_.find_invoice(head.id)) all.push_back(std::move(*full));
        if (static_cast<int>(page.size()) < q.limit) break;
        q.before_id = page.back().id;
    }
    std::reverse(all.begin(), all.end());
    return views(std::move(all));
}

}  // namespace medisecure::billing
