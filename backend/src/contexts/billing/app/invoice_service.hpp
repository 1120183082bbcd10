// SPDX-License-Identifier: Apache-2.0
// Invoices, credit notes and payments, with their authorisation (DESIGN §1):
//   - accountants and administrators manage every invoice and record payments; only
//     administrators void a payment;
//   - a doctor sees, creates, edits and issues the invoices of their own acts only;
//   - a patient reads their own issued invoices and credit notes (never drafts);
//   - nurses and secretaries have no access.
// An invoice outside the caller's reach answers exactly like a missing one (404). Every read
// and change is audited with the patient concerned.
//
// Numbering: a number is allocated when a document is issued, inside the issuing
// transaction, while the sequence row is locked, from the practice-local calendar year of the
// issue instant (taken after the lock, so numbers and issue times grow together). Invoices
// and credit notes share one series: a single continuous, chronological sequence per year
// (CGI art. 242 nonies A) that an auditor checks at a glance, with no second counter to keep
// in step. A draft has no number; deleting a draft therefore leaves no gap.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/billing/ports/billing_store.hpp"
#include "contexts/patients/app/patient_service.hpp"
#include "core/caller.hpp"
#include "core/timezone.hpp"

namespace medisecure::billing {

/// What billing needs from the other contexts, wired in the composition root.
struct Directory {
    std::function<bool(const std::string&)> patient_exists;
    std::function<std::map<std::string, patients::PatientBrief>(const std::set<std::string>&)> patient_briefs;
    /// True for an active doctor: whose acts an invoice may bill.
    std::function<bool(const std::string&)> is_practitioner;
    std::function<std::map<std::string, std::string>(const std::set<std::string>&)> user_names;
};

/// The practice as printed on invoices.
struct PracticeInfo {
    std::string name, address, phone, email, finess, siret;
    std::string invoice_prefix = "F";
};

struct LineInput {
    std::string code;
    std::optional<std::string> label;            // default: the catalogue's
    int quantity = 1;
    std::optional<Cents> unit_price_cents;       // default: the catalogue's (a fee above it is allowed)
    std::optional<BasisPoints> vat_rate_bp;      // default: the catalogue's
};

struct NewInvoice {
    std::string patient_id;
    std::string practitioner_id;  // a doctor's own id by default
    std::string encounter_id;
    std::optional<Date> service_date;  // default: today in the practice's time zone
    std::vector<LineInput> lines;
};

struct InvoicePatch {
    std::optional<std::vector<LineInput>> lines;  // replaces every line
    std::optional<std::string> encounter_id;      // "" clears
    std::optional<Date> service_date;
    std::vector<std::string> fields;
};

struct NewPayment {
    PaymentMethod method = PaymentMethod::card;
    Cents amount_cents = 0;
    std::optional<Date> paid_on;  // default: today in the practice's time zone
    std::string reference;
};

/// An invoice with what the API and the PDF show next to the ids: the patient's identity
/// (empty when the patient is unknown to the registry) and the practitioner's name.
struct InvoiceView {
    Invoice invoice;
    patients::PatientBrief patient;
    std::string practitioner_name;
    std::string patient_name() const;
};

struct InvoicePage {
    std::vector<InvoiceView> items;
    std::string next_cursor;  // empty on the last page
};

struct PaymentResult {
    Payment payment;
    InvoiceView invoice;
};

struct CancelResult {
    InvoiceView invoice;
    InvoiceView credit_note;
};

struct PdfFile {
    std::string filename;
    std::string bytes;
};

/// One row of the revenue statistics. Amounts in cents: `issued` sums invoices issued in the
/// period, `credited` the credit notes issued in it (negative), `collected` the payments
/// received in it, `outstanding` what is still due today on the invoices issued in it.
struct StatsLine {
    std::string key;   // practitioner id, payment method or month (YYYY-MM)
    std::string name;  // practitioner's name
    Cents issued_cents = 0;
    Cents credited_cents = 0;
    Cents collected_cents = 0;
    Cents outstanding_cents = 0;
    std::int64_t invoice_count = 0;
    std::int64_t credit_note_count = 0;
    std::int64_t payment_count = 0;
};

struct BillingStats {
    int year = 0;
    std::optional<unsigned> month;
    StatsLine totals;
    std::vector<StatsLine> by_practitioner;
    std::vector<StatsLine> by_method;
    std::vector<StatsLine> by_month;  // the twelve months, when the period is a year
};

class InvoiceService {
public:
    InvoiceService(BillingStore& store, audit::AuditTrail& audit, const Clock& clock, const TimeZone& tz,
                   Directory directory, PracticeInfo practice);

