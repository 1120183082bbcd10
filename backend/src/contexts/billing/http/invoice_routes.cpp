// SPDX-License-Identifier: Apache-2.0
// /api/v1/invoices: drafts, issuing, credit notes, payments and the PDF; and
// /api/v1/billing/stats for the accountant's revenue chart.
#include <boost/json.hpp>

#include "contexts/billing/app/billing_json.hpp"
#include "contexts/billing/http/routes.hpp"
#include "core/text.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/problem.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::billing {
namespace json = boost::json;
using http::Access;
using http::Method;
using http::ParamIn;
using http::Request;
using http::Response;
using schema::opt;
using schema::Property;
using schema::req;
using schema::Schema;

namespace {

std::vector<std::string> names_of(const auto& all) {
    std::vector<std::string> out;
    for (auto v : all) out.emplace_back(to_string(v));
    return out;
}
std::vector<std::string> statuses() { return names_of(all_invoice_statuses()); }
std::vector<std::string> methods() { return names_of(all_payment_methods()); }
std::vector<std::string> kinds() { return {"invoice", "credit_note"}; }

Schema uuid_s() { return Schema::string().format("uuid"); }
Schema cents_s() { return Schema::integer().describe("Euro cents"); }
Schema reason_s() { return Schema::string().min_length(1).max_length(kMaxReasonLength); }

const Schema& line_input_s() {
    static const Schema s = Schema::named(
        "InvoiceLineInput",
        Schema::object({req("code", Schema::string().min_length(1).max_length(16).describe("A code of the catalogue").example("G")),
                        opt("label", Schema::string().min_length(1).max_length(kMaxLabelLength).describe("Default: the catalogue's")),
                        opt("quantity", Schema::integer().minimum(1).maximum(kMaxQuantity).describe("Default 1 (kilometres for IK)")),
                        opt("unit_price_cents", Schema::integer().minimum(0).maximum(static_cast<double>(kMaxUnitPrice))
                                                    .describe("Excluding VAT; default: the catalogue's price")),
                        opt("vat_rate_bp", Schema::integer().minimum(0).maximum(kMaxVatRate)
                                               .describe("Basis points; default: the catalogue's (0 for medical care)"))}));
    return s;
}
Schema lines_s() { return Schema::array(line_input_s()).max_items(kMaxLines); }

const Schema& line_s() {
    static const Schema s = Schema::named(
        "InvoiceLine", Schema::object({req("position", Schema::integer()), req("code", Schema::string()), req("label", Schema::string()),
                                       req("quantity", Schema::integer()), req("unit_price_cents", cents_s()),
                                       req("vat_rate_bp", Schema::integer()),
                                       req("amount_cents", cents_s().describe("quantity × unit price, excluding VAT"))}));
    return s;
}

const Schema& payment_s() {
    static const Schema s = Schema::named(
        "Payment", Schema::object({req("id", uuid_s()), req("method", Schema::string().enumeration(methods())),
                                   req("amount_cents", cents_s()), req("paid_on", Schema::string().format("date")),
                                   req("reference", Schema::string().nullable()), req("recorded_by", Schema::string()),
                                   req("recorded_at", Schema::string().format("date-time")), req("voided", Schema::boolean()),
                                   req("voided_at", Schema::string().format("date-time").nullable()),
                                   req("voided_by", Schema::string().nullable()),
                                   req("void_reason", Schema::string().nullable())}));
    return s;
}

std::vector<Property> header_props() {
    auto nstr = [] { return Schema::string().nullable(); };
    return {req("id", uuid_s()),
            req("kind", Schema::string().enumeration(kinds())),
            req("number", nstr().describe("<prefix>-<year>-<6 digits>; null while draft").example("F-2026-000042")),
            req("status", Schema::string().enumeration(statuses())),
            req("patient_id", uuid_s()),
            req("patient_name", nstr()),
            req("patient_mrn", nstr()),
            req("practitioner_id", Schema::string()),
            req("practitioner_name", nstr()),
            req("encounter_id", nstr()),
            req("service_date", Schema::string().format("date")),
            req("issue_date", Schema::string().format("date").nullable()),
            req("issued_at", Schema::string().format("date-time").nullable()),
            req("subtotal_cents", cents_s().describe("Excluding VAT")),
            req("vat_cents", cents_s()),
            req("total_cents", cents_s().describe("Including VAT; negative on a credit note")),
            req("paid_cents", cents_s()),
            req("balance_due_cents", cents_s()),
            req("credit_note_id", nstr()),
            req("credit_note_number", nstr()),
            req("credited_invoice_id", nstr()),
            req("credited_invoice_number", nstr()),
            req("cancel_reason", nstr()),
            req("cancelled_at", Schema::string().format("date-time").nullable()),
            req("created_at", Schema::string().format("date-time")),
            req("updated_at", Schema::string().format("date-time")),
            req("version", Schema::integer())};
}

const Schema& summary_s() {
    static const Schema s = Schema::named("InvoiceSummary", Schema::object(header_props()));
    return s;
}

const Schema& invoice_s() {
    static const Schema s = [] {
        auto props = header_props();
        props.push_back(req("lines", Schema::array(line_s())));
        props.push_back(req("vat_breakdown",
                            Schema::array(Schema::object({req("rate_bp", Schema::integer()), req("base_cents", cents_s()),
                                                          req("vat_cents", cents_s())}))
                                .describe("VAT per rate, computed on the sum of the lines at that rate")));
        props.push_back(req("payments", Schema::array(payment_s()).describe("Oldest first; voided ones included")));
        return Schema::named("Invoice", Schema::object(std::move(props))
                                            .describe("An invoice or a credit note. Totals are computed by the server from "
                                                      "the lines: VAT per rate rounded to the cent, halves away from zero."));
    }();
    return s;
}

Schema stats_line_props(std::vector<Property> extra) {
    std::vector<Property> p = std::move(extra);
    for (const char* n : {"issued_cents", "credited_cents", "net_issued_cents", "collected_cents", "outstanding_cents",
                          "invoice_count", "credit_note_count", "payment_count"})
        p.push_back(req(n, Schema::integer()));
    return Schema::object(std::move(p));
}

const Schema& stats_s() {
    static const Schema s = Schema::named(
        "BillingStats",
        Schema::object(
            {req("year", Schema::integer()), req("month", Schema::integer().nullable()), req("currency", Schema::string()),
             req("totals", stats_line_props({})),
             req("by_practitioner", Schema::array(stats_line_props(
                                        {req("practitioner_id", Schema::string()), req("practitioner_name", Schema::string().nullable())}))),
             req("by_method", Schema::array(Schema::object({req("method", Schema::string().enumeration(methods())),
                                                            req("collected_cents", Schema::integer()),
                                                            req("payment_count", Schema::integer())}))),
             opt("by_month", Schema::array(stats_line_props({req("month", Schema::string())})))})
            .describe("issued: invoices issued in the period; credited: credit notes issued in it (negative); net_issued: "
                      "their sum; collected: payments received in it (not voided); outstanding: what is still due today on "
                      "the invoices issued in it."));
    return s;
}

std::vector<LineInput> lines_from(const json::array& a) {
    std::vector<LineInput> out;
    for (const auto& v : a) {
        const auto& o = v.as_object();
        LineInput l;
        l.code = jsonu::string_or(o, "code");
        l.label = jsonu::opt_string(o, "label");
        l.quantity = static_cast<int>(jsonu::opt_int(o, "quantity").value_or(1));
        l.unit_price_cents = jsonu::opt_int(o, "unit_price_cents");
        if (auto r = jsonu::opt_int(o, "vat_rate_bp")) l.vat_rate_bp = static_cast<BasisPoints>(*r);
        out.push_back(std::move(l));
    }
    return out;
}

Response invoice_response(int status, const InvoiceView& v) {
    Response r = Response::json(status, invoice_json(v, true));
    r.headers.set("ETag", http::etag_for(v.invoice.version));
    return r;
}

std::string id_of(const Request& r) { return std::string(r.path_param("id")); }

}  // namespace

