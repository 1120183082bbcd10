// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/app/billing_json.hpp"

#include <boost/json.hpp>

#include "platform/json/json_util.hpp"

namespace medisecure::billing {
namespace json = boost::json;

namespace {
json::value nul(const std::string& v) { return jsonu::nullable_if_empty(v); }
json::value date_or_null(const std::optional<Date>& d) { return d ? json::value(format_date(*d)) : json::value(nullptr); }
json::value instant_or_null(const std::optional<Timestamp>& t) {
    return t ? json::value(format_instant(*t)) : json::value(nullptr);
}

json::object stats_line_json(const StatsLine& l) {
    return {{"issued_cents", l.issued_cents},       {"credited_cents", l.credited_cents},
            {"net_issued_cents", l.issued_cents + l.credited_cents},
            {"collected_cents", l.collected_cents}, {"outstanding_cents", l.outstanding_cents},
            {"invoice_count", l.invoice_count},     {"credit_note_count", l.credit_note_count},
            {"payment_count", l.payment_count}};
}
}  // namespace

json::object act_json(const Act& a) {
    return {{"code", a.code},
            {"system", to_string(a.system)},
            {"label", a.label},
            {"price_cents", a.price_cents},
            {"vat_rate_bp", a.vat_rate_bp},
            {"active", a.active},
            {"created_at", format_instant(a.created_at)},
            {"updated_at", format_instant(a.updated_at)},
            {"version", a.version}};
}

json::object payment_json(const Payment& p) {
    return {{"id", p.id},
            {"method", to_string(p.method)},
            {"amount_cents", p.amount_cents},
            {"paid_on", format_date(p.paid_on)},
            {"reference", nul(p.reference)},
            {"recorded_by", p.recorded_by},
            {"recorded_at", format_instant(p.recorded_at)},
            {"voided", p.voided()},
            {"voided_at", instant_or_null(p.voided_at)},
            {"voided_by", nul(p.voided_by)},
            {"void_reason", nul(p.void_reason)}};
}

json::object invoice_json(const InvoiceView& view, bool detailed) {
    const Invoice& v = view.invoice;
    json::object o{{"id", v.id},
                   {"kind", to_string(v.kind)},
                   {"number", nul(v.number)},
                   {"status", to_string(v.status)},
                   {"patient_id", v.patient_id},
                   {"patient_name", nul(view.patient_name())},
                   {"patient_mrn", nul(view.patient.mrn)},
                   {"practitioner_id", v.practitioner_id},
                   {"practitioner_name", nul(view.practitioner_name)},
                   {"encounter_id", nul(v.encounter_id)},
                   {"service_date", format_date(v.service_date)},
                   {"issue_date", date_or_null(v.issue_date)},
                   {"issued_at", instant_or_null(v.issued_at)},
                   {"subtotal_cents", v.subtotal_cents},
                   {"vat_cents", v.vat_cents},
                   {"total_cents", v.total_cents},
                   {"paid_cents", v.paid_cents},
                   {"balance_due_cents", v.balance_due()},
                   {"credit_note_id", nul(v.credit_note_id)},
                   {"credit_note_number", nul(v.credit_note_number)},
                   {"credited_invoice_id", nul(v.credited_invoice_id)},
                   {"credited_invoice_number", nul(v.credited_invoice_number)},
                   {"cancel_reason", nul(v.cancel_reason)},
                   {"cancelled_at", instant_or_null(v.cancelled_at)},
                   {"created_at", format_instant(v.created_at)},
                   {"updated_at", format_instant(v.updated_at)},
                   {"version", v.version}};
    if (!detailed) return o;
    json::array lines;
    for (const auto& l : v.lines)
        lines.push_back(json::object{{"position", l.position},
                                     {"code", l.code},
                                     {"label", l.label},
                                     {"quantity", l.quantity},
                                     {"unit_price_cents", l.unit_price_cents},
                                     {"vat_rate_bp", l.vat_rate_bp},
                                     {"amount_cents", l.amount_cents}});
    json::array vat;
    for (const auto& b : totals_of(v.lines).vat_breakdown)
        vat.push_back(json::object{{"rate_bp", b.rate_bp}, {"base_cents", b.base_cents}, {"vat_cents", b.vat_cents}});
    json::array payments;
    for (const auto& p : v.payments) payments.push_back(payment_json(p));
    o["lines"] = std::move(lines);
    o["vat_breakdown"] = std::move(vat);
    o["payments"] = std::move(payments);
    return o;
}

json::object stats_json(const BillingStats& s) {
    json::array practitioners, methods, months;
    for (const auto& l : s.by_practitioner) {
        auto o = stats_line_json(l);
        o["practitioner_id"] = l.key;
        o["practitioner_name"] = nul(l.name);
        practitioners.push_back(std::move(o));
    }
    for (const auto& l : s.by_method)
        methods.push_back(json::object{{"method", l.key}, {"collected_cents", l.collected_cents}, {"payment_count", l.payment_count}});
    for (const auto& l : s.by_month) {
        auto o = stats_line_json(l);
        o["month"] = l.key;
        months.push_back(std::move(o));
    }
    json::object out{{"year", s.year},
                     {"month", s.month ? json::value(*s.month) : json::value(nullptr)},
                     {"currency", "EUR"},
                     {"totals", stats_line_json(s.totals)},
                     {"by_practitioner", std::move(practitioners)},
                     {"by_method", std::move(methods)}};
    if (!s.month) out["by_month"] = std::move(months);
    return out;
}

}  // namespace medisecure::billing
