// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/adapters/sql/sql_billing_store.hpp"

#include "core/text.hpp"
#include "platform/db/query.hpp"

namespace medisecure::billing {
namespace {

using ll = long long;

constexpr const char* kActColumns =
    "code, act_system, label, price_cents, vat_rate_bp, active, created_at, updated_at, version";

constexpr const char* kInvoiceColumns =
    "id, kind, number, number_year, number_seq, status, patient_id, practitioner_id, encounter_id, service_date, "
    "issue_date, issued_at, issued_by, subtotal_cents, vat_cents, total_cents, paid_cents, credit_note_id, "
    "credit_note_number, credited_invoice_id, credited_invoice_number, cancel_reason, cancelled_at, cancelled_by, "
    "created_by, created_at, updated_at, version";

constexpr const char* kPaymentColumns =
    "id, invoice_id, patient_id, practitioner_id, method, amount_cents, paid_on, reference, recorded_by, recorded_at, "
    "voided_at, voided_by, void_reason";

/// The clause that locks the rows a SELECT reads until the transaction ends.
const char* lock_clause(db::Dialect d) {
    switch (d) {
    case db::Dialect::sqlite: return "";  // BEGIN IMMEDIATE holds the only write lock already
    case db::Dialect::postgresql:
    case db::Dialect::mariadb: return " FOR UPDATE";
    }
    return " FOR UPDATE";
}

Act act_from(const db::Row& r) {
    Act a;
    std::size_t i = 0;
    a.code = db::as_string(r, i++);
    a.system = parse_act_system(db::as_string(r, i++)).value_or(ActSystem::other);
    a.label = db::as_string(r, i++);
    a.price_cents = db::as_int64(r, i++);
    a.vat_rate_bp = static_cast<BasisPoints>(db::as_int64(r, i++));
    a.active = db::as_int64(r, i++) != 0;
    a.created_at = from_micros(db::as_int64(r, i++));
    a.updated_at = from_micros(db::as_int64(r, i++));
    a.version = db::as_int64(r, i++);
    return a;
}

std::optional<Timestamp> instant_or_none(ll micros) {
    if (micros == 0) return std::nullopt;
    return from_micros(micros);
}

Invoice invoice_from(const db::Row& r) {
    Invoice v;
    std::size_t i = 0;
    auto s = [&] { return db::as_string(r, i++); };
    auto n = [&] { return db::as_int64(r, i++); };
    v.id = s();
    v.kind = parse_invoice_kind(s()).value_or(InvoiceKind::invoice);
    v.number = s();
    v.number_year = static_cast<int>(n());
    v.number_seq = n();
    v.status = parse_invoice_status(s()).value_or(InvoiceStatus::draft);
    v.patient_id = s();
    v.practitioner_id = s();
    v.encounter_id = s();
    v.service_date = parse_date(s()).value_or(Date{});
    v.issue_date = parse_date(s());
    v.issued_at = instant_or_none(n());
    v.issued_by = s();
    v.subtotal_cents = n();
    v.vat_cents = n();
    v.total_cents = n();
    v.paid_cents = n();
    v.credit_note_id = s();
    v.credit_note_number = s();
    v.credited_invoice_id = s();
    v.credited_invoice_number = s();
    v.cancel_reason = s();
    v.cancelled_at = instant_or_none(n());
    v.cancelled_by = s();
    v.created_by = s();
    v.created_at = from_micros(n());
    v.updated_at = from_micros(n());
    v.version = n();
    return v;
}

Payment payment_from(const db::Row& r) {
    Payment p;
    std::size_t i = 0;
    auto s = [&] { return db::as_string(r, i++); };
    auto n = [&] { return db::as_int64(r, i++); };
    p.id = s();
    p.invoice_id = s();
    p.patient_id = s();
    p.practitioner_id = s();
    p.method = parse_payment_method(s()).value_or(PaymentMethod::card);
    p.amount_cents = n();
    p.paid_on = parse_date(s()).value_or(Date{});
    p.reference = s();
    p.recorded_by = s();
    p.recorded_at = from_micros(n());
    p.voided_at = instant_or_none(n());
    p.voided_by = s();
    p.void_reason = s();
    return p;
}

std::optional<Act> find_act_in(soci::session& sql, const std::string& code) {
    std::optional<Act> out;
    db::Query q(std::string("SELECT ") + kActColumns + " FROM acts WHERE code = ");
    q.bind(code);
    q.for_each(sql, [&](const db::Row& r) { out = act_from(r); });
    return out;
}

/// The header (optionally locked), then its lines and payments.
std::optional<Invoice> find_invoice_in(soci::session& sql, const std::string& id, const char* lock) {
    std::optional<Invoice> out;
    db::Query q(std::string("SELECT ") + kInvoiceColumns + " FROM invoices WHERE id = ");
    q.bind(id).sql(lock);
    q.for_each(sql, [&](const db::Row& r) { out = invoice_from(r); });
    if (!out) return out;
    db::Query lines("SELECT position, code, label, quantity, unit_price_cents, vat_rate_bp, amount_cents "
                    "FROM invoice_lines WHERE invoice_id = ");
    lines.bind(id).sql(" ORDER BY position");
    lines.for_each(sql, [&](const db::Row& r) {
        InvoiceLine l;
        l.position = static_cast<int>(db::as_int64(r, 0));
        l.code = db::as_string(r, 1);
        l.label = db::as_string(r, 2);
        l.quantity = static_cast<int>(db::as_int64(r, 3));
        l.unit_price_cents = db::as_int64(r, 4);
        l.vat_rate_bp = static_cast<BasisPoints>(db::as_int64(r, 5));
        l.amount_cents = db::as_int64(r, 6);
        out->lines.push_back(std::move(l));
    });
    db::Query pays(std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE invoice_id = ");
    pays.bind(id).sql(" ORDER BY recorded_at, id");
    pays.for_each(sql, [&](const db::Row& r) { out->payments.push_back(payment_from(r)); });
    return out;
}

ll micros_or_zero(const std::optional<Timestamp>& t) { return t ? static_cast<ll>(to_micros(*t)) : 0; }

void insert_lines(soci::session& sql, const Invoice& v) {
    for (const auto& l : v.lines) {
        db::Query q("INSERT INTO invoice_lines (invoice_id, position, code, label, quantity, unit_price_cents, "
                    "vat_rate_bp, amount_cents) VALUES (");
        q.bind(v.id).sql(", ").bind(static_cast<ll>(l.position)).sql(", ").bind(l.code).sql(", ").bind(l.label);
        q.sql(", ").bind(static_cast<ll>(l.quantity)).sql(", ").bind(static_cast<ll>(l.unit_price_cents));
        q.sql(", ").bind(static_cast<ll>(l.vat_rate_bp)).sql(", ").bind(static_cast<ll>(l.amount_cents)).sql(")");
        q.execute(sql);
    }
}

/// Binds every header column after the id, in kInvoiceColumns' order, separated by `sep`
/// and each preceded by "<column> = " when `assign`.
void bind_header(db::Query& q, const Invoice& v, bool assign) {
    auto col = [&, first = true](const char* name) mutable {
        if (!first) q.sql(", ");
        first = false;
        if (assign) q.sql(name).sql(" = ");
    };
    auto str = [&](const char* name, const std::string& value) {
        col(name);
        q.bind(value);
    };
    auto num = [&](const char* name, ll value) {
        col(name);
        q.bind(value);
    };
    str("kind", std::string(to_string(v.kind)));
    col("number");
    if (v.number.empty()) q.sql("NULL");
    else q.bind(v.number);
    num("number_year", v.number_year);
    num("number_seq", v.number_seq);
    str("status", std::string(to_string(v.status)));
    str("patient_id", v.patient_id);
    str("practitioner_id", v.practitioner_id);
    str("encounter_id", v.encounter_id);
    str("service_date", format_date(v.service_date));
    str("issue_date", v.issue_date ? format_date(*v.issue_date) : std::string());
    num("issued_at", micros_or_zero(v.issued_at));
    str("issued_by", v.issued_by);
    num("subtotal_cents", v.subtotal_cents);
    num("vat_cents", v.vat_cents);
    num("total_cents", v.total_cents);
    num("paid_cents", v.paid_cents);
    str("credit_note_id", v.credit_note_id);
    str("credit_note_number", v.credit_note_number);
    str("credited_invoice_id", v.credited_invoice_id);
    str("credited_invoice_number", v.credited_invoice_number);
    str("cancel_reason", v.cancel_reason);
    num("cancelled_at", micros_or_zero(v.cancelled_at));
    str("cancelled_by", v.cancelled_by);
    str("created_by", v.created_by);
    num("created_at", to_micros(v.created_at));
    num("updated_at", to_micros(v.updated_at));
    num("version", v.version);
}

class SqlUnit final : public BillingUnit {
public:
    SqlUnit(soci::session& sql, db::Dialect dialect) : sql_(sql), lock_(lock_clause(dialect)) {}

    std::optional<Act> find_act(const std::string& code) override { return find_act_in(sql_, code); }

    void insert_act(const Act& a) override {
        db::Query q("INSERT INTO acts (code, act_system, label, code_key, label_key, price_cents, vat_rate_bp, active, "
                    "created_at, updated_at, version) VALUES (");
        q.bind(a.code).sql(", ").bind(std::string(to_string(a.system))).sql(", ").bind(a.label);
        q.sql(", ").bind(to_lower_ascii(a.code)).sql(", ").bind(fold(a.label));
        q.sql(", ").bind(static_cast<ll>(a.price_cents)).sql(", ").bind(static_cast<ll>(a.vat_rate_bp));
        q.sql(", ").bind(static_cast<ll>(a.active ? 1 : 0)).sql(", ").bind(static_cast<ll>(to_micros(a.created_at)));
        q.sql(", ").bind(static_cast<ll>(to_micros(a.updated_at))).sql(", ").bind(static_cast<ll>(a.version)).sql(")");
        q.execute(sql_);
    }

    bool update_act(const Act& a) override {
        db::Query q("UPDATE acts SET act_system = ");
        q.bind(std::string(to_string(a.system))).sql(", label = ").bind(a.label).sql(", label_key = ").bind(fold(a.label));
        q.sql(", price_cents = ").bind(static_cast<ll>(a.price_cents));
        q.sql(", vat_rate_bp = ").bind(static_cast<ll>(a.vat_rate_bp));
        q.sql(", active = ").bind(static_cast<ll>(a.active ? 1 : 0));
        q.sql(", updated_at = ").bind(static_cast<ll>(to_micros(a.updated_at)));
        q.sql(", version = ").bind(static_cast<ll>(a.version));
        q.sql(" WHERE code = ").bind(a.code).sql(" AND version = ").bind(static_cast<ll>(a.version - 1));
        return q.execute(sql_) == 1;
    }

    bool act_invoiced(const std::string& code) override {
        ll n = 0;
        db::Query q("SELECT COUNT(*) FROM invoice_lines WHERE code = ");
        q.bind(code);
        q.for_each(sql_, [&](const db::Row& r) { n = db::as_int64(r, 0); });
        return n > 0;
    }

    void delete_act(const std::string& code) override {
        db::Query q("DELETE FROM acts WHERE code = ");
        q.bind(code).execute(sql_);
    }

    std::optional<Invoice> lock_invoice(const std::string& id) override { return find_invoice_in(sql_, id, lock_); }

    void insert_invoice(const Invoice& v) override {
        db::Query q(std::string("INSERT INTO invoices (") + kInvoiceColumns + ") VALUES (");
        q.bind(v.id).sql(", ");
        bind_header(q, v, false);
        q.sql(")");
        q.execute(sql_);
        insert_lines(sql_, v);
    }

    bool update_invoice(const Invoice& v, bool replace_lines) override {
        db::Query q("UPDATE invoices SET ");
        bind_header(q, v, true);
        q.sql(" WHERE id = ").bind(v.id).sql(" AND version = ").bind(static_cast<ll>(v.version - 1));
        if (q.execute(sql_) != 1) return false;
        if (replace_lines) {
            db::Query d("DELETE FROM invoice_lines WHERE invoice_id = ");
            d.bind(v.id).execute(sql_);
            insert_lines(sql_, v);
        }
        return true;
    }

    void delete_draft(const std::string& id) override {
        db::Query lines("DELETE FROM invoice_lines WHERE invoice_id = ");
        lines.bind(id).execute(sql_);
        db::Query header("DELETE FROM invoices WHERE status = 'draft' AND id = ");
        header.bind(id).execute(sql_);
    }

    SequenceState lock_sequence() override {
        SequenceState s;
        bool found = false;
        db::Query q("SELECT last_year, last_value FROM invoice_sequences WHERE series = 'invoice'");
        q.sql(lock_);
        q.for_each(sql_, [&](const db::Row& r) {
            s.year = static_cast<int>(db::as_int64(r, 0));
            s.last = db::as_int64(r, 1);
            found = true;
        });
        if (!found) throw std::runtime_error("billing: the invoice sequence row is missing");
        return s;
    }

    void store_sequence(const SequenceState& s) override {
        db::Query q("UPDATE invoice_sequences SET last_year = ");
        q.bind(static_cast<ll>(s.year)).sql(", last_value = ").bind(static_cast<ll>(s.last));
        q.sql(" WHERE series = 'invoice'");
        q.execute(sql_);
    }

    void insert_payment(const Payment& p) override {
        db::Query q(std::string("INSERT INTO payments (") + kPaymentColumns + ") VALUES (");
        q.bind(p.id).sql(", ").bind(p.invoice_id).sql(", ").bind(p.patient_id).sql(", ").bind(p.practitioner_id);
        q.sql(", ").bind(std::string(to_string(p.method))).sql(", ").bind(static_cast<ll>(p.amount_cents));
        q.sql(", ").bind(format_date(p.paid_on)).sql(", ").bind(p.reference).sql(", ").bind(p.recorded_by);
        q.sql(", ").bind(static_cast<ll>(to_micros(p.recorded_at))).sql(", ").bind(micros_or_zero(p.voided_at));
        q.sql(", ").bind(p.voided_by).sql(", ").bind(p.void_reason).sql(")");
        q.execute(sql_);
    }

    bool void_payment(const Payment& p) override {
        db::Query q("UPDATE payments SET voided_at = ");
        q.bind(micros_or_zero(p.voided_at)).sql(", voided_by = ").bind(p.voided_by).sql(", void_reason = ").bind(p.void_reason);
        q.sql(" WHERE id = ").bind(p.id).sql(" AND voided_at = 0");
        return q.execute(sql_) == 1;
    }

private:
    soci::session& sql_;
    const char* lock_;
};

}  // namespace

Result<void> SqlBillingStore::write(const std::function<Result<void>(BillingUnit&)>& fn) {
    return db_.write([&](soci::session& sql) {
        SqlUnit unit(sql, db_.dialect());
        return fn(unit);
    });
}

std::optional<Act> SqlBillingStore::find_act(const std::string& code) {
    return db_.read([&](soci::session& sql) { return find_act_in(sql, code); });
}

std::vector<Act> SqlBillingStore::search_acts(const ActQuery& aq) {
    db::Query q(std::string("SELECT ") + kActColumns + " FROM acts WHERE 1 = 1");
    if (!aq.include_inactive) q.sql(" AND active = 1");
    if (aq.system) q.sql(" AND act_system = ").bind(std::string(to_string(*aq.system)));
    for (const auto& t : aq.terms) {
        // Terms are folded words: letters and digits only, so they hold no LIKE wildcard.
        q.sql(" AND (code_key LIKE ").bind(t + "%").sql(" OR label_key LIKE ").bind("%" + t + "%").sql(")");
    }
    if (aq.terms.empty() && !aq.after_code.empty()) q.sql(" AND code > ").bind(aq.after_code);
    q.sql(" ORDER BY ");
    if (!aq.terms.empty()) {
        const auto& first = aq.terms.front();
        q.sql("CASE WHEN code_key = ").bind(first).sql(" THEN 0 WHEN code_key LIKE ").bind(first + "%");
        q.sql(" THEN 1 ELSE 2 END, ");
    }
    q.sql("code LIMIT ").bind(static_cast<ll>(aq.limit));
    std::vector<Act> out;
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out.push_back(act_from(r)); }); });
    return out;
}