void add_invoice_routes(http::Router& router, InvoiceService& invoices) {
    const auto editors = Access::roles_of({Role::admin, Role::accountant, Role::doctor});
    const auto managers = Access::roles_of({Role::admin, Role::accountant});
    const auto readers = Access::roles_of({Role::admin, Role::accountant, Role::doctor, Role::patient});
    const http::Param id_param{"id", ParamIn::path, uuid_s(), true, "Invoice id"};

    router.add({
        .method = Method::post,
        .path = "/api/v1/invoices",
        .operation_id = "createInvoice",
        .summary = "Start an invoice (a draft) for a patient",
        .description = "Lines name catalogue codes; label, unit price and VAT rate default to the catalogue's. A "
                       "doctor invoices their own acts (`practitioner_id` defaults to them; another doctor's id is "
                       "403); accountants and administrators name the practitioner. Totals are computed here, never "
                       "taken from the request. The draft has no number until it is issued.",
        .tag = "billing",
        .access = editors,
        .body = http::BodyDoc{Schema::named(
            "InvoiceInput", Schema::object({req("patient_id", uuid_s()), opt("practitioner_id", uuid_s()),
                                            opt("encounter_id", uuid_s().nullable().describe("The consultation billed")),
                                            opt("service_date", Schema::string().format("date").describe("Default: today")),
                                            opt("lines", lines_s())}))},
        .responses = {{201, "Draft created", invoice_s(), "application/json", {"Location", "ETag"}}},
        .handler = [&invoices](Request& r) {
            const auto& b = r.json.as_object();
            NewInvoice in;
            in.patient_id = jsonu::string_or(b, "patient_id");
            in.practitioner_id = jsonu::string_or(b, "practitioner_id");
            in.encounter_id = jsonu::string_or(b, "encounter_id");
            if (auto d = jsonu::opt_string(b, "service_date")) in.service_date = parse_date(*d);
            if (auto it = b.find("lines"); it != b.end()) in.lines = lines_from(it->value().as_array());
            auto v = invoices.create(r.caller(), in);
            if (!v) return http::problem(v.error(), r.request_id);
            Response resp = invoice_response(201, *v);
            resp.headers.set("Location", "/api/v1/invoices/" + v->invoice.id);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/invoices",
        .operation_id = "listInvoices",
        .summary = "List invoices and credit notes, newest first",
        .description = "A patient sees their own issued documents only; a doctor the invoices of their own acts. "
                       "`from`/`to` filter on the issue date (drafts have none). Repeat `status` for several. Pass "
                       "`next_cursor` back as `cursor` for the next page.",
        .tag = "billing",
        .access = readers,
        .params = {{"patient_id", ParamIn::query, uuid_s(), false, "One patient's documents"},
                   {"practitioner_id", ParamIn::query, uuid_s(), false, "One practitioner's documents"},
                   {"status", ParamIn::query, Schema::string().enumeration(statuses()), false, "Only these statuses"},
                   {"kind", ParamIn::query, Schema::string().enumeration(kinds()), false, "Invoices or credit notes"},
                   {"from", ParamIn::query, Schema::string().format("date"), false, "Issued on or after"},
                   {"to", ParamIn::query, Schema::string().format("date"), false, "Issued on or before"},
                   {"cursor", ParamIn::query, uuid_s(), false, "From a previous page"},
                   {"limit", ParamIn::query, Schema::integer().minimum(1), false, "Page size (default 20, at most 100)"}},
        .responses = {{200, "A page of documents",
                       Schema::named("InvoicePage", Schema::object({req("items", Schema::array(summary_s())),
                                                                    req("next_cursor", Schema::string().nullable())}))}},
        .handler = [&invoices](Request& r) {
            InvoiceQuery q;
            q.patient_id = r.query("patient_id").value_or("");
            q.practitioner_id = r.query("practitioner_id").value_or("");
            for (const auto& s : r.query_all("status")) {
                auto st = parse_invoice_status(s);
                if (!st) return http::problem(invalid_field("status", "enum", "is not an invoice status"), r.request_id);
                q.statuses.push_back(*st);
            }
            if (auto k = r.query("kind")) q.kind = parse_invoice_kind(*k);
            if (auto d = r.query("from")) q.issued_from = parse_date(*d);
            if (auto d = r.query("to")) q.issued_to = parse_date(*d);
            q.before_id = r.query("cursor").value_or("");
            q.limit = query_limit(r, q.limit);
            auto page = invoices.list(r.caller(), q);
            if (!page) return http::problem(page.error(), r.request_id);
            json::array items;
            for (const auto& v : page->items) items.push_back(invoice_json(v, false));
            return Response::json(200, json::object{{"items", std::move(items)}, {"next_cursor", jsonu::nullable_if_empty(page->next_cursor)}});
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/invoices/{id}",
        .operation_id = "getInvoice",
        .summary = "Read an invoice or credit note with its lines and payments",
        .description = "Outside the caller's reach (another patient's, another doctor's, a draft for a patient) it "
                       "answers 404 like a missing one.",
        .tag = "billing",
        .access = readers,
        .params = {id_param},
        .responses = {{200, "The document", invoice_s(), "application/json", {"ETag"}}},
        .handler = [&invoices](Request& r) {
            auto v = invoices.get(r.caller(), id_of(r));
            if (!v) return http::problem(v.error(), r.request_id);
            return invoice_response(200, *v);
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/invoices/{id}",
        .operation_id = "updateDraftInvoice",
        .summary = "Change a draft (If-Match required)",
        .description = "`lines` replaces every line. Only drafts change (409 once issued: cancel with a credit note). "
                       "Send the ETag you read: 412 when stale, 428 without it.",
        .tag = "billing",
        .access = editors,
        .params = {id_param, {"If-Match", ParamIn::header, Schema::string(), true, "The ETag of the draft being changed"}},
        .body = http::BodyDoc{Schema::named(
            "InvoicePatch", Schema::object({opt("lines", lines_s()), opt("encounter_id", uuid_s().nullable()),
                                            opt("service_date", Schema::string().format("date"))})
                                .min_items(1))},
        .responses = {{200, "Changed", invoice_s(), "application/json", {"ETag"}}},
        .errors = {409, 412, 428},
        .handler = [&invoices](Request& r) {
            auto version = http::if_match_version(r, true);
            if (!version) return http::problem(version.error(), r.request_id);
            if (!*version)
                return http::problem({ErrorKind::precondition_required, "if_match_required",
                                      "Send the ETag you read (not *) in an If-Match header."},
                                     r.request_id);
            const auto& b = r.json.as_object();
            InvoicePatch p;
            for (const auto& kv : b) p.fields.emplace_back(kv.key());
            if (auto it = b.find("lines"); it != b.end()) p.lines = lines_from(it->value().as_array());
            if (jsonu::has(b, "encounter_id")) p.encounter_id = jsonu::string_or(b, "encounter_id");
            if (auto d = jsonu::opt_string(b, "service_date")) p.service_date = parse_date(*d);
            auto v = invoices.update_draft(r.caller(), id_of(r), **version, p);
            if (!v) return http::problem(v.error(), r.request_id);
            return invoice_response(200, *v);
        }});

    router.add({
        .method = Method::delete_,
        .path = "/api/v1/invoices/{id}",
        .operation_id = "deleteDraftInvoice",
        .summary = "Delete a draft",
        .description = "Drafts have no number, so deleting one leaves no gap. An issued invoice is never deleted (409).",
        .tag = "billing",
        .access = editors,
        .params = {id_param},
        .responses = {{204, "Deleted", std::nullopt, ""}},
        .errors = {409},
        .handler = [&invoices](Request& r) {
            auto done = invoices.discard_draft(r.caller(), id_of(r));
            if (!done) return http::problem(done.error(), r.request_id);
            return Response::empty(204);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/invoices/{id}/issue",
        .operation_id = "issueInvoice",
        .summary = "Issue a draft: number it and make it immutable",
        .description = "The number (`<prefix>-<year>-<6 digits>`) is allocated in the issuing transaction: the yearly "
                       "sequence (practice time zone) has no gap and no duplicate, also under concurrent issuing. "
                       "Invoices and credit notes share it. 409 when not a draft or without a positive total.",
        .tag = "billing",
        .access = editors,
        .params = {id_param},
        .responses = {{200, "Issued", invoice_s(), "application/json", {"ETag"}}},
        .errors = {409},
        .handler = [&invoices](Request& r) {
            auto v = invoices.issue(r.caller(), id_of(r));
            if (!v) return http::problem(v.error(), r.request_id);
            return invoice_response(200, *v);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/invoices/{id}/cancel",
        .operation_id = "cancelInvoice",
        .summary = "Cancel an issued invoice with a credit note",
        .description = "Issues a credit note (\"avoir\": its own number in the invoices' sequence, the same lines with "
                       "negative amounts, referencing the invoice) and marks the invoice cancelled. Refused (409) "
                       "while payments are recorded on it: refund and void them first.",
        .tag = "billing",
        .access = managers,
        .params = {id_param},
        .body = http::BodyDoc{Schema::named("CancelInput", Schema::object({req("reason", reason_s())}))},
        .responses = {{201, "The cancelled invoice and its credit note",
                       Schema::named("Cancellation", Schema::object({req("invoice", invoice_s()), req("credit_note", invoice_s())})),
                       "application/json", {"Location"}}},
        .errors = {409},
        .handler = [&invoices](Request& r) {
            auto done = invoices.cancel(r.caller(), id_of(r), jsonu::string_or(r.json.as_object(), "reason"));
            if (!done) return http::problem(done.error(), r.request_id);
            Response resp = Response::json(201, json::object{{"invoice", invoice_json(done->invoice, true)},
                                                             {"credit_note", invoice_json(done->credit_note, true)}});
            resp.headers.set("Location", "/api/v1/invoices/" + done->credit_note.invoice.id);
            return resp;
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/invoices/{id}/payments",
        .operation_id = "addPayment",
        .summary = "Record a payment (full or partial)",
        .description = "Card, cash, cheque, transfer, or insurance: `amo` (Assurance maladie) and `amc` (complémentaire). "
                       "An amount above the balance due is refused with 409 and `balance_due_cents`: whether it fits "
                       "depends on the invoice's current state (another payment may have just been recorded), not on "
                       "the request alone. Drafts, cancelled invoices and credit notes take no payment (409).",
        .tag = "billing",
        .access = managers,
        .params = {id_param},
        .body = http::BodyDoc{Schema::named(
            "PaymentInput",
            Schema::object({req("method", Schema::string().enumeration(methods())),
                            req("amount_cents", Schema::integer().minimum(1).maximum(static_cast<double>(kMaxUnitPrice) * 10)),
                            opt("paid_on", Schema::string().format("date").describe("Default: today")),
                            opt("reference", Schema::string().max_length(kMaxReferenceLength)
                                                 .describe("Cheque number, transaction or insurer's payment reference"))}))},
        .responses = {{201, "Recorded",
                       Schema::named("PaymentRecorded", Schema::object({req("payment", payment_s()), req("invoice", invoice_s())}))}},
        .errors = {409},
        .handler = [&invoices](Request& r) {
            const auto& b = r.json.as_object();
            NewPayment in;
            in.method = parse_payment_method(jsonu::string_or(b, "method")).value_or(PaymentMethod::card);
            in.amount_cents = jsonu::opt_int(b, "amount_cents").value_or(0);
            if (auto d = jsonu::opt_string(b, "paid_on")) in.paid_on = parse_date(*d);
            in.reference = jsonu::string_or(b, "reference");
            auto done = invoices.add_payment(r.caller(), id_of(r), in);
            if (!done) return http::problem(done.error(), r.request_id);
            return Response::json(201, json::object{{"payment", payment_json(done->payment)},
                                                    {"invoice", invoice_json(done->invoice, true)}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/invoices/{id}/payments/{payment_id}/void",
        .operation_id = "voidPayment",
        .summary = "Void a payment recorded by mistake (administrators)",
        .description = "Payments are never deleted: the payment stays on the invoice, marked void with who, when and "
                       "why, and no longer counts towards what was paid. Audited.",
        .tag = "billing",
        .access = Access::roles_of({Role::admin}),
        .params = {id_param, {"payment_id", ParamIn::path, uuid_s(), true, "Payment id"}},
        .body = http::BodyDoc{Schema::named("VoidInput", Schema::object({req("reason", reason_s())}))},
        .responses = {{200, "The invoice after the payment was voided", invoice_s(), "application/json", {"ETag"}}},
        .errors = {409},
        .handler = [&invoices](Request& r) {
            auto v = invoices.void_payment(r.caller(), id_of(r), std::string(r.path_param("payment_id")),
                                           jsonu::string_or(r.json.as_object(), "reason"));
            if (!v) return http::problem(v.error(), r.request_id);
            return invoice_response(200, *v);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/invoices/{id}/pdf",
        .operation_id = "getInvoicePdf",
        .summary = "The invoice or credit note as a PDF",
        .description = "With the practice's details, the patient's identity (name, address, NIR), the practitioner, "
                       "lines, totals, payments and balance due, and the VAT exemption mention for medical care.",
        .tag = "billing",
        .access = readers,
        .params = {id_param},
        .responses = {{200, "PDF document", std::nullopt, "application/pdf", {"Content-Disposition"}}},
        .handler = [&invoices](Request& r) {
            auto f = invoices.pdf(r.caller(), id_of(r));
            if (!f) return http::problem(f.error(), r.request_id);
            Response resp = Response::text(200, std::move(f->bytes), "application/pdf");
            resp.headers.set("Content-Disposition", "inline; filename=\"" + f->filename + "\"");
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/billing/stats",
        .operation_id = "billingStats",
        .summary = "Revenue of a month (or a year) per practitioner and payment method",
        .description = "Months are calendar months in the practice's time zone. Without `month`, the year with a "
                       "`by_month` series for charts.",
        .tag = "billing",
        .access = managers,
        .params = {{"year", ParamIn::query, Schema::integer().minimum(2000).maximum(2100), true, "Calendar year"},
                   {"month", ParamIn::query, Schema::integer().minimum(1).maximum(12), false, "1 to 12"}},
        .responses = {{200, "Revenue", stats_s()}},
        .handler = [&invoices](Request& r) {
            int year = static_cast<int>(std::strtol(r.query("year").value_or("0").c_str(), nullptr, 10));
            std::optional<unsigned> month;
            if (auto m = r.query("month")) month = static_cast<unsigned>(std::strtoul(m->c_str(), nullptr, 10));
            auto s = invoices.stats(r.caller(), year, month);
            if (!s) return http::problem(s.error(), r.request_id);
            return Response::json(200, stats_json(*s));
        }});
}

}  // namespace medisecure::billing
