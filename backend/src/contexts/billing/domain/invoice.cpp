// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/domain/invoice.hpp"

#include <cstdio>
#include <map>

#include "contexts/billing/domain/act.hpp"
#include "core/text.hpp"

namespace medisecure::billing {

std::string_view to_string(InvoiceKind k) {
    switch (k) {
    case InvoiceKind::invoice: return "invoice";
    case InvoiceKind::credit_note: return "credit_note";
    }
    return "invoice";
}

std::optional<InvoiceKind> parse_invoice_kind(std::string_view s) {
    for (auto k : {InvoiceKind::invoice, InvoiceKind::credit_note})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

std::string_view to_string(InvoiceStatus s) {
    switch (s) {
    case InvoiceStatus::draft: return "draft";
    case InvoiceStatus::issued: return "issued";
    case InvoiceStatus::partially_paid: return "partially_paid";
    case InvoiceStatus::paid: return "paid";
    case InvoiceStatus::cancelled: return "cancelled";
    }
    return "draft";
}

const std::vector<InvoiceStatus>& all_invoice_statuses() {
    static const std::vector<InvoiceStatus> all = {InvoiceStatus::draft, InvoiceStatus::issued, InvoiceStatus::partially_paid,
                                                   InvoiceStatus::paid, InvoiceStatus::cancelled};
    return all;
}

std::optional<InvoiceStatus> parse_invoice_status(std::string_view s) {
    for (auto v : all_invoice_statuses())
        if (to_string(v) == s) return v;
    return std::nullopt;
}

std::string_view to_string(PaymentMethod m) {
    switch (m) {
    case PaymentMethod::card: return "card";
    case PaymentMethod::cash: return "cash";
    case PaymentMethod::cheque: return "cheque";
    case PaymentMethod::transfer: return "transfer";
    case PaymentMethod::amo: return "amo";
    case PaymentMethod::amc: return "amc";
    }
    return "card";
}

const std::vector<PaymentMethod>& all_payment_methods() {
    static const std::vector<PaymentMethod> all = {PaymentMethod::card,     PaymentMethod::cash, PaymentMethod::cheque,
                                                   PaymentMethod::transfer, PaymentMethod::amo,  PaymentMethod::amc};
    return all;
}

std::optional<PaymentMethod> parse_payment_method(std::string_view s) {
    for (auto v : all_payment_methods())
        if (to_string(v) == s) return v;
    return std::nullopt;
}

std::string_view label_fr(PaymentMethod m) {
    switch (m) {
    case PaymentMethod::card: return "Carte bancaire";
    case PaymentMethod::cash: return "Espèces";
    case PaymentMethod::cheque: return "Chèque";
    case PaymentMethod::transfer: return "Virement";
    case PaymentMethod::amo: return "Assurance maladie (AMO)";
    case PaymentMethod::amc: return "Complémentaire santé (AMC)";
    }
    return "";
}

Totals totals_of(const std::vector<InvoiceLine>& lines) {
    std::map<BasisPoints, Cents> base_by_rate;
    Totals t;
    for (const auto& l : lines) {
        t.subtotal_cents += l.amount_cents;
        base_by_rate[l.vat_rate_bp] += l.amount_cents;
    }
    for (const auto& [rate, base] : base_by_rate) {
        Cents vat = vat_on(base, rate);
        t.vat_cents += vat;
        t.vat_breakdown.push_back({rate, base, vat});
    }
    t.total_cents = t.subtotal_cents + t.vat_cents;
    return t;
}

Totals compute_totals(std::vector<InvoiceLine>& lines) {
    int position = 0;
    for (auto& l : lines) {
        l.position = ++position;
        l.amount_cents = static_cast<Cents>(l.quantity) * l.unit_price_cents;
    }
    return totals_of(lines);
}

std::vector<FieldIssue> validate_line(const InvoiceLine& l, const std::string& at) {
    std::vector<FieldIssue> issues;
    if (l.code.empty()) issues.push_back({at + "/code", "required", "must name a code of the catalogue"});
    if (trim(l.label).empty()) issues.push_back({at + "/label", "required", "must not be empty"});
    else if (!is_valid_utf8(l.label) || has_control_chars(l.label)) issues.push_back({at + "/label", "invalid_text", "contains characters that are not allowed"});
    else if (utf8_length(l.label) > kMaxLabelLength) issues.push_back({at + "/label", "too_long", "at most 500 characters"});
    if (l.quantity < 1 || l.quantity > kMaxQuantity) issues.push_back({at + "/quantity", "out_of_range", "between 1 and 999"});
    if (l.unit_price_cents < 0 || l.unit_price_cents > kMaxUnitPrice)
        issues.push_back({at + "/unit_price_cents", "out_of_range", "between 0 and 10000000 cents"});
    if (l.vat_rate_bp < 0 || l.vat_rate_bp > kMaxVatRate)
        issues.push_back({at + "/vat_rate_bp", "out_of_range", "between 0 and 10000 basis points"});
    return issues;
}

Cents Invoice::balance_due() const {
    if (kind != InvoiceKind::invoice) return 0;
    if (status != InvoiceStatus::issued && status != InvoiceStatus::partially_paid) return 0;
    return total_cents - paid_cents;
}

void Invoice::set_totals(const Totals& t) {
    subtotal_cents = t.subtotal_cents;
    vat_cents = t.vat_cents;
    total_cents = t.total_cents;
}

std::string format_invoice_number(std::string_view prefix, int year, std::int64_t seq) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "-%04d-%06lld", year, static_cast<long long>(seq));
    return std::string(prefix) + buf;
}

InvoiceStatus status_after_payments(Cents total, Cents paid) {
    if (paid <= 0) return InvoiceStatus::issued;
    if (paid < total) return InvoiceStatus::partially_paid;
    return InvoiceStatus::paid;
}

Result<std::int64_t> next_in_sequence(const SequenceState& s, int year) {
    if (year > s.year) return 1;
    if (year == s.year) return s.last + 1;
    return Error{ErrorKind::unavailable, "invoice.clock_behind",
                 "Invoice numbering is ahead of this server's clock; check the server time."};
}

std::vector<InvoiceLine> credit_lines(const std::vector<InvoiceLine>& invoice_lines) {
    std::vector<InvoiceLine> out = invoice_lines;
    for (auto& l : out) {
        l.unit_price_cents = -l.unit_price_cents;
        l.amount_cents = -l.amount_cents;
    }
    return out;
}

}  // namespace medisecure::billing