std::int64_t SqlBillingStore::count_acts() {
    return db_.read([&](soci::session& sql) {
        ll n = 0;
        db::Query q("SELECT COUNT(*) FROM acts");
        q.for_each(sql, [&](const db::Row& r) { n = db::as_int64(r, 0); });
        return static_cast<std::int64_t>(n);
    });
}

std::optional<Invoice> SqlBillingStore::find_invoice(const std::string& id) {
    return db_.read([&](soci::session& sql) { return find_invoice_in(sql, id, ""); });
}

std::vector<Invoice> SqlBillingStore::list_invoices(const InvoiceQuery& iq) {
    db::Query q(std::string("SELECT ") + kInvoiceColumns + " FROM invoices WHERE 1 = 1");
    if (!iq.patient_id.empty()) q.sql(" AND patient_id = ").bind(iq.patient_id);
    if (!iq.practitioner_id.empty()) q.sql(" AND practitioner_id = ").bind(iq.practitioner_id);
    if (iq.kind) q.sql(" AND kind = ").bind(std::string(to_string(*iq.kind)));
    if (!iq.statuses.empty()) {
        q.sql(" AND status IN (");
        for (std::size_t i = 0; i < iq.statuses.size(); ++i) {
            if (i) q.sql(", ");
            q.bind(std::string(to_string(iq.statuses[i])));
        }
        q.sql(")");
    }
    // Drafts store '' as their issue date, so a date filter leaves them out.
    if (iq.issued_from) q.sql(" AND issue_date >= ").bind(format_date(*iq.issued_from));
    if (iq.issued_to) q.sql(" AND issue_date <> '' AND issue_date <= ").bind(format_date(*iq.issued_to));
    if (!iq.before_id.empty()) q.sql(" AND id < ").bind(iq.before_id);
    q.sql(" ORDER BY id DESC LIMIT ").bind(static_cast<ll>(iq.limit));
    std::vector<Invoice> out;
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out.push_back(invoice_from(r)); }); });
    return out;
}