    Result<InvoiceView> create(const Caller& caller, const NewInvoice& input);
    Result<InvoiceView> get(const Caller& caller, const std::string& id);
    /// Newest first. A patient sees only their own issued documents and a doctor only their
    /// own invoices, whatever the filters say. `q.limit` is capped at kMaxPageSize.
    Result<InvoicePage> list(const Caller& caller, InvoiceQuery q);
    /// Drafts only; `expected_version` is the If-Match version.
    Result<InvoiceView> update_draft(const Caller& caller, const std::string& id, std::int64_t expected_version,
                                     const InvoicePatch& patch);
    /// Deletes a draft (it has no number, so nothing is lost from the sequence).
    Result<void> discard_draft(const Caller& caller, const std::string& id);
    /// Numbers the draft and makes it immutable.
    Result<InvoiceView> issue(const Caller& caller, const std::string& id);
    /// Issues the credit note that cancels an issued, unpaid invoice.
    Result<CancelResult> cancel(const Caller& caller, const std::string& id, const std::string& reason);
    Result<PaymentResult> add_payment(const Caller& caller, const std::string& id, const NewPayment& input);
    /// Administrators only: the payment stays on record, marked void, and stops counting.
    Result<InvoiceView> void_payment(const Caller& caller, const std::string& id, const std::string& payment_id,
                                     const std::string& reason);
    Result<PdfFile> pdf(const Caller& caller, const std::string& id);
    /// Revenue of a month (or of a year when `month` is empty), per practitioner and method.
    Result<BillingStats> stats(const Caller& caller, int year, std::optional<unsigned> month);

    /// For the patient's data export (the export job authorises and audits): every document
    /// of the patient, with lines and payments, oldest first.
    std::vector<InvoiceView> documents_of(const std::string& patient_id);
    /// The PDF of a document, as the API serves it.
    PdfFile render_pdf(const InvoiceView& view);

    static constexpr int kMaxPageSize = 100;

private:
    bool manages(const Caller& c) const { return c.any_of({Role::admin, Role::accountant, Role::system}); }
    bool may_see(const Caller& c, const Invoice& v) const;
    bool may_edit(const Caller& c, const Invoice& v) const;
    Date today() const;
    /// Gives `doc` the next number of the series and issues it now (call inside the unit that
    /// stores it: the sequence stays locked until that unit commits).
    Result<void> allocate_number(BillingUnit& unit, Invoice& doc, const Caller& caller);
    Result<std::vector<InvoiceLine>> resolve_lines(BillingUnit& unit, const std::vector<LineInput>& input);
    Result<Invoice> load_for(const Caller& caller, const std::string& id, const std::string& action);
    std::vector<InvoiceView> views(std::vector<Invoice> invoices);
    InvoiceView view(Invoice invoice) { return std::move(views({std::move(invoice)}).front()); }
    void record(const Caller& caller, const std::string& action, const std::string& id, const std::string& patient_id,
                const Result<void>& outcome, const std::string& detail = "", const std::string& resource = "invoice");

    BillingStore& store_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    const TimeZone& tz_;
    Directory directory_;
    PracticeInfo practice_;
};

}  // namespace medisecure::billing
