// SPDX-License-Identifier: Apache-2.0
// Invoices and credit notes ("avoirs"), their lines, totals and payments, and the rules that
// do not need a database: totals computed from the lines (never taken from a client), the
// status a payment leads to, the yearly gapless number and the credit note that cancels an
// invoice. No I/O.
//
// Rounding: a line's amount is quantity × unit price, exact in cents, excluding VAT. VAT is
// computed once per rate on the sum of the lines at that rate (the per-rate breakdown French
// invoices print) and rounded to the cent, halves away from zero. total = subtotal + VAT.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contexts/billing/domain/money.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace medisecure::billing {

enum class InvoiceKind { invoice, credit_note };
std::string_view to_string(InvoiceKind k);
std::optional<InvoiceKind> parse_invoice_kind(std::string_view s);

/// draft → issued → partially_paid → paid; issued (unpaid) → cancelled by a credit note.
/// Credit notes are born issued and stay so.
enum class InvoiceStatus { draft, issued, partially_paid, paid, cancelled };
std::string_view to_string(InvoiceStatus s);
std::optional<InvoiceStatus> parse_invoice_status(std::string_view s);
const std::vector<InvoiceStatus>& all_invoice_statuses();

/// amo: the compulsory health insurance (Assurance maladie obligatoire, tiers payant);
/// amc: the complementary insurer (mutuelle).
enum class PaymentMethod { card, cash, cheque, transfer, amo, amc };
std::string_view to_string(PaymentMethod m);
std::optional<PaymentMethod> parse_payment_method(std::string_view s);
const std::vector<PaymentMethod>& all_payment_methods();
/// The French label printed on invoices ("Carte bancaire", "Chèque"...).
std::string_view label_fr(PaymentMethod m);

inline constexpr std::size_t kMaxLines = 50;
inline constexpr int kMaxQuantity = 999;  // e.g. kilometres for IK
inline constexpr std::size_t kMaxReferenceLength = 64;
inline constexpr std::size_t kMaxReasonLength = 500;

struct InvoiceLine {
    int position = 0;  // 1-based order on the invoice
    std::string code;
    std::string label;
    int quantity = 1;
    Cents unit_price_cents = 0;  // excluding VAT; negative on credit notes
    BasisPoints vat_rate_bp = 0;
    Cents amount_cents = 0;      // quantity × unit price, excluding VAT
};

struct VatBucket {
    BasisPoints rate_bp = 0;
    Cents base_cents = 0;
    Cents vat_cents = 0;
};

struct Totals {
    Cents subtotal_cents = 0;  // excluding VAT
    Cents vat_cents = 0;
    Cents total_cents = 0;     // what the patient owes (or is credited)
    std::vector<VatBucket> vat_breakdown;  // one bucket per rate, ascending
};

/// Sets each line's position and amount from its quantity and unit price, then totals them.
Totals compute_totals(std::vector<InvoiceLine>& lines);
/// Totals of lines whose amounts are already set (reads).
Totals totals_of(const std::vector<InvoiceLine>& lines);

/// Field issues of one line; `at` is its JSON pointer, e.g. "/lines/2".
std::vector<FieldIssue> validate_line(const InvoiceLine& line, const std::string& at);

struct Payment {
    std::string id;
    std::string invoice_id;
    std::string patient_id;
    std::string practitioner_id;  // the invoice's, for revenue per practitioner
    PaymentMethod method = PaymentMethod::card;
    Cents amount_cents = 0;
    Date paid_on{};
    std::string reference;  // cheque number, card or transfer reference, insurer's payment id
    std::string recorded_by;
    Timestamp recorded_at{};
    std::optional<Timestamp> voided_at;  // a voided payment no longer counts; it stays on record
    std::string voided_by;
    std::string void_reason;
    bool voided() const { return voided_at.has_value(); }
};

struct Invoice {
    std::string id;
    InvoiceKind kind = InvoiceKind::invoice;
    std::string number;  // empty while draft
    int number_year = 0;
    std::int64_t number_seq = 0;
    InvoiceStatus status = InvoiceStatus::draft;
    std::string patient_id;
    std::string practitioner_id;
    std::string encounter_id;  // optional link to the consultation (records context)
    Date service_date{};       // when the acts were performed
    std::optional<Date> issue_date;  // local date in the practice's time zone
    std::optional<Timestamp> issued_at;
    std::string issued_by;
    std::vector<InvoiceLine> lines;
    Cents subtotal_cents = 0;
    Cents vat_cents = 0;
    Cents total_cents = 0;
    Cents paid_cents = 0;  // sum of the payments not voided
    std::string credit_note_id;        // on a cancelled invoice: the credit note that cancels it
    std::string credit_note_number;
    std::string credited_invoice_id;   // on a credit note: the invoice it cancels
    std::string credited_invoice_number;
    std::string cancel_reason;
    std::optional<Timestamp> cancelled_at;
    std::string cancelled_by;
    std::string created_by;
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;
    std::vector<Payment> payments;  // oldest first, voided ones included

    bool is_draft() const { return status == InvoiceStatus::draft; }
    /// What remains to be paid: only invoices that are issued and not fully paid owe anything.
    Cents balance_due() const;
    void set_totals(const Totals& t);
};

/// "<prefix>-<year>-<6 digits>", e.g. F-2026-000042 (wider past 999999, never truncated).
std::string format_invoice_number(std::string_view prefix, int year, std::int64_t seq);

/// The status of an issued invoice once `paid` of `total` is paid.
InvoiceStatus status_after_payments(Cents total, Cents paid);

/// The state of the yearly sequence: the year of the last number and that number.
struct SequenceState {
    int year = 0;
    std::int64_t last = 0;
};
/// The number that follows `s` for a document issued in `year`: numbering restarts at 1 with
/// each new calendar year. A year earlier than the sequence's (a clock set back) is refused:
/// numbers must stay chronological.
Result<std::int64_t> next_in_sequence(const SequenceState& s, int year);

/// The lines of the credit note cancelling `invoice`: the same acts, negative amounts.
std::vector<InvoiceLine> credit_lines(const std::vector<InvoiceLine>& invoice_lines);

}  // namespace medisecure::billing