StatsRows SqlBillingStore::stats(const Date& from, const Date& to) {
    StatsRows out;
    db::Query issued(
        "SELECT practitioner_id, substr(issue_date, 1, 7), kind, COUNT(*), SUM(total_cents), "
        "SUM(CASE WHEN kind = 'invoice' AND status IN ('issued', 'partially_paid') THEN total_cents - paid_cents "
        "ELSE 0 END) FROM invoices WHERE status <> 'draft' AND issue_date >= ");
    issued.bind(format_date(from)).sql(" AND issue_date <= ").bind(format_date(to));
    issued.sql(" GROUP BY practitioner_id, substr(issue_date, 1, 7), kind");
    db::Query collected(
        "SELECT practitioner_id, substr(paid_on, 1, 7), method, COUNT(*), SUM(amount_cents) FROM payments "
        "WHERE voided_at = 0 AND paid_on >= ");
    collected.bind(format_date(from)).sql(" AND paid_on <= ").bind(format_date(to));
    collected.sql(" GROUP BY practitioner_id, substr(paid_on, 1, 7), method");
    db_.read([&](soci::session& sql) {
        issued.for_each(sql, [&](const db::Row& r) {
            IssuedGroup g;
            g.practitioner_id = db::as_string(r, 0);
            g.month = db::as_string(r, 1);
            g.kind = parse_invoice_kind(db::as_string(r, 2)).value_or(InvoiceKind::invoice);
            g.count = db::as_int64(r, 3);
            g.total_cents = db::as_int64(r, 4);
            g.outstanding_cents = db::as_int64(r, 5);
            out.issued.push_back(std::move(g));
        });
        collected.for_each(sql, [&](const db::Row& r) {
            CollectedGroup g;
            g.practitioner_id = db::as_string(r, 0);
            g.month = db::as_string(r, 1);
            g.method = parse_payment_method(db::as_string(r, 2)).value_or(PaymentMethod::card);
            g.count = db::as_int64(r, 3);
            g.amount_cents = db::as_int64(r, 4);
            out.collected.push_back(std::move(g));
        });
    });
    return out;
}

}  // namespace medisecure::billing
